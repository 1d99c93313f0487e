// Countersigning a joint document (issuing/issuer.h Countersign) in-process, over HTTP (POST
// /v1/documents/{template}/countersign, the batch listing's signing state) and through the built binary
// (`zhiping countersign`). Until a template lays out two seal places (result-notice), the notice is given a second
// seal place by IssuerConfig::seal_places: the code under test takes any template with two or more.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "archive/archive.h"
#include "common/error.h"
#include "common/json.h"
#include "issuing/issuer.h"
#include "ofd/package.h"
#include "seal/verify_ofd.h"
#include "service/config.h"
#include "sign/signer.h"
#include "support/files.h"
#include "support/http_client.h"
#include "support/loopback_service.h"
#include "support/paths.h"
#include "support/pdfa_check.h"
#include "support/run_cli.h"
#include "support/run_command.h"
#include "test_util.h"

namespace zhiping::issuing {
namespace {

using namespace issuing_test;

const char kBatch[] = "zj-zgs-2022";  // samples/notice.json

void ClearIdentityEnvironment() {
  for (const char* v : {"ZHIPING_SIGN_KEY", "ZHIPING_SIGN_CERT", "ZHIPING_SIGN_CHAIN", "ZHIPING_SEAL_KEY",
                        "ZHIPING_SEAL_CERT", "ZHIPING_SEAL_FILE", "ZHIPING_SEAL_CHAIN", "ZHIPING_SEAL_IMAGE"})
    unsetenv(v);
}

// The notice's own seal place, then `extra` more to its left on the same page (a joint document's organs sign
// side by side, GB/T 9704 §7.3.5.2).
std::function<std::vector<layout::SealBox>(const layout::LaidOutDocument&)> Places(int extra) {
  return [extra](const layout::LaidOutDocument& d) {
    std::vector<layout::SealBox> places{d.seal};
    for (int i = 1; i <= extra; ++i) {
      layout::SealBox s = d.seal;
      s.x = std::max(20.0, d.seal.x - i * (d.seal.w + 10));
      places.push_back(s);
    }
    return places;
  };
}

size_t CountOf(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

const archive::User kAlice{"alice", "urn:zhiping:user:alice"};
const archive::User kBob{"bob", "urn:zhiping:user:bob"};

class issuing_Countersign : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ClearIdentityEnvironment();
    renderer_ = new render::Renderer(RepoRendererConfig());
  }
  static void TearDownTestSuite() { delete renderer_; }

  // An issuer whose notice has 1 + extra seal places (extra < 0: the layout's own, one).
  std::unique_ptr<Issuer> MakeIssuer(int extra) {
    dir_ = FreshDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    IssuerConfig config;
    config.archive_root = dir_ + "/archive";
    if (extra >= 0) config.seal_places = Places(extra);
    return std::make_unique<Issuer>(config, *renderer_);
  }

