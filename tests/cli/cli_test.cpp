// `zhiping` as users run it: the built binary in a child process, with its exit status, stdout and stderr.
#include <gtest/gtest.h>

#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "common/durable_file.h"
#include "common/json.h"
#include "service/config.h"
#include "support/bulk_samples.h"
#include "support/files.h"
#include "support/http_client.h"
#include "support/paths.h"
#include "support/resource_bounds.h"
#include "support/run_cli.h"
#include "support/run_command.h"
#include "support/samples.h"
#include "support/temp_dir.h"

namespace {

const std::string kBinary = zhiping::testing::ZhipingBinary();
const std::string kSource = ZHIPING_SOURCE_DIR;

using zhiping::testing::CliResult;
using zhiping::testing::FreshDir;

// Everything the renderer needs from the repository, and a font cache inside the test folder.
std::vector<std::string> RepoOptions() {
  return {"--templates", kSource + "/templates", "--fonts", kSource + "/fonts/fonts.conf"};
}

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// The child alone (its output to our descriptors), and waiting for it with a time limit: tests/support/run_cli.h.
pid_t Spawn(const std::vector<std::string>& args, const std::string& cwd, const std::string& stdin_path,
            int out_fd, int err_fd, const std::map<std::string, std::string>& env) {
  return zhiping::testing::SpawnCli(args, cwd, stdin_path, out_fd, err_fd, {env, ""});
}
int WaitExit(pid_t pid, std::chrono::seconds limit) { return zhiping::testing::WaitCli(pid, static_cast<int>(limit.count())); }

CliResult RunCli(const std::vector<std::string>& args, const std::string& cwd, const std::string& stdin_text = "",
                 const std::map<std::string, std::string>& env = {}) {
  return zhiping::testing::RunCli(args, cwd, stdin_text, {env, ""});
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Poco::File(kBinary).exists()) << kBinary;
    dir_ = FreshDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  std::string dir_;
};

TEST_F(CliTest, HelpListsEveryCommand) {
  CliResult r = RunCli({"--help"}, dir_);
  EXPECT_EQ(r.status, 0) << r.err;
  for (const char* c : {"render", "issue", "bulk", "archive", "verify", "templates", "preview", "serve",
                        "token-digest", "version"}) {
    EXPECT_NE(r.out.find(std::string("\n  ") + c + " "), std::string::npos) << c << "\n" << r.out;
  }
  for (const char* c : {"render", "templates", "serve", "token-digest", "version", "issue"}) {
    CliResult sub = RunCli({c, "--help"}, dir_);
    EXPECT_EQ(sub.status, 0) << c << ": " << sub.err;
    EXPECT_NE(sub.out.find(std::string("usage: zhiping ") + c), std::string::npos) << sub.out;
  }
}

// Every command, and each archive subcommand, answers --help and -h with its own text on stdout and exit 0,
// whatever else is on the line, before looking at anything (no archive, no data, no configuration needed).
TEST_F(CliTest, EveryCommandAnswersHelp) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> commands = {
      {{"render"}, "usage: zhiping render TEMPLATE DATA.json"},
      {{"issue"}, "usage: zhiping issue TEMPLATE DATA.json"},
      {{"bulk"}, "usage: zhiping bulk letters|review-forms|reports DATA.json"},
      {{"archive"}, "usage: zhiping archive ls"},
      {{"archive", "ls"}, "usage: zhiping archive ls APPLICANT_ID"},
      {{"archive", "get"}, "usage: zhiping archive get APPLICANT_ID FILE"},
      {{"archive", "verify"}, "usage: zhiping archive verify"},
      {{"verify"}, "usage: zhiping verify FILE.pdf"},
      {{"templates"}, "usage: zhiping templates"},
      {{"preview"}, "usage: zhiping preview"},
      {{"serve"}, "usage: zhiping serve"},
      {{"token-digest"}, "usage: zhiping token-digest"},
      {{"version"}, "usage: zhiping version"},
  };
  for (const auto& [words, usage] : commands) {
    for (const char* flag : {"--help", "-h"}) {
      CliResult r = RunCli(With(words, {flag}), dir_);
      EXPECT_EQ(r.status, 0) << words[0] << " " << flag << ": " << r.err;
      EXPECT_EQ(r.out.rfind(usage, 0), 0u) << words[0] << " " << flag << ":\n" << r.out;
      EXPECT_EQ(r.err, "") << words[0] << " " << flag;
    }
  }
  // The commands that take the common options say so.
  for (const char* c : {"render", "issue", "bulk", "templates", "preview", "serve"}) {
    EXPECT_NE(RunCli({c, "--help"}, dir_).out.find("--archive DIR"), std::string::npos) << c;
  }
  // Help wins over the rest of the line, even over words that would be wrong.
  CliResult late = RunCli({"render", "notice", "no-such.json", "--colour", "--help"}, dir_);
  EXPECT_EQ(late.status, 0) << late.err;
  EXPECT_EQ(late.out.rfind("usage: zhiping render", 0), 0u) << late.out;
  EXPECT_FALSE(Poco::File(dir_ + "/archive").exists()) << "help must not open an archive";
  CliResult top = RunCli({"help"}, dir_);
  EXPECT_EQ(top.status, 0);
  EXPECT_EQ(top.out, RunCli({"--help"}, dir_).out);
}

