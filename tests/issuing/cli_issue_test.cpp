// `zhiping issue` as users run it (the built binary in a child process), then `zhiping archive get`, `zhiping
// verify` and poppler's pdfsig on what it stored.
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "archive/archive.h"
#include "common/json.h"
#include "support/paths.h"
#include "support/run_cli.h"
#include "support/run_command.h"
#include "test_util.h"

namespace {

using namespace zhiping::issuing_test;

const std::string kBinary = zhiping::testing::ZhipingBinary();
const std::string kSource = ZHIPING_SOURCE_DIR;

using zhiping::testing::CliChild;
using zhiping::testing::CliResult;

// `zhiping args…` in `cwd` (tests/support/run_cli.h) as user "tester", with one cache for every issuing test.
zhiping::testing::CliOptions Options() {
  zhiping::testing::CliOptions o;
  o.env = {{"USER", "tester"}};
  o.cache_home = zhiping::testing::TestTmpRoot() + "/issuing-xdg-cache";
  return o;
}
CliChild StartCli(const std::vector<std::string>& args, const std::string& cwd, const std::string& stdin_text = "") {
  return zhiping::testing::StartCli(args, cwd, stdin_text, Options());
}
using zhiping::testing::FinishCli;
CliResult RunCli(const std::vector<std::string>& args, const std::string& cwd, const std::string& stdin_text = "") {
  return zhiping::testing::RunCli(args, cwd, stdin_text, Options());
}

std::vector<std::string> Cmd(std::vector<std::string> args) {
  args.insert(args.end(), {"--templates", kSource + "/templates", "--fonts", kSource + "/fonts/fonts.conf",
                           "--archive", "arch"});
  return args;
}

Poco::JSON::Object::Ptr Json(const std::string& text) {
  return zhiping::testing::ParseObject(text);
}

// Runs a shell command in `dir`; its exit status and output.
std::string Shell(const std::string& command, const std::string& dir) {
  zhiping::testing::CommandResult r = zhiping::testing::RunCommand("cd '" + dir + "' && (" + command + ")");
  return "rc=" + std::to_string(r.exit_code) + "\n" + r.output();
}

class issuing_Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Poco::File(kBinary).exists()) << kBinary;
    dir_ = FreshDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  std::string dir_;
};