  static render::Renderer* renderer_;
  std::string dir_;
};

render::Renderer* issuing_Countersign::renderer_ = nullptr;

std::string RecordOf(const Issuer& issuer, const std::string& version) {
  return issuer.store().Read(archive::BatchObjectId(kBatch), "notice.issue.json", version);
}

TEST_F(issuing_Countersign, IssueThenCountersignMakesV2WithTwoValidSignaturesAndSeals) {
  auto issuer = MakeIssuer(1);
  IssueOptions ofd;
  ofd.ofd = true;
  const IssueResult v1 = issuer->Issue("notice", Sample("notice"), kAlice, "", ofd);
  EXPECT_EQ(v1.version, "v1");
  EXPECT_EQ(v1.seals_required, 2);
  EXPECT_EQ(v1.seals_signed, 1);
  const Poco::Dynamic::Var r1 = ParseJson(RecordOf(*issuer, "v1"));
  EXPECT_EQ(AtPointer(r1, "/seals/required").convert<int>(), 2);
  EXPECT_EQ(AtPointer(r1, "/seals/signed").convert<int>(), 1);

  const std::string organ = dir_ + "/hrss";  // empty: a development identity is made in it
  const IssueResult v2 = issuer->Countersign("notice", kBatch, organ, kBob, "");
  EXPECT_EQ(v2.version, "v2");
  EXPECT_TRUE(v2.created);
  EXPECT_TRUE(v2.development_identity);
  EXPECT_TRUE(v2.development_seal);
  EXPECT_EQ(v2.seals_signed, 2);
  EXPECT_EQ(v2.ofd_path, "notice.ofd");
  EXPECT_TRUE(std::filesystem::exists(organ + "/dev-identity/signer.pem"));
  EXPECT_TRUE(std::filesystem::exists(organ + "/dev-seal/seal.esl"));

  // The PDF: v1's bytes kept, two signatures, the lead organ's then the countersigning one's.
  const std::string pdf1 = issuer->store().Read(archive::BatchObjectId(kBatch), "notice.pdf", "v1");
  const std::string pdf2 = issuer->store().Read(archive::BatchObjectId(kBatch), "notice.pdf", "v2");
  EXPECT_EQ(pdf2, v2.document);
  EXPECT_EQ(pdf2.compare(0, pdf1.size(), pdf1), 0);
  const std::string organ_ca = organ + "/dev-identity/dev-ca.pem";
  const auto reports = sign::VerifyPdf(pdf2, {issuer->dev_ca_path(), organ_ca});
  ASSERT_EQ(reports.size(), 2u);
  for (const auto& r : reports) EXPECT_TRUE(r.digest_valid && r.trusted) << r.problem;
  EXPECT_EQ(reports[0].signer_certificate_sha256, issuer->signer().certificate_sha256());
  EXPECT_NE(reports[1].signer_certificate_sha256, issuer->signer().certificate_sha256());
  EXPECT_TRUE(reports[1].covers_whole_file);
  zhiping::testing::WriteAll(dir_ + "/v2.pdf", pdf2);
  const std::string out = zhiping::testing::RunCommand("pdfsig " + zhiping::testing::Quote(dir_ + "/v2.pdf")).output();
  EXPECT_EQ(CountOf(out, "Signature is Valid."), 2u) << out;
  // Still PDF/A-2b with the second revision's objects (its font, widget, XMP).
  for (const std::string& problem : zhiping::testing::PdfAProblems(dir_ + "/v2.pdf")) ADD_FAILURE() << problem;

  // The record: both seals signed, who countersigned.
  const Poco::Dynamic::Var r2 = ParseJson(RecordOf(*issuer, "v2"));
  EXPECT_EQ(AtPointer(r2, "/seals/signed").convert<int>(), 2);
  EXPECT_EQ(StringAt(r2, "/user/name"), "alice");
  EXPECT_EQ(StringAt(r2, "/countersignatures/0/user/name"), "bob");
  EXPECT_EQ(StringAt(r2, "/countersignatures/0/signer_certificate_sha256"), reports[1].signer_certificate_sha256);
  EXPECT_EQ(AtPointer(r2, "/countersignatures/0/development_identity").convert<bool>(), true);
  EXPECT_FALSE(StringAt(r2, "/countersignatures/0/ofd/seal_id").empty());

  // The archive: v1 (one seal) by alice, v2 (two seals) by bob.
  const auto versions = issuer->store().Versions(archive::BatchObjectId(kBatch));
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].user.name, "alice");
  EXPECT_EQ(versions[1].user.name, "bob");
  EXPECT_EQ(versions[1].message, "countersign notice");
  EXPECT_EQ(sign::VerifyPdf(pdf1, {}).size(), 1u);

  // The OFD: two seals, both valid; a changed page makes both invalid.
  const std::vector<std::string> trust = {zhiping::testing::ReadAll(issuer->seal_identity().dev_ca_path),
                                          zhiping::testing::ReadAll(organ + "/dev-seal/dev-sm2-ca.pem")};
  auto seals = seal::VerifyOfd(v2.ofd, trust);
  ASSERT_EQ(seals.size(), 2u);
  for (const auto& s : seals) {
    EXPECT_TRUE(s.valid()) << s.signature_path;
    for (const Message& m : s.Problems()) ADD_FAILURE() << s.signature_path << ": " << RenderMessage(m, Lang::kEn);
  }
  ofd::Package package = ofd::ReadZip(v2.ofd);
  std::string& content = package.Find("Doc_0/Pages/Page_0/Content.xml")->bytes;
  content[content.find("<ofd:TextCode")] = ' ';
  seals = seal::VerifyOfd(ofd::WriteZip(package), trust);
  ASSERT_EQ(seals.size(), 2u);
  EXPECT_FALSE(seals[0].valid());
  EXPECT_FALSE(seals[1].valid());

  // Every seal signed: another organ is refused, nothing is stored.
  try {
    issuer->Countersign("notice", kBatch, dir_ + "/third", kBob, "");
    ADD_FAILURE() << "a third signature on a two-seal document";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConflict) << e.what();
  }
  EXPECT_EQ(issuer->store().Versions(archive::BatchObjectId(kBatch)).size(), 2u);
  // Issuing the same body again changes nothing: the countersigned head stays.
  EXPECT_FALSE(issuer->Issue("notice", Sample("notice"), kAlice, "", ofd).created);
}