// An option no command knows is a usage error: exit 2, the option named on stderr, nothing on stdout.
TEST_F(CliTest, AnUnknownOptionIsAUsageErrorNamingIt) {
  const std::vector<std::vector<std::string>> commands = {
      {"render", "notice", "x.json"}, {"issue", "letter", "x.json"}, {"bulk", "letters", "x.json"},
      {"archive", "ls", "ZG2022-000123"}, {"archive", "get", "ZG2022-000123", "letter.pdf"}, {"archive", "verify"},
      {"verify", "x.pdf"}, {"templates"}, {"preview"}, {"serve"}, {"token-digest"}, {"version"},
  };
  for (const auto& words : commands) {
    for (const char* option : {"--colour", "--colour=red", "-q"}) {
      CliResult r = RunCli(With(words, {option}), dir_);
      const std::string name = std::string(option).substr(0, std::string(option).find('='));
      EXPECT_EQ(r.status, 2) << words[0] << " " << option << ": " << r.err;
      EXPECT_NE(r.err.find("未知选项 " + name), std::string::npos) << words[0] << " " << option << ": " << r.err;
      EXPECT_EQ(r.out, "") << words[0] << " " << option;
    }
  }
  // An option without its value is a usage error too, naming the option.
  for (const std::vector<std::string>& words :
       {std::vector<std::string>{"render", "notice", "x.json", "-o"}, {"serve", "--port"}, {"templates", "--config"},
        {"archive", "get", "ZG2022-000123", "letter.pdf", "--version"}, {"verify", "x.pdf", "--trust"}}) {
    CliResult r = RunCli(words, dir_);
    EXPECT_EQ(r.status, 2) << words[0] << ": " << r.err;
    EXPECT_NE(r.err.find(words.back()), std::string::npos) << words[0] << ": " << r.err;
  }
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(RunCli({}, dir_).status, 2);
  CliResult unknown = RunCli({"frobnicate"}, dir_);
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("zhiping：没有命令“frobnicate”"), std::string::npos) << unknown.err;
  EXPECT_EQ(RunCli({"render", "notice"}, dir_).status, 2);
  CliResult bad_option = RunCli(With({"render", "notice", zhiping::testing::SamplePath("notice"), "--colour"}, {}), dir_);
  EXPECT_EQ(bad_option.status, 2);
  EXPECT_NE(bad_option.err.find("未知选项 --colour"), std::string::npos) << bad_option.err;
  CliResult missing = RunCli(With({"render", "notice", dir_ + "/no-such.json"}, RepoOptions()), dir_);
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("no-such.json"), std::string::npos) << missing.err;
  EXPECT_EQ(RunCli({"serve", "--port", "http"}, dir_).status, 2);
  EXPECT_EQ(RunCli({"issue", "letter"}, dir_).status, 2);
  EXPECT_EQ(RunCli({"issue", "letter", "x.json", "-o", "-"}, dir_).status, 2);
}

TEST_F(CliTest, RendersTheNoticeToAFile) {
  CliResult r = RunCli(With({"render", "notice", zhiping::testing::SamplePath("notice"), "-o", "X.pdf"}, RepoOptions()),
                       dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  std::string pdf = zhiping::ReadFile(dir_ + "/X.pdf");
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_NE(r.err.find("已写出 X.pdf（共 "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" 页）"), std::string::npos) << r.err;
}

// --format ofd: the letter's pages as an OFD package (a ZIP whose OFD.xml names the document), TEMPLATE.ofd by
// default; a format the template cannot make, or no format at all, is exit 2 naming format, and nothing written.
TEST_F(CliTest, RendersTheLetterAsOfdAndRefusesABadFormat) {
  CliResult r = RunCli(With({"render", "letter", zhiping::testing::SamplePath("letter"), "--format", "ofd"}, RepoOptions()),
                       dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string ofd = zhiping::ReadFile(dir_ + "/letter.ofd");
  EXPECT_EQ(ofd.substr(0, 2), "PK");
  EXPECT_NE(ofd.find("OFD.xml"), std::string::npos);
  EXPECT_NE(r.err.find("已写出 letter.ofd（共 1 页）"), std::string::npos) << r.err;

  CliResult unknown = RunCli(
      With({"render", "letter", zhiping::testing::SamplePath("letter"), "--format", "docx", "-o", "x.docx"}, RepoOptions()),
      dir_);
  EXPECT_EQ(unknown.status, 2) << unknown.err;
  EXPECT_NE(unknown.err.find("输出格式（format）只能是 pdf、ofd 或 xlsx，不能是“docx”"), std::string::npos) << unknown.err;
  EXPECT_FALSE(Poco::File(dir_ + "/x.docx").exists());
  CliResult roster = RunCli(With({"render", "roster-summary", zhiping::testing::SamplePath("roster-summary"), "--format",
                                  "ofd", "-o", "r.ofd", "--lang", "en"},
                                 RepoOptions()),
                            dir_);
  EXPECT_EQ(roster.status, 2) << roster.err;
  EXPECT_NE(roster.err.find("format ofd is not an output of template roster-summary (only xlsx)"), std::string::npos)
      << roster.err;
  EXPECT_FALSE(Poco::File(dir_ + "/r.ofd").exists());
}

TEST_F(CliTest, RendersStdinToTheDefaultNameAndToStdout) {
  std::string body = zhiping::testing::Sample("notice");
  CliResult to_default = RunCli(With({"render", "notice", "-"}, RepoOptions()), dir_, body);
  ASSERT_EQ(to_default.status, 0) << to_default.err;
  EXPECT_EQ(zhiping::ReadFile(dir_ + "/notice.pdf").substr(0, 5), "%PDF-");

  CliResult to_stdout = RunCli(With({"render", "notice", "-", "-o", "-"}, RepoOptions()), dir_, body);
  ASSERT_EQ(to_stdout.status, 0) << to_stdout.err;
  EXPECT_EQ(to_stdout.out.substr(0, 5), "%PDF-");
  EXPECT_NE(to_stdout.err.find("已写出 标准输出"), std::string::npos) << to_stdout.err;

  // A roster from stdin is spooled to a temporary file in TMPDIR (read piece by piece like a file given by
  // path), which is gone afterwards, also when the data is refused.
  const std::string tmp = dir_ + "/tmp";
  mkdir(tmp.c_str(), 0755);
  std::string roster = zhiping::testing::Sample("roster-summary");
  CliResult xlsx = RunCli(With({"render", "roster-summary", "-", "-o", "r.xlsx"}, RepoOptions()), dir_, roster,
                          {{"TMPDIR", tmp}});
  ASSERT_EQ(xlsx.status, 0) << xlsx.err;
  EXPECT_EQ(zhiping::ReadFile(dir_ + "/r.xlsx").substr(0, 2), "PK");
  CliResult refused = RunCli(With({"render", "roster-summary", "-", "-o", "bad.xlsx"}, RepoOptions()), dir_,
                             "{\"applicants\": [7]}", {{"TMPDIR", tmp}});
  EXPECT_EQ(refused.status, 2) << refused.err;
  EXPECT_NE(refused.err.find("第 1 位申报人：应为 JSON 对象"), std::string::npos) << refused.err;
  DIR* d = opendir(tmp.c_str());
  ASSERT_NE(d, nullptr);
  int left = 0;
  while (dirent* e = readdir(d)) left += std::string(e->d_name).rfind("zhiping-stdin-", 0) == 0;
  closedir(d);
  EXPECT_EQ(left, 0);
}

TEST_F(CliTest, InvalidDataExitsTwoWithOneLinePerProblem) {
  // The sample with its first applicant's name removed and an impossible gender.
  std::string body = zhiping::testing::Sample("notice");
  Poco::Dynamic::Var json = zhiping::ParseJson(body);
  auto first = json.extract<Poco::JSON::Object::Ptr>()->getArray("applicants")->getObject(0);
  first->remove("name");
  first->set("gender", "X");
  std::ostringstream text;
  Poco::JSON::Stringifier::stringify(json, text);
  std::ofstream(dir_ + "/bad.json") << text.str();

  CliResult r = RunCli(With({"render", "notice", "bad.json", "-o", "bad.pdf", "--lang", "en"}, RepoOptions()), dir_);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("/applicants/0/name: required"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/applicants/0/gender: "), std::string::npos) << r.err;
  // Every line names a problem by pointer; bad input never produces a document.
  std::istringstream lines(r.err);
  for (std::string line; std::getline(lines, line);) EXPECT_EQ(line.rfind("/", 0), 0u) << line;
  EXPECT_FALSE(Poco::File(dir_ + "/bad.pdf").exists());
  // By default a clerk reads them: the person, the field and the rule in Chinese.
  CliResult zh = RunCli(With({"render", "notice", "bad.json", "-o", "bad.pdf"}, RepoOptions()), dir_);
  EXPECT_EQ(zh.status, 2) << zh.err;
  EXPECT_NE(zh.err.find("第 1 位申报人姓名：必须填写\n"), std::string::npos) << zh.err;
  EXPECT_NE(zh.err.find("第 1 位申报人性别：应为“男”或“女”\n"), std::string::npos) << zh.err;
  EXPECT_EQ(zh.err.find("/applicants"), std::string::npos) << zh.err;
  EXPECT_FALSE(Poco::File(dir_ + "/bad.pdf").exists());

  std::ofstream(dir_ + "/broken.json") << "{\"batch\": ";
  CliResult broken = RunCli(With({"render", "notice", "broken.json"}, RepoOptions()), dir_);
  EXPECT_EQ(broken.status, 2);
  EXPECT_NE(broken.err.find("JSON 格式有误"), std::string::npos) << broken.err;
}

// The contract: 0 done; 2 bad input or usage; 1 anything else. A template name the user typed is usage.
TEST_F(CliTest, UnknownTemplateExitsTwo) {
  CliResult r = RunCli(With({"render", "no-such", zhiping::testing::SamplePath("notice")}, RepoOptions()), dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("没有模板“no-such”（zhiping templates 可列出全部模板）"), std::string::npos) << r.err;
  EXPECT_EQ(RunCli(With({"templates", "no-such"}, RepoOptions()), dir_).status, 2);
  EXPECT_EQ(RunCli(With({"issue", "no-such", zhiping::testing::SamplePath("letter"), "--archive", dir_ + "/a"},
                        RepoOptions()),
                   dir_)
                .status,
            2);
}

TEST_F(CliTest, MissingInputFileExitsTwoEverywhere) {
  const std::string missing = dir_ + "/no-such.json";
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"render", "notice", missing},
           {"issue", "letter", missing, "--archive", dir_ + "/a"},
           {"bulk", "letters", missing, "--archive", dir_ + "/a"},
           {"verify", dir_ + "/no-such.pdf"},
           {"verify", kSource + "/README.md", "--trust", dir_ + "/no-such.pem"},
           {"render", "notice", zhiping::testing::SamplePath("notice"), "--config", dir_ + "/no-such.conf"}}) {
    CliResult r = RunCli(args[0] == "verify" ? args : With(args, RepoOptions()), dir_);
    EXPECT_EQ(r.status, 2) << args[0] << " " << args[1] << ": " << r.err;
    EXPECT_NE(r.err.find("no-such"), std::string::npos) << r.err;
  }
}