TEST_F(issuing_Cli, IssuedLetterIsArchivedAndVerifiesWithTheDevelopmentCa) {
  const std::string sample = zhiping::testing::SamplePath("letter");
  CliResult r = RunCli(Cmd({"issue", "letter", sample, "-o", "out.pdf", "--message", "first issue"}), dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  auto result = Json(r.out);
  EXPECT_EQ(result->getValue<std::string>("object"), "urn:zhiping:applicant:ZG2022-000123");
  EXPECT_EQ(result->getValue<std::string>("version"), "v1");
  EXPECT_TRUE(result->getValue<bool>("created"));
  EXPECT_TRUE(result->getValue<bool>("development_identity"));
  ASSERT_EQ(result->getArray("files")->size(), 3u);
  const std::string ca = dir_ + "/.zhiping/dev-identity/dev-ca.pem";
  EXPECT_NE(r.err.find("警告：签名用的是开发用身份（DEVELOPMENT identity）"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("；" + ca + " 只可在测试时信任"), std::string::npos) << r.err;
  ASSERT_TRUE(Poco::File(ca).exists());

  CliResult get = RunCli(Cmd({"archive", "get", "ZG2022-000123", "letter.pdf", "-o", "got.pdf"}), dir_);
  ASSERT_EQ(get.status, 0) << get.err;
  const std::string stored = zhiping::ReadFile(dir_ + "/got.pdf");
  EXPECT_EQ(stored, zhiping::ReadFile(dir_ + "/out.pdf"));
  EXPECT_EQ(Sha512Hex(stored), result->getArray("files")->getObject(0)->getValue<std::string>("digest"));

  CliResult verify = RunCli({"verify", "got.pdf", "--trust", ca}, dir_);
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("VALID"), std::string::npos) << verify.out;
  EXPECT_EQ(RunCli({"verify", "got.pdf"}, dir_).status, 1);  // nobody else trusts the development CA

  // poppler with the development CA imported into a scratch NSS database.
  std::string nss = Shell("mkdir -p nss && certutil -N -d sql:nss --empty-password && "
                          "certutil -A -d sql:nss -n 'zhiping dev CA' -t CT,C,C -i '" + ca + "' && "
                          "pdfsig -nssdir sql:nss got.pdf", dir_);
  EXPECT_NE(nss.find("Signature is Valid."), std::string::npos) << nss;
  EXPECT_NE(nss.find("Certificate is Trusted."), std::string::npos) << nss;

  // The version records who and why.
  CliResult ls = RunCli(Cmd({"archive", "ls", "ZG2022-000123", "--versions"}), dir_);
  EXPECT_NE(ls.out.find("tester <urn:zhiping:user:tester>  first issue"), std::string::npos) << ls.out;
}

// --format ofd as a clerk runs it: the OFD written to -o and stored beside the PDF, the development seal named in a
// warning, `zhiping verify` valid with the development seal's CA and not without it; `archive get` gives it back.
// A roster asked for as OFD is refused before anything is stored.
TEST_F(issuing_Cli, IssueWithFormatOfdWritesTheSealedOfdThatVerify) {
  CliResult r = RunCli(Cmd({"issue", "letter", zhiping::testing::SamplePath("letter"), "--format", "ofd", "-o",
                            "out.ofd"}), dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  auto result = Json(r.out);
  EXPECT_EQ(result->getValue<std::string>("document"), "letter.pdf");
  EXPECT_EQ(result->getValue<std::string>("ofd"), "letter.ofd");
  EXPECT_TRUE(result->getValue<bool>("development_seal"));
  EXPECT_EQ(result->getArray("files")->size(), 4u);
  const std::string ca = dir_ + "/.zhiping/dev-seal/dev-sm2-ca.pem";
  EXPECT_NE(r.err.find("开发用电子印章（DEVELOPMENT seal）"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(ca), std::string::npos) << r.err;
  CliResult verify = RunCli({"verify", "out.ofd", "--trust", ca}, dir_);
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
  EXPECT_EQ(RunCli({"verify", "out.ofd"}, dir_).status, 1);  // nobody else trusts the development seal's CA
  CliResult get = RunCli(Cmd({"archive", "get", "ZG2022-000123", "letter.ofd", "-o", "got.ofd"}), dir_);
  ASSERT_EQ(get.status, 0) << get.err;
  EXPECT_EQ(zhiping::ReadFile(dir_ + "/got.ofd"), zhiping::ReadFile(dir_ + "/out.ofd"));

  CliResult roster = RunCli(Cmd({"issue", "roster-summary", zhiping::testing::SamplePath("roster-summary"),
                                 "--format", "ofd"}), dir_);
  EXPECT_EQ(roster.status, 2) << roster.err;
  EXPECT_NE(roster.err.find("roster-summary"), std::string::npos) << roster.err;
  CliResult bulk = RunCli(Cmd({"bulk", "letters", zhiping::testing::SamplePath("bulk-letters"), "--format", "ofd",
                               "--zip", "all.zip"}), dir_);
  ASSERT_EQ(bulk.status, 0) << bulk.err;
  const std::string listing = Shell("unzip -l all.zip | grep -c '\\.ofd$'", dir_);
  EXPECT_NE(listing.find("rc=0"), std::string::npos) << listing;
  EXPECT_EQ(std::stoi(listing.substr(listing.find('\n') + 1)), Json(bulk.out)->getValue<int>("issued")) << listing;
}

// sign.visible and sign.dev_identity_dir from a configuration file: an invisible signature, and the development
// identity made where the file says (relative to the file's folder).
TEST_F(issuing_Cli, ConfigurationChoosesAnInvisibleSignatureAndTheDevIdentityFolder) {
  std::ofstream(dir_ + "/office.conf") << "sign.visible = false\nsign.dev_identity_dir = keys/dev\n";
  CliResult r = RunCli(Cmd({"issue", "letter", zhiping::testing::SamplePath("letter"), "-o", "out.pdf", "--config",
                            "office.conf"}), dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string ca = dir_ + "/keys/dev/dev-ca.pem";
  EXPECT_TRUE(Poco::File(ca).exists()) << r.err;
  EXPECT_FALSE(Poco::File(dir_ + "/.zhiping/dev-identity").exists());
  EXPECT_NE(r.err.find("；" + ca + " 只可在测试时信任"), std::string::npos) << r.err;
  const std::string pdf = zhiping::ReadFile(dir_ + "/out.pdf");
  EXPECT_NE(pdf.find("/Rect[ 0 0 0 0]"), std::string::npos) << "the signature widget has no area";
  EXPECT_EQ(RunCli({"verify", "out.pdf", "--trust", ca}, dir_).status, 0);

  // The default, in a folder of its own (the same letter into the same archive would be "unchanged"): visible at
  // the letter's seal place.
  const std::string plain = dir_ + "/default";
  Poco::File(plain).createDirectories();
  CliResult visible = RunCli(Cmd({"issue", "letter", zhiping::testing::SamplePath("letter"), "-o", "visible.pdf"}), plain);
  ASSERT_EQ(visible.status, 0) << visible.err;
  const std::string visible_pdf = zhiping::ReadFile(plain + "/visible.pdf");
  EXPECT_NE(visible_pdf.find("/Rect["), std::string::npos);
  EXPECT_EQ(visible_pdf.find("/Rect[ 0 0 0 0]"), std::string::npos);
}

TEST_F(issuing_Cli, ReissueMakesNoVersionAChangedBodyMakesV2) {
  const std::string body = Sample("letter");
  CliResult first = RunCli(Cmd({"issue", "letter", "-", "-o", "v1.pdf"}), dir_, body);
  ASSERT_EQ(first.status, 0) << first.err;
  CliResult same = RunCli(Cmd({"issue", "letter", "-", "--user", "王五"}), dir_, body);
  ASSERT_EQ(same.status, 0) << same.err;
  EXPECT_FALSE(Json(same.out)->getValue<bool>("created"));
  EXPECT_EQ(Json(same.out)->getValue<std::string>("version"), "v1");
  EXPECT_NE(same.err.find("未变（已存档过） urn:zhiping:applicant:"), std::string::npos) << same.err;

  const std::string changed = WithString(body, "/letter/issued", "2022-12-31");
  CliResult second = RunCli(Cmd({"issue", "letter", "-", "--user", "王五", "--message", "date"}), dir_, changed);
  ASSERT_EQ(second.status, 0) << second.err;
  EXPECT_TRUE(Json(second.out)->getValue<bool>("created"));
  EXPECT_EQ(Json(second.out)->getValue<std::string>("version"), "v2");

  CliResult v1 = RunCli(Cmd({"archive", "get", "ZG2022-000123", "letter.pdf", "--version", "v1", "-o", "old.pdf"}),
                        dir_);
  ASSERT_EQ(v1.status, 0) << v1.err;
  EXPECT_EQ(zhiping::ReadFile(dir_ + "/old.pdf"), zhiping::ReadFile(dir_ + "/v1.pdf"));
  CliResult ls = RunCli(Cmd({"archive", "ls", "ZG2022-000123", "--versions"}), dir_);
  EXPECT_NE(ls.out.find("王五 <urn:zhiping:user:%E7%8E%8B%E4%BA%94>  date"), std::string::npos) << ls.out;

  CliResult verify = RunCli(Cmd({"archive", "verify"}), dir_);
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
}

// Eight processes issue the same body at once: the "same as the head?" question is asked again under the object's
// cross-process lock, so exactly one version is made and the other seven report it, unchanged.
TEST_F(issuing_Cli, EightProcessesIssuingTheSameBodyMakeOneVersion) {
  // The development identity first (its own race is not what this test is about).
  ASSERT_EQ(RunCli(Cmd({"issue", "letter", "-"}), dir_, LetterFor("ZG2022-000900")).status, 0);
  const std::string body = LetterFor("ZG2022-000901");
  std::vector<CliChild> children;
  for (int i = 0; i < 8; ++i) children.push_back(StartCli(Cmd({"issue", "letter", "-"}), dir_, body));
  int created = 0;
  std::set<std::string> versions;
  for (const CliChild& child : children) {
    CliResult r = FinishCli(child, 180);
    ASSERT_EQ(r.status, 0) << r.err;
    auto result = Json(r.out);
    created += result->getValue<bool>("created") ? 1 : 0;
    versions.insert(result->getValue<std::string>("version"));
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(versions, std::set<std::string>{"v1"});
  zhiping::archive::Store store(dir_ + "/arch");
  EXPECT_EQ(store.Versions(zhiping::archive::ApplicantObjectId("ZG2022-000901")).size(), 1u);
  CliResult verify = RunCli(Cmd({"archive", "verify"}), dir_);
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
}

TEST_F(issuing_Cli, BadInputExitsTwoAndStoresNothing) {
  std::string body = WithString(Sample("letter"), "/applicant/gender", "X");
  CliResult bad = RunCli(Cmd({"issue", "letter", "-", "--lang", "en"}), dir_, body);
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("/applicant/gender: "), std::string::npos) << bad.err;
  EXPECT_EQ(RunCli(Cmd({"issue", "letter", "-"}), dir_, "{not json").status, 2);
  EXPECT_EQ(RunCli(Cmd({"issue", "no-such", "-"}), dir_, Sample("letter")).status, 2);
  EXPECT_EQ(RunCli(Cmd({"issue", "letter", "missing.json"}), dir_).status, 2);
  EXPECT_EQ(RunCli(Cmd({"issue", "letter", "-", "--user", ""}), dir_, Sample("letter")).status, 2);
  CliResult get = RunCli(Cmd({"archive", "get", "ZG2022-000123", "letter.pdf"}), dir_);
  EXPECT_EQ(get.status, 1) << get.err;
}

// The round's deadline (issuing/policy.h) on the command line: samples/report.json's 2022-09-15 has passed, so the
// report is refused (exit 2, nothing stored) until the local user overrides it with a reason, which the version
// records.
TEST_F(issuing_Cli, AReportAfterTheDeadlineNeedsAnOverrideWithAReason) {
  CliResult refused = RunCli(Cmd({"issue", "report", kSource + "/samples/report.json"}), dir_);
  EXPECT_EQ(refused.status, 2) << refused.err;
  EXPECT_NE(refused.err.find("本轮申报截止日期 2022-09-15 已过"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--override-deadline 原因"), std::string::npos) << refused.err;
  EXPECT_FALSE(Poco::File(dir_ + "/arch").exists()) << "refused before the archive is opened";
  CliResult ok = RunCli(Cmd({"issue", "report", kSource + "/samples/report.json", "--override-deadline",
                             "late committee", "--message", "second sitting"}),
                        dir_);
  ASSERT_EQ(ok.status, 0) << ok.err;
  const std::string object = Json(ok.out)->getValue<std::string>("object");
  zhiping::archive::Store store(dir_ + "/arch");
  const auto versions = store.Versions(object);
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions[0].message, "deadline 2022-09-15 overridden by tester: late committee; second sitting");
}

}  // namespace