TEST_F(issuing_Countersign, TheSameIdentityTwiceIsRefused) {
  auto issuer = MakeIssuer(2);  // three seal places: room for another signature, not by the same organ
  issuer->Issue("notice", Sample("notice"), kAlice, "");
  const std::string organ = dir_ + "/hrss";
  EXPECT_EQ(issuer->Countersign("notice", kBatch, organ, kBob, "").version, "v2");
  try {
    issuer->Countersign("notice", kBatch, organ, kBob, "");
    ADD_FAILURE() << "countersigned twice by one identity";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConflict);
    EXPECT_NE(std::string(e.what()).find("同一身份不能重复会签"), std::string::npos) << e.what();
  }
  // The issuing organ's own identity is refused too (its folder given as the countersigner's).
  const std::string lead = std::filesystem::path(issuer->dev_ca_path()).parent_path().parent_path().string();
  EXPECT_THROW(issuer->Countersign("notice", kBatch, lead, kBob, ""), Error);
  EXPECT_EQ(issuer->store().Versions(archive::BatchObjectId(kBatch)).size(), 2u);
}

TEST_F(issuing_Countersign, OneSealPlaceAndMissingDocumentsAreRefused) {
  auto issuer = MakeIssuer(-1);
  issuer->Issue("notice", Sample("notice"), kAlice, "");
  const Poco::Dynamic::Var record = ParseJson(RecordOf(*issuer, "v1"));
  EXPECT_TRUE(AtPointer(record, "/seals").isEmpty());  // one seal place: nothing pending
  try {
    issuer->Countersign("notice", kBatch, dir_ + "/hrss", kBob, "");
    ADD_FAILURE() << "countersigned a one-seal document";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("只有一个印章位置"), std::string::npos) << e.what();
  }
  for (const char* batch : {"no-such-batch", "../x"}) {
    try {
      issuer->Countersign("notice", batch, dir_ + "/hrss", kBob, "");
      ADD_FAILURE() << batch;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kNotFound) << batch;
    }
  }
  EXPECT_THROW(issuer->Countersign("report", kBatch, dir_ + "/hrss", kBob, ""), Error);  // no report-… stem
  EXPECT_EQ(issuer->store().Versions(archive::BatchObjectId(kBatch)).size(), 1u);
}

// Over HTTP: the listing says pending, the route countersigns, 409 a second time, 404 for a batch without it.
class issuing_CountersignHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ClearIdentityEnvironment();
    zhiping::testing::LoopbackServiceOptions o;
    o.jobs = false;
    o.scratch_name = "countersign-http";
    o.issuer = [](IssuerConfig& config) {
      config.seal_places = Places(1);
      config.countersign_identities = {{"hrss", config.archive_root + "/../hrss"}};
    };
    o.service = [](service::ServiceConfig& config) {
      config.request_timeout_seconds = 60;
      config.tokens = {{"registry", service::TokenDigest("issue-token-0001"), kRoleIssue | kRoleRead}};
    };
    service_ = new zhiping::testing::LoopbackService(o);
  }
  static void TearDownTestSuite() { delete service_; }

  static zhiping::testing::TestReply Send(const std::string& method, const std::string& path,
                                          const std::string& body = "") {
    zhiping::testing::RequestOptions options;
    options.timeout_seconds = 60;
    return zhiping::testing::SendTestRequest(service_->port(), method, path, "issue-token-0001", body, options);
  }

  // The signing state of notice.pdf in the batch's listing ("" when it has none).
  static std::string ListedState() {
    auto reply = Send("GET", std::string("/v1/batches/") + kBatch + "/documents");
    EXPECT_EQ(reply.status, 200) << reply.body;
    Poco::JSON::Array::Ptr list = Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Array::Ptr>();
    for (size_t i = 0; i < list->size(); ++i) {
      Poco::JSON::Object::Ptr item = list->getObject(static_cast<unsigned>(i));
      if (item->getValue<std::string>("path") != "notice.pdf") continue;
      Poco::JSON::Object::Ptr signing = item->getObject("signing");
      return signing ? signing->getValue<std::string>("state") : "";
    }
    return "";
  }

  static zhiping::testing::LoopbackService* service_;
};