TEST_F(CliTest, UnusableArchiveFolderExitsOneAndReadingCreatesNoArchive) {
  // A folder with other files is not an archive (the store refuses to adopt it): exit 1, saying why.
  Poco::File(dir_ + "/notes").createDirectories();
  std::ofstream(dir_ + "/notes/README.md") << "not an archive\n";
  CliResult r = RunCli(With({"issue", "letter", zhiping::testing::SamplePath("letter"), "--archive", dir_ + "/notes"},
                            RepoOptions()),
                       dir_);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("README.md"), std::string::npos) << r.err;
  // ls, get and verify of an archive that is not there say so and leave nothing behind.
  for (const auto& args : std::vector<std::vector<std::string>>{{"archive", "verify", "--archive", dir_ + "/none"},
                                                                {"archive", "ls", "ZG1", "--archive", dir_ + "/none"}}) {
    r = RunCli(args, dir_);
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.err.find("没有档案库"), std::string::npos) << r.err;
    EXPECT_FALSE(Poco::File(dir_ + "/none").exists());
  }
}

// Issue 9: from any other folder the program could not find fonts/fonts.conf. It finds its data by itself: beside
// the build tree (build/zhiping -> the checkout), in an installed share/zhiping, or where ZHIPING_DATA_DIR says.
TEST_F(CliTest, FindsItsDataFromAnyWorkingDirectory) {
  CliResult r = RunCli({"templates"}, dir_);  // dir_ holds no templates/ or fonts/
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("notice"), std::string::npos) << r.out;
  r = RunCli({"render", "letter", zhiping::testing::SamplePath("letter"), "-o", dir_ + "/letter.pdf"}, dir_);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(Poco::File(dir_ + "/letter.pdf").exists());

  // The installed layout: PREFIX/bin/zhiping and PREFIX/share/zhiping/{templates,fonts,samples}.
  const std::string prefix = dir_ + "/prefix";
  Poco::File(prefix + "/bin").createDirectories();
  Poco::File(prefix + "/share/zhiping").createDirectories();
  Poco::File(kBinary).copyTo(prefix + "/bin/zhiping");
  for (const char* d : {"templates", "fonts", "samples"}) Poco::File(kSource + "/" + d).copyTo(prefix + "/share/zhiping");
  // Only the installed copy has this template.
  Poco::File(kSource + "/templates/letter.tmpl").copyTo(prefix + "/share/zhiping/templates/marker.tmpl");
  std::string out = dir_ + "/installed.out";
  zhiping::testing::LinkSharedFontCache(dir_ + "/.cache");
  int status = system(("cd " + dir_ + " && XDG_CACHE_HOME=" + dir_ + "/.cache " + prefix +
                       "/bin/zhiping templates > " + out + " 2>&1").c_str());
  std::string listed = zhiping::ReadFile(out);
  EXPECT_NE(listed.find("marker"), std::string::npos) << "installed copy not used: " << status << " " << listed;

  // ZHIPING_DATA_DIR naming a folder without the data: exit 1, saying what is missing.
  r = RunCli({"templates"}, dir_, "", {{"ZHIPING_DATA_DIR", dir_}});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("ZHIPING_DATA_DIR"), std::string::npos) << r.err;
}