zhiping::testing::LoopbackService* issuing_CountersignHttp::service_ = nullptr;

TEST_F(issuing_CountersignHttp, ListingShowsPendingThenTheRouteCountersigns) {
  auto issued = Send("POST", "/v1/documents/notice?format=ofd", Sample("notice"));
  ASSERT_EQ(issued.status, 201) << issued.body;
  EXPECT_EQ(ListedState(), "pending: 1 of 2 seals");

  const std::string body = std::string("{\"batch\": {\"id\": \"") + kBatch + "\"}, \"identity\": \"hrss\"}";
  auto signed_reply = Send("POST", "/v1/documents/notice/countersign", body);
  ASSERT_EQ(signed_reply.status, 201) << signed_reply.body;
  const Poco::Dynamic::Var out = Poco::JSON::Parser().parse(signed_reply.body);
  EXPECT_EQ(StringAt(out, "/version"), "v2");
  EXPECT_EQ(AtPointer(out, "/seals_signed").convert<int>(), 2);
  EXPECT_EQ(signed_reply.headers.get("Location", ""),
            std::string("/v1/batches/") + kBatch + "/documents/notice.ofd?version=v2");
  EXPECT_EQ(ListedState(), "complete: 2 of 2 seals");

  auto versions = Send("GET", std::string("/v1/batches/") + kBatch + "/versions");
  ASSERT_EQ(versions.status, 200);
  const Poco::Dynamic::Var v = Poco::JSON::Parser().parse(versions.body);
  EXPECT_EQ(StringAt(v, "/1/user"), "registry");

  zhiping::testing::ExpectProblem(Send("POST", "/v1/documents/notice/countersign", body), 409);
  zhiping::testing::ExpectProblem(
      Send("POST", "/v1/documents/notice/countersign", "{\"batch\": {\"id\": \"other-batch\"}}"), 404);
  zhiping::testing::ExpectProblem(
      Send("POST", "/v1/documents/notice/countersign",
           std::string("{\"batch\": {\"id\": \"") + kBatch + "\"}, \"identity\": \"nobody\"}"),
      422);
  zhiping::testing::ExpectProblem(Send("POST", "/v1/documents/notice/countersign", "{}"), 422);
  zhiping::testing::ExpectProblem(Send("POST", "/v1/documents/no-such/countersign", body), 404);
}

// The built binary: help, a one-seal template refused in Chinese (exit 2), a batch without the document (exit 1).
TEST(issuing_CountersignCli, RefusesAOneSealDocumentAndAMissingOne) {
  ClearIdentityEnvironment();
  const std::string dir = FreshDir("countersign-cli");
  zhiping::testing::CliOptions options;
  options.env = {{"USER", "tester"}};
  options.cache_home = zhiping::testing::TestTmpRoot() + "/issuing-xdg-cache";
  auto run = [&](const std::vector<std::string>& args) { return zhiping::testing::RunCli(args, dir, "", options); };
  const std::string source = zhiping::testing::SourceDir();

  auto help = run({"countersign", "--help"});
  EXPECT_EQ(help.status, 0) << help.err;
  EXPECT_NE(help.out.find("--identity DIR"), std::string::npos) << help.out;
  auto top = run({"--help"});
  EXPECT_NE(top.out.find("countersign"), std::string::npos) << top.out;

  auto issued = run({"issue", "notice", source + "/samples/notice.json"});
  ASSERT_EQ(issued.status, 0) << issued.err;
  auto one = run({"countersign", "notice", kBatch, "--identity", dir + "/hrss"});
  EXPECT_EQ(one.status, 2) << one.err;
  EXPECT_NE(one.err.find("只有一个印章位置"), std::string::npos) << one.err;
  auto missing = run({"countersign", "notice", "other-batch", "--identity", dir + "/hrss"});
  EXPECT_EQ(missing.status, 1) << missing.err;
  EXPECT_NE(missing.err.find("批次 other-batch 中没有已签发的 notice"), std::string::npos) << missing.err;
  auto usage = run({"countersign", "notice", kBatch});
  EXPECT_EQ(usage.status, 2);
  EXPECT_NE(usage.err.find("--identity"), std::string::npos) << usage.err;
}