TEST_F(CliTest, TemplatesListsAndDescribes) {
  CliResult list = RunCli(With({"templates"}, RepoOptions()), dir_);
  ASSERT_EQ(list.status, 0) << list.err;
  EXPECT_NE(list.out.find("notice"), std::string::npos) << list.out;
  CliResult one = RunCli(With({"templates", "notice"}, RepoOptions()), dir_);
  ASSERT_EQ(one.status, 0) << one.err;
  // Its fields and a generated sample body, as JSON; the sample renders.
  auto d = zhiping::ParseJson(one.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(d->getValue<std::string>("name"), "notice");
  EXPECT_EQ(d->getValue<std::string>("output"), "pdf");
  EXPECT_GT(d->getArray("fields")->size(), 0u);
  std::ostringstream sample;
  d->getObject("sample")->stringify(sample);
  zhiping::WriteFileDurably(dir_ + "/sample.json", sample.str());
  CliResult r = RunCli(With({"render", "notice", "sample.json", "-o", "s.pdf"}, RepoOptions()), dir_);
  EXPECT_EQ(r.status, 0) << r.err;
}

// Issue 12: the rosters are listed by their Chinese titles (their @describe), like the PDF templates, in columns.
TEST_F(CliTest, TemplatesListsRostersByTheirChineseTitles) {
  CliResult list = RunCli(With({"templates"}, RepoOptions()), dir_);
  ASSERT_EQ(list.status, 0) << list.err;
  for (const char* line : {"roster-summary        xlsx   申报人员汇总表\n",
                           "roster-qualification  xlsx   评审对象资格审查花名册\n",
                           "roster-results        xlsx   评审结果花名册\n",
                           "notice                pdf    公示 — 评审通过人员名单的公示\n"}) {
    EXPECT_NE(list.out.find(line), std::string::npos) << line << " not in:\n" << list.out;
  }
  CliResult one = RunCli(With({"templates", "roster-qualification"}, RepoOptions()), dir_);
  ASSERT_EQ(one.status, 0) << one.err;
  EXPECT_EQ(zhiping::ParseJson(one.out).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("title"),
            "评审对象资格审查花名册");
}

TEST_F(CliTest, TokenDigestAndVersion) {
  CliResult d = RunCli({"token-digest"}, dir_, "abc\n");
  EXPECT_EQ(d.status, 0) << d.err;
  EXPECT_EQ(d.out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n");
  EXPECT_EQ(RunCli({"token-digest"}, dir_).status, 2);  // nothing on stdin
  EXPECT_EQ(RunCli({"token-digest"}, dir_, "two words\n").status, 2);

  CliResult v = RunCli({"version"}, dir_);
  EXPECT_EQ(v.status, 0);
  EXPECT_EQ(v.out, std::string("zhiping ") + ZHIPING_VERSION + "\n");
}

TEST_F(CliTest, BadConfigurationExitsTwoNamingTheKey) {
  std::ofstream(dir_ + "/zhiping.conf") << "server.prot = 80\ntoken.ops.roles = writer\n";
  CliResult r = RunCli(With({"templates", "--config", "zhiping.conf"}, RepoOptions()), dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("server.prot: unknown key"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("token.ops.roles: unknown role 'writer'"), std::string::npos) << r.err;
  EXPECT_EQ(RunCli({"templates", "--config", "missing.conf"}, dir_).status, 2);
}

TEST_F(CliTest, BulkLettersIssuesEachItemAndReportsTheBadOne) {
  // Four items from the sample, the third without a name: it fails alone, the others are issued and zipped.
  Poco::Dynamic::Var body = zhiping::ParseJson(zhiping::testing::Sample("bulk-letters"));
  auto root = body.extract<Poco::JSON::Object::Ptr>();
  auto items = root->getArray("items");
  Poco::JSON::Array::Ptr four = new Poco::JSON::Array;
  for (unsigned i = 0; i < 4; ++i) four->add(items->get(i));
  four->getObject(2)->getObject("applicant")->remove("name");
  root->set("items", four);
  std::ostringstream ss;
  root->stringify(ss);
  zhiping::WriteFileDurably(dir_ + "/bulk.json", ss.str());
  CliResult r = RunCli(With({"bulk", "letters", "bulk.json", "--zip", "letters.zip", "--archive", "arch"}, RepoOptions()), dir_);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("\n第 3 封申报人姓名：必须填写（/applicant/name）"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("进度: 4/4 (100%)"), std::string::npos) << r.err;  // plain lines: stderr is no terminal
  EXPECT_NE(r.err.find("DEVELOPMENT identity"), std::string::npos) << r.err;
  Poco::Dynamic::Var summary = zhiping::ParseJson(r.out);
  auto o = summary.extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(o->getValue<int>("issued"), 3);
  EXPECT_EQ(o->getValue<int>("created"), 3);
  EXPECT_EQ(o->getArray("failed")->size(), 1u);
  std::string zip = zhiping::ReadFile(dir_ + "/letters.zip");
  EXPECT_EQ(zip.compare(0, 2, "PK"), 0);
  // Again: nothing new is archived.
  CliResult again = RunCli(With({"bulk", "letters", "bulk.json", "--archive", "arch"}, RepoOptions()), dir_);
  auto o2 = zhiping::ParseJson(again.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(o2->getValue<int>("created"), 0);
  EXPECT_EQ(o2->getValue<int>("unchanged"), 3);
  EXPECT_EQ(RunCli({"bulk", "letters"}, dir_).status, 2);
  EXPECT_EQ(RunCli({"bulk", "notices", "bulk.json"}, dir_).status, 2);
}

// bulk review-forms and bulk reports: the same command, one document per item, the print file and the zip.
TEST_F(CliTest, BulkReviewFormsAndReportsWriteTheirPrintFiles) {
  zhiping::WriteFileDurably(dir_ + "/forms.json", zhiping::testing::ReviewFormsBody(3, {2}));
  CliResult forms = RunCli(
      With({"bulk", "review-forms", "forms.json", "--print", "forms.pdf", "--archive", "arch"}, RepoOptions()), dir_);
  EXPECT_EQ(forms.status, 2) << forms.err;  // item 2 has no name
  EXPECT_NE(forms.err.find("第 3 份评审表：申报人姓名：必须填写（/applicant/name）"), std::string::npos) << forms.err;
  EXPECT_NE(forms.err.find("已写入打印文件 forms.pdf"), std::string::npos) << forms.err;
  EXPECT_NE(forms.err.find("打印文件: 3/3 (100%)"), std::string::npos) << forms.err;  // its progress, plain lines
  auto o = zhiping::ParseJson(forms.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(o->getValue<int>("issued"), 2);
  EXPECT_EQ(o->getValue<std::string>("print"), "forms.pdf");
  auto check = zhiping::testing::RunCommand("qpdf --check " + zhiping::testing::Quote(dir_ + "/forms.pdf"));
  EXPECT_EQ(check.exit_code, 0) << check.output();

  // The sample round's deadline (2022-09-15) has passed: reports need the override, as `zhiping issue report` does.
  zhiping::WriteFileDurably(dir_ + "/reports.json", zhiping::testing::ReportsBody(2));
  CliResult late = RunCli(With({"bulk", "reports", "reports.json", "--archive", "arch"}, RepoOptions()), dir_);
  EXPECT_EQ(late.status, 2) << late.err;
  EXPECT_NE(late.err.find("已过，系统已自动截止"), std::string::npos) << late.err;
  CliResult reports = RunCli(With({"bulk", "reports", "reports.json", "--print", "reports.pdf", "--zip", "reports.zip",
                                   "--override-deadline", "补报", "--archive", "arch"},
                                  RepoOptions()),
                             dir_);
  EXPECT_EQ(reports.status, 0) << reports.err;
  EXPECT_NE(reports.err.find("已签发 2/2 份评审委员会报告"), std::string::npos) << reports.err;
  const std::string zip = zhiping::ReadFile(dir_ + "/reports.zip");
  EXPECT_NE(zip.find("report-c0.pdf"), std::string::npos);
  EXPECT_NE(zip.find("report-c1.pdf"), std::string::npos);
  auto index = zhiping::testing::RunCommand("pdftotext -q -layout -f 1 -l 1 " +
                                            zhiping::testing::Quote(dir_ + "/reports.pdf") + " -");
  EXPECT_NE(index.out.find("评审委员会报告打印文件"), std::string::npos) << index.out;
  EXPECT_NE(index.out.find("文号"), std::string::npos) << index.out;
}

// The README shows the bulk samples of every kind: they issue whole, and their print files are clean.
TEST_F(CliTest, TheBulkSamplesOfEveryKindIssueWithTheirPrintFiles) {
  const std::vector<std::pair<std::string, int>> samples = {
      {"letters", 50}, {"review-forms", 3}, {"reports", 2}};
  for (const auto& [kind, count] : samples) {
    const std::string pdf = kind + ".pdf";
    CliResult r = RunCli(With({"bulk", kind, zhiping::testing::SamplePath("bulk-" + kind), "--print", pdf,
                               "--override-deadline", "样例演示", "--archive", "arch"},
                              RepoOptions()),
                         dir_);
    ASSERT_EQ(r.status, 0) << kind << ": " << r.err;
    auto o = zhiping::ParseJson(r.out).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(o->getValue<int>("issued"), count) << kind;
    auto check = zhiping::testing::RunCommand("qpdf --check " + zhiping::testing::Quote(dir_ + "/" + pdf));
    EXPECT_EQ(check.exit_code, 0) << kind << ": " << check.output();
  }
}

TEST_F(CliTest, PreviewRefusesOtherAddressesAndArguments) {
  EXPECT_EQ(RunCli({"preview", "x"}, dir_).status, 2);
  CliResult r = RunCli(With({"preview", "--bind", "0.0.0.0"}, RepoOptions()), dir_);
  EXPECT_EQ(r.status, 2) << r.err;
}

// Starts `zhiping serve` on an ephemeral port (stderr to dir/serve.err) and reads its first stdout line, which
// names the URL; waits for it at most 30 s. *port 0: it did not come (the child is then killed).
pid_t StartServe(const std::string& dir, const std::map<std::string, std::string>& env,
                 std::string* first_line, int* port) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return -1;
  int err = open((dir + "/serve.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = Spawn(With({"serve", "--port", "0", "--bind", "127.0.0.1"}, RepoOptions()), dir, "", pipe_fds[1],
                    err, env);
  close(pipe_fds[1]);
  close(err);
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (out.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{pipe_fds[0], POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    char buf[256];
    ssize_t n = read(pipe_fds[0], buf, sizeof(buf));
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(pipe_fds[0]);
  *first_line = out.substr(0, out.find('\n'));
  size_t at = out.find("http://127.0.0.1:");
  *port = at == std::string::npos ? 0 : std::stoi(out.substr(at + 17));
  if (*port == 0) {
    kill(pid, SIGKILL);
    WaitExit(pid, std::chrono::seconds(5));
  }
  return pid;
}

TEST_F(CliTest, ServeAnswersUntilSigterm) {
  std::string out;
  int port = 0;
  pid_t pid = StartServe(dir_, {{"ZHIPING_ADMIN_TOKEN", "cli-admin-token"}}, &out, &port);
  ASSERT_GT(port, 0) << "no URL on stdout: " << out << "\n" << zhiping::ReadFile(dir_ + "/serve.err");

  auto get = [port](const std::string& path, const std::string& token) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::ostringstream body;
    Poco::StreamCopier::copyStream(session.receiveResponse(response), body);
    return static_cast<int>(response.getStatus());
  };
  EXPECT_EQ(get("/healthz", ""), 200);
  EXPECT_EQ(get("/v1/templates", ""), 401);
  EXPECT_EQ(get("/v1/templates", "cli-admin-token"), 200);

  kill(pid, SIGTERM);
  EXPECT_EQ(WaitExit(pid, std::chrono::seconds(30)), 0);
  std::string log = zhiping::ReadFile(dir_ + "/serve.err");
  EXPECT_NE(log.find("GET /v1/templates 200"), std::string::npos) << log;
  EXPECT_NE(log.find("token=admin"), std::string::npos) << log;
  EXPECT_EQ(log.find("cli-admin-token"), std::string::npos) << log;
  EXPECT_NE(log.find("stopped"), std::string::npos) << log;
}

// log.format = json (here ZHIPING_LOG_FORMAT): every line the service writes, start-up and shutdown included, is
// one JSON object with the instance's name; the address line on stdout too.
TEST_F(CliTest, ServeWritesOnlyJsonLinesWhenAsked) {
  std::string first;
  int port = 0;
  pid_t pid = StartServe(dir_, {{"ZHIPING_ADMIN_TOKEN", "cli-admin-token"}, {"ZHIPING_LOG_FORMAT", "json"},
                                {"ZHIPING_INSTANCE", "cli-1"}},
                         &first, &port);
  ASSERT_GT(port, 0) << "no URL on stdout: " << first << "\n" << zhiping::ReadFile(dir_ + "/serve.err");
  Poco::JSON::Object::Ptr address = zhiping::ParseJson(first).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(address->getValue<std::string>("url"), "http://127.0.0.1:" + std::to_string(port) + "/");
  EXPECT_NE(address->getValue<std::string>("msg").find("serving on"), std::string::npos);
  EXPECT_EQ(zhiping::testing::SendTestRequest(static_cast<uint16_t>(port), "GET", "/healthz", "").status, 200);
  EXPECT_EQ(zhiping::testing::SendTestRequest(static_cast<uint16_t>(port), "GET", "/v1/templates", "cli-admin-token")
                .status,
            200);
  // A second instance on the same port fails to start, and says so in a JSON line too.
  CliResult taken = RunCli(With({"serve", "--port", std::to_string(port), "--bind", "127.0.0.1"}, RepoOptions()),
                           dir_, "", {{"ZHIPING_LOG_FORMAT", "json"}, {"ZHIPING_INSTANCE", "cli-2"}});
  EXPECT_EQ(taken.status, 1) << taken.err;
  std::istringstream taken_lines(taken.err);
  std::string last;
  for (std::string line; std::getline(taken_lines, line); last = line) {
    EXPECT_NO_THROW(zhiping::ParseJson(line)) << line;
  }
  ASSERT_FALSE(last.empty()) << taken.err;
  Poco::JSON::Object::Ptr failure = zhiping::ParseJson(last).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(failure->getValue<std::string>("level"), "error");
  EXPECT_EQ(failure->getValue<std::string>("instance"), "cli-2");
  EXPECT_NE(failure->getValue<std::string>("msg").find("cannot listen on 127.0.0.1:" + std::to_string(port)),
            std::string::npos) << last;

  kill(pid, SIGTERM);
  EXPECT_EQ(WaitExit(pid, std::chrono::seconds(30)), 0);

  const std::string log = zhiping::ReadFile(dir_ + "/serve.err");
  std::istringstream lines(log);
  int requests = 0;
  bool stopped = false;
  for (std::string line; std::getline(lines, line);) {
    Poco::JSON::Object::Ptr o;
    ASSERT_NO_THROW(o = zhiping::ParseJson(line).extract<Poco::JSON::Object::Ptr>()) << line;
    EXPECT_EQ(o->getValue<std::string>("instance"), "cli-1") << line;
    EXPECT_TRUE(o->has("time") && o->has("level")) << line;
    if (o->has("path") && o->getValue<std::string>("path") == "/v1/templates") {
      ++requests;
      EXPECT_EQ(o->getValue<std::string>("token"), "admin");
      EXPECT_EQ(o->getValue<int>("status"), 200);
    }
    if (o->has("msg") && o->getValue<std::string>("msg") == "zhiping serve: stopped") stopped = true;
  }
  EXPECT_EQ(requests, 1) << log;
  EXPECT_TRUE(stopped) << log;
  EXPECT_EQ(log.find("cli-admin-token"), std::string::npos) << log;
}

// --- hostile bodies (docs/validation.md) ---

TEST_F(CliTest, ScalarBodiesExitTwoWithASentence) {
  for (const char* body : {"null", "123", "\"s\""}) {
    std::ofstream(dir_ + "/scalar.json") << body;
    for (const char* name : {"notice", "letter", "review-form", "roster-summary", "roster-results"}) {
      CliResult r = RunCli(With({"render", name, "scalar.json", "-o", "out.bin", "--lang=en"}, RepoOptions()), dir_);
      EXPECT_EQ(r.status, 2) << name << " " << body << ": " << r.err;
      EXPECT_EQ(r.err, "(body): must be a JSON object\n") << name << " " << body;
    }
    CliResult zh = RunCli(With({"render", "letter", "scalar.json", "-o", "out.bin"}, RepoOptions()), dir_);
    EXPECT_EQ(zh.err, "整个请求：应为 JSON 对象（{…}）\n") << body;
    CliResult issue = RunCli(With({"issue", "letter", "scalar.json", "--archive", "arch", "--lang", "en"}, RepoOptions()), dir_);
    EXPECT_EQ(issue.status, 2) << issue.err;
    EXPECT_NE(issue.err.find("must be a JSON object"), std::string::npos) << issue.err;
    CliResult bulk = RunCli(With({"bulk", "letters", "scalar.json", "--archive", "arch", "--lang", "en"}, RepoOptions()), dir_);
    EXPECT_EQ(bulk.status, 2) << bulk.err;
    EXPECT_NE(bulk.err.find("must be a JSON object"), std::string::npos) << bulk.err;
  }
}

TEST_F(CliTest, MalformedJsonNamesTheFileLineAndColumn) {
  std::ofstream(dir_ + "/broken.json") << "{\n  \"batch\": {\n    \"id\": \"x\" \"year\": 2022\n";
  CliResult r = RunCli(With({"render", "notice", "broken.json", "--lang", "en"}, RepoOptions()), dir_);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.err.rfind("broken.json: malformed JSON at line 3, column 15: expected ',' or '}' after a member", 0), 0u)
      << r.err;
  CliResult zh = RunCli(With({"render", "notice", "broken.json"}, RepoOptions()), dir_);
  EXPECT_EQ(zh.status, 2) << zh.err;
  EXPECT_EQ(zh.err, "broken.json 第 3 行第 15 列：JSON 格式有误，成员后面应为 ',' 或 '}'，实际是 '\"'\n") << zh.err;
  // A roster is read piece by piece; the position still counts in the whole file.
  std::ofstream(dir_ + "/roster.json") << "{\"batch\": {},\n \"applicants\": [{\"id\": \"x\" \"name\": 1}]}";
  CliResult roster = RunCli(With({"render", "roster-summary", "roster.json", "--lang", "en"}, RepoOptions()), dir_);
  EXPECT_EQ(roster.status, 2) << roster.err;
  EXPECT_EQ(roster.err.rfind("roster.json: malformed JSON at line 2, column 28: ", 0), 0u) << roster.err;
  CliResult roster_zh = RunCli(With({"render", "roster-summary", "roster.json"}, RepoOptions()), dir_);
  EXPECT_EQ(roster_zh.err.rfind("roster.json 第 2 行第 28 列：JSON 格式有误，", 0), 0u) << roster_zh.err;
  EXPECT_NE(roster_zh.err.find("（在第 1 位申报人中）"), std::string::npos) << roster_zh.err;
  CliResult from_stdin = RunCli(With({"render", "letter", "-", "--lang", "en"}, RepoOptions()), dir_, "[1,]");
  EXPECT_EQ(from_stdin.status, 2);
  EXPECT_EQ(from_stdin.err.rfind("(stdin): malformed JSON at line 1, column 4: ", 0), 0u) << from_stdin.err;
  CliResult stdin_zh = RunCli(With({"render", "letter", "-"}, RepoOptions()), dir_, "[1,]");
  EXPECT_EQ(stdin_zh.err.rfind("标准输入 第 1 行第 4 列：JSON 格式有误，", 0), 0u) << stdin_zh.err;
  CliResult bulk = RunCli(With({"bulk", "letters", "broken.json", "--archive", "arch", "--lang", "en"}, RepoOptions()), dir_);
  EXPECT_EQ(bulk.status, 2);
  EXPECT_EQ(bulk.err.rfind("broken.json: malformed JSON at line 3, column 15: ", 0), 0u) << bulk.err;
}

// --lang and ZHIPING_LANG choose the language; anything but zh or en is a usage error.
TEST_F(CliTest, LanguageOptionAndEnvironment) {
  std::ofstream(dir_ + "/scalar.json") << "null";
  CliResult env = zhiping::testing::RunCli(With({"render", "letter", "scalar.json", "-o", "x"}, RepoOptions()), dir_,
                                           "", {{{"ZHIPING_LANG", "en_US.UTF-8"}}, ""});
  EXPECT_EQ(env.err, "(body): must be a JSON object\n");
  CliResult option_wins = zhiping::testing::RunCli(
      With({"render", "letter", "scalar.json", "-o", "x", "--lang", "zh"}, RepoOptions()), dir_, "",
      {{{"ZHIPING_LANG", "en"}}, ""});
  EXPECT_EQ(option_wins.err, "整个请求：应为 JSON 对象（{…}）\n");
  CliResult bad = RunCli(With({"render", "letter", "scalar.json", "--lang", "fr"}, RepoOptions()), dir_);
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--lang 只能是 zh 或 en"), std::string::npos) << bad.err;
}

// Issue 12: the lines a clerk reads after a command are Chinese by default and, with --lang en, the English ones
// scripts were written against, word for word.
TEST_F(CliTest, TheCommandsSpeakChineseAndEnglishOnRequest) {
  const std::string notice = zhiping::testing::SamplePath("notice");
  const std::string letter = zhiping::testing::SamplePath("letter");
  CliResult zh = RunCli(With({"render", "notice", notice, "-o", "n.pdf"}, RepoOptions()), dir_);
  ASSERT_EQ(zh.status, 0) << zh.err;
  const std::string zh_start = "已写出 n.pdf（共 ";
  ASSERT_EQ(zh.err.substr(0, zh_start.size()), zh_start) << zh.err;
  const std::string pages = zh.err.substr(zh_start.size(), zh.err.find(' ', zh_start.size()) - zh_start.size());
  EXPECT_GT(std::stoi(pages), 1) << zh.err;  // the sample notice runs to several pages
  EXPECT_EQ(zh.err, zh_start + pages + " 页）\n");
  CliResult en = RunCli(With({"render", "notice", notice, "-o", "n.pdf", "--lang", "en"}, RepoOptions()), dir_);
  ASSERT_EQ(en.status, 0) << en.err;
  EXPECT_EQ(en.err, "wrote n.pdf (" + pages + " pages)\n");

  zh = RunCli(With({"issue", "letter", letter, "--archive", "arch", "-o", "l.pdf"}, RepoOptions()), dir_);
  ASSERT_EQ(zh.status, 0) << zh.err;
  EXPECT_NE(zh.err.find("\n已存档 urn:zhiping:applicant:ZG2022-000123 v1 "), std::string::npos) << zh.err;
  EXPECT_NE(zh.err.find("；已写出 l.pdf\n"), std::string::npos) << zh.err;
  EXPECT_NE(zh.err.find("开发用身份（DEVELOPMENT identity）"), std::string::npos) << zh.err;
  en = RunCli(With({"issue", "letter", letter, "--archive", "arch", "--lang", "en"}, RepoOptions()), dir_);
  ASSERT_EQ(en.status, 0) << en.err;
  EXPECT_NE(en.err.find("\nunchanged, urn:zhiping:applicant:ZG2022-000123 v1 "), std::string::npos) << en.err;
  EXPECT_NE(en.err.find("the stored "), std::string::npos) << en.err;
  EXPECT_NE(en.err.find("was signed with the DEVELOPMENT identity"), std::string::npos) << en.err;

  zh = RunCli(With({"render", "no-such", notice}, RepoOptions()), dir_);
  EXPECT_EQ(zh.status, 2);
  EXPECT_EQ(zh.err.substr(0, zh.err.find('\n')), "zhiping render：没有模板“no-such”（zhiping templates 可列出全部模板）");
  en = RunCli(With({"render", "no-such", notice, "--lang", "en"}, RepoOptions()), dir_);
  EXPECT_EQ(en.status, 2);
  EXPECT_EQ(en.err.substr(0, en.err.find('\n')),
            "zhiping render: unknown template 'no-such' (zhiping templates lists them)");

  zh = RunCli(With({"render", "notice", "missing.json"}, RepoOptions()), dir_);
  EXPECT_EQ(zh.status, 2);
  EXPECT_EQ(zh.err, "zhiping render：无法读取 missing.json：文件不存在\n");
  en = RunCli(With({"render", "notice", "missing.json", "--lang", "en"}, RepoOptions()), dir_);
  EXPECT_EQ(en.status, 2);
  EXPECT_EQ(en.err, "zhiping render: cannot read missing.json: No such file or directory\n");

  zh = RunCli({"frobnicate"}, dir_);
  EXPECT_EQ(zh.err, "zhiping：没有命令“frobnicate”（zhiping --help 可列出全部命令）\n");
  en = RunCli({"frobnicate", "--lang", "en"}, dir_);
  EXPECT_EQ(en.err, "zhiping: unknown command 'frobnicate' (zhiping --help lists them)\n");
}

// Files as offices save them: with a byte-order mark (read), as GBK (refused, saying how to fix it).
TEST_F(CliTest, ByteOrderMarkIsReadAndGbkIsRefusedInChinese) {
  std::string sample = zhiping::testing::Sample("letter");
  std::ofstream(dir_ + "/bom.json") << "\xEF\xBB\xBF" << sample;
  CliResult bom = RunCli(With({"render", "letter", "bom.json", "-o", "bom.pdf"}, RepoOptions()), dir_);
  EXPECT_EQ(bom.status, 0) << bom.err;
  EXPECT_TRUE(Poco::File(dir_ + "/bom.pdf").exists());
  // The roster reader (piece by piece) takes one too.
  std::ofstream(dir_ + "/bom-roster.json") << "\xEF\xBB\xBF" << zhiping::testing::Sample("roster-summary");
  CliResult roster = RunCli(With({"render", "roster-summary", "bom-roster.json", "-o", "r.xlsx"}, RepoOptions()), dir_);
  EXPECT_EQ(roster.status, 0) << roster.err;

  // The sample saved as "ANSI" on a Chinese Windows: GB18030.
  std::ofstream(dir_ + "/gbk.json") << zhiping::testing::ToGb18030(sample);
  CliResult r = RunCli(With({"render", "letter", "gbk.json", "-o", "gbk.pdf"}, RepoOptions()), dir_);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.err.rfind("gbk.json 第 ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("看来是 GBK/GB18030"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("请另存为 UTF-8 编码后再提交"), std::string::npos) << r.err;
  EXPECT_FALSE(Poco::File(dir_ + "/gbk.pdf").exists());
}

// A bulk body's problems name the letter and its person: 第 2 封（李四）….
TEST_F(CliTest, BulkItemProblemsNameTheLetterAndPerson) {
  Poco::Dynamic::Var body = zhiping::ParseJson(zhiping::testing::Sample("bulk-letters"));
  auto items = body.extract<Poco::JSON::Object::Ptr>()->getArray("items");
  ASSERT_GE(items->size(), 2u);
  auto applicant = items->getObject(1)->getObject("applicant");
  const std::string name = applicant->getValue<std::string>("name");
  applicant->set("id_number", "110105194912310021");
  std::ostringstream text;
  Poco::JSON::Stringifier::stringify(body, text);
  std::ofstream(dir_ + "/bulk.json") << text.str();
  CliResult r = RunCli(With({"bulk", "letters", "bulk.json", "--archive", "arch"}, RepoOptions()), dir_);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("第 2 封（" + name + "）申报人身份证号：校验位应为 X"), std::string::npos) << r.err;
}

TEST_F(CliTest, AMillionEmptyApplicantsStayBoundedInTimeAndMemory) {
  std::string sample = zhiping::testing::Sample("notice");
  std::ofstream out(dir_ + "/million.json");
  out << sample.substr(0, sample.find("\"applicants\"")) << "\"applicants\": [{}";
  for (int i = 1; i < 1000000; ++i) out << ",{}";
  out << "]}";
  out.close();

  // Run as a child so that its peak memory (ru_maxrss of wait4) is the render's alone.
  int out_fd = open((dir_ + "/m.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err_fd = open((dir_ + "/m.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = Spawn(With({"render", "notice", "million.json", "-o", "m.pdf", "--lang", "en"}, RepoOptions()), dir_, "", out_fd, err_fd,
                    {});
  close(out_fd);
  close(err_fd);
  int status = 0;
  rusage usage{};
  ASSERT_EQ(wait4(pid, &status, 0, &usage), pid);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  std::string err = zhiping::ReadFile(dir_ + "/m.err");
  EXPECT_LT(err.size(), 16u * 1024);
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 101) << err.substr(0, 500);
  EXPECT_NE(err.find("(body): … and 3,999,901 more problems (only the first 100 are listed)"), std::string::npos);
  EXPECT_LT(seconds, 20.0 * zhiping::testing::kTimeScale);
  // The parsed tree of a million objects is most of it; 4 million problems took 18 GB before.
  EXPECT_LT(usage.ru_maxrss, zhiping::testing::MemoryBoundKiB(1536L * 1024)) << "KiB";
  std::cerr << "million-element notice: " << seconds << " s, peak " << usage.ru_maxrss / 1024 << " MiB\n";
}

}  // namespace