// The joint result notice end to end, with the seal places its own layout gives (no test override): issued and
// signed by the lead organ (中共浙江省委宣传部), countersigned by the second (浙江省人力资源和社会保障厅) at its own seal
// place, through the built binary as a clerk runs it; pdfsig lists two valid signatures whose widgets sit where the
// layout put the two organs' seals, and the archive has v1 (one seal) and v2 (two).
TEST(issuing_CountersignCli, TheResultNoticeIsIssuedThenCountersignedAtItsSecondSealPlace) {
  ClearIdentityEnvironment();
  const std::string dir = FreshDir("countersign-result-notice");
  zhiping::testing::CliOptions options;
  options.env = {{"USER", "tester"}};
  options.cache_home = zhiping::testing::TestTmpRoot() + "/issuing-xdg-cache";
  auto run = [&](const std::vector<std::string>& args) { return zhiping::testing::RunCli(args, dir, "", options); };
  const std::string source = zhiping::testing::SourceDir();

  auto issued = run({"issue", "result-notice", source + "/samples/result-notice.json", "--format", "ofd"});
  ASSERT_EQ(issued.status, 0) << issued.err;
  auto signed_twice = run({"countersign", "result-notice", kBatch, "--identity", dir + "/hrss", "--format", "ofd"});
  ASSERT_EQ(signed_twice.status, 0) << signed_twice.err;
  archive::Store store(dir + "/archive");
  zhiping::testing::WriteAll(dir + "/result-notice.pdf",
                             store.Read(archive::BatchObjectId(kBatch), "result-notice.pdf"));
  const std::string out = zhiping::testing::RunCommand("pdfsig " + zhiping::testing::Quote(dir + "/result-notice.pdf")).output();
  EXPECT_EQ(CountOf(out, "Signature is Valid."), 2u) << out;
  for (const std::string& problem : zhiping::testing::PdfAProblems(dir + "/result-notice.pdf")) ADD_FAILURE() << problem;
  auto again = run({"countersign", "result-notice", kBatch, "--identity", dir + "/hrss"});
  EXPECT_NE(again.status, 0) << "countersigned twice by one organ";

  // The widgets: two signature annotations on one page, side by side, not overlapping, the second left of the first
  // (the lead organ signs on the right, GB/T 9704 §7.3.5.2 as the layout places them).
  std::vector<std::pair<double, double>> widgets;  // x of the left and right edges
  const std::string rects = zhiping::testing::RunCommand(
      "qpdf --json=1 --json-key=objects " + zhiping::testing::Quote(dir + "/result-notice.pdf") +
      " | python3 -c 'import json,sys; d=json.load(sys.stdin)[\"objects\"];"
      " print(\"\\n\".join(\" \".join(str(x) for x in o[\"/Rect\"]) for o in d.values()"
      " if isinstance(o, dict) and o.get(\"/Subtype\") == \"/Widget\"))'").out;
  std::istringstream lines(rects);
  double x0, y0, x1, y1;
  while (lines >> x0 >> y0 >> x1 >> y1) widgets.push_back({x0, x1});
  ASSERT_EQ(widgets.size(), 2u) << rects;
  EXPECT_GT(widgets[0].second - widgets[0].first, 50) << "the lead organ's seal is drawn, not an invisible widget";
  EXPECT_GT(widgets[1].second - widgets[1].first, 50);
  EXPECT_TRUE(widgets[0].second <= widgets[1].first || widgets[1].second <= widgets[0].first) << rects;

  const auto versions = store.Versions(archive::BatchObjectId(kBatch));
  ASSERT_EQ(versions.size(), 2u);
  const Poco::Dynamic::Var r2 = ParseJson(store.Read(archive::BatchObjectId(kBatch), "result-notice.issue.json"));
  EXPECT_EQ(AtPointer(r2, "/seals/required").convert<int>(), 2);
  EXPECT_EQ(AtPointer(r2, "/seals/signed").convert<int>(), 2);
  auto seals = seal::VerifyOfd(store.Read(archive::BatchObjectId(kBatch), "result-notice.ofd"), {});
  EXPECT_EQ(seals.size(), 2u);
}

}  // namespace
}  // namespace zhiping::issuing
