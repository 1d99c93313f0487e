// POST /v1/documents/{template} and the archive read routes, end to end: a real HttpService on 127.0.0.1
// (ephemeral port), a real Issuer over an archive folder under $ZHIPING_TEST_TMP, real HTTP requests.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "../archive/test_util.h"
#include "archive/archive.h"
#include "archive/fs_util.h"
#include "issuing/issuer.h"
#include "service/config.h"
#include "service/http_server.h"
#include "service/routes.h"
#include "seal/verify_ofd.h"
#include "sign/signer.h"
#include "support/files.h"
#include "support/http_client.h"
#include "support/loopback_service.h"
#include "test_util.h"

namespace zhiping::service {
namespace {

using namespace issuing_test;

const char kIssueToken[] = "issue-token-0001";    // "registry": issue + read
const char kRenderToken[] = "render-token-0002";  // "ops": render only
const char kReadToken[] = "read-token-0003";      // "viewer": read only

using Reply = zhiping::testing::TestReply;

class issuing_Http : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    unsetenv("ZHIPING_SIGN_KEY");
    unsetenv("ZHIPING_SIGN_CERT");
    unsetenv("ZHIPING_SIGN_CHAIN");
    for (const char* v : {"ZHIPING_SEAL_KEY", "ZHIPING_SEAL_CERT", "ZHIPING_SEAL_FILE", "ZHIPING_SEAL_CHAIN"}) unsetenv(v);
    zhiping::testing::LoopbackServiceOptions o;
    o.jobs = false;
    o.service = [](ServiceConfig& config) {
      config.request_timeout_seconds = 10;
      config.tokens = {{"registry", TokenDigest(kIssueToken), kRoleIssue | kRoleRead},
                       {"ops", TokenDigest(kRenderToken), kRoleRender},
                       {"viewer", TokenDigest(kReadToken), kRoleRead}};
    };
    service_ = new zhiping::testing::LoopbackService(o);
  }
  static void TearDownTestSuite() { delete service_; }

  static Reply Send(const std::string& method, const std::string& path, const std::string& token,
                    const std::string& body = "") {
    zhiping::testing::RequestOptions options;
    options.timeout_seconds = 30;
    return zhiping::testing::SendTestRequest(service_->port(), method, path, token, body, options);
  }

  static Poco::Dynamic::Var Json(const Reply& r) { return Poco::JSON::Parser().parse(r.body); }

  static Poco::JSON::Object::Ptr ExpectProblem(const Reply& r, int status) {
    return zhiping::testing::ExpectProblem(r, status);
  }

  static zhiping::testing::LoopbackService* service_;
};

zhiping::testing::LoopbackService* issuing_Http::service_ = nullptr;

TEST_F(issuing_Http, IssuedLetterIsListedVersionedAndServedByteForByte) {
  const std::string body = LetterFor("ZG2022-HTTP01");
  Reply posted = Send("POST", "/v1/documents/letter", kIssueToken, body);
  ASSERT_EQ(posted.status, 201) << posted.body;
  auto result = Json(posted).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(result->getValue<std::string>("object"), "urn:zhiping:applicant:ZG2022-HTTP01");
  EXPECT_EQ(result->getValue<std::string>("version"), "v1");
  EXPECT_TRUE(result->getValue<bool>("created"));
  EXPECT_TRUE(result->getValue<bool>("development_identity"));
  ASSERT_EQ(result->getArray("files")->size(), 3u);
  EXPECT_EQ(posted.headers.get("Location"), "/v1/applicants/ZG2022-HTTP01/documents/letter.pdf?version=v1");

  Reply versions = Send("GET", "/v1/applicants/ZG2022-HTTP01/versions", kReadToken);
  ASSERT_EQ(versions.status, 200) << versions.body;
  auto vlist = Json(versions).extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(vlist->size(), 1u);
  EXPECT_EQ(vlist->getObject(0)->getValue<std::string>("version"), "v1");
  EXPECT_EQ(vlist->getObject(0)->getValue<std::string>("user"), "registry");
  EXPECT_EQ(vlist->getObject(0)->getValue<std::string>("message"), "issue letter");
  EXPECT_EQ(vlist->getObject(0)->getArray("files")->size(), 3u);
  EXPECT_FALSE(vlist->getObject(0)->getValue<std::string>("created").empty());

  Reply listing = Send("GET", "/v1/applicants/ZG2022-HTTP01/documents", kReadToken);
  ASSERT_EQ(listing.status, 200) << listing.body;
  std::string digest;
  auto files = Json(listing).extract<Poco::JSON::Array::Ptr>();
  for (size_t i = 0; i < files->size(); ++i) {
    auto f = files->getObject(static_cast<unsigned>(i));
    EXPECT_EQ(f->getValue<std::string>("version"), "v1");
    if (f->getValue<std::string>("path") == "letter.pdf") digest = f->getValue<std::string>("digest");
  }
  ASSERT_EQ(digest.size(), 128u) << listing.body;

  Reply pdf = Send("GET", "/v1/applicants/ZG2022-HTTP01/documents/letter.pdf", kReadToken);
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(pdf.headers.get("X-Zhiping-Version"), "v1");
  EXPECT_EQ(Sha512Hex(pdf.body), digest);
  auto reports = sign::VerifyPdf(pdf.body, {service_->issuer().dev_ca_path()});
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].digest_valid && reports[0].trusted) << reports[0].problem;

  Reply stored_body = Send("GET", "/v1/applicants/ZG2022-HTTP01/documents/letter.json", kIssueToken);
  EXPECT_EQ(stored_body.status, 200);
  EXPECT_EQ(stored_body.content_type, "application/json");
  EXPECT_EQ(stored_body.body, body);

  // The same body again: nothing new (200, created false); a changed one: v2, v1 still served.
  Reply again = Send("POST", "/v1/documents/letter", kIssueToken, body);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_FALSE(Json(again).extract<Poco::JSON::Object::Ptr>()->getValue<bool>("created"));
  Reply changed = Send("POST", "/v1/documents/letter?message=renumbered", kIssueToken,
                       WithString(body, "/letter/no", "浙政职评通〔2022〕099号"));
  ASSERT_EQ(changed.status, 201) << changed.body;
  EXPECT_EQ(Json(changed).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("version"), "v2");
  Reply old = Send("GET", "/v1/applicants/ZG2022-HTTP01/documents/letter.pdf?version=v1", kReadToken);
  EXPECT_EQ(old.status, 200);
  EXPECT_EQ(old.body, pdf.body);
  Reply head = Send("GET", "/v1/applicants/ZG2022-HTTP01/documents/letter.pdf", kReadToken);
  EXPECT_NE(head.body, pdf.body);
  auto v2 = Json(Send("GET", "/v1/applicants/ZG2022-HTTP01/versions", kReadToken)).extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(v2->size(), 2u);
  EXPECT_EQ(v2->getObject(1)->getValue<std::string>("message"), "renumbered");
  Reply v1_list = Send("GET", "/v1/applicants/ZG2022-HTTP01/documents?version=v1", kReadToken);
  EXPECT_NE(v1_list.body.find(digest), std::string::npos);

  for (const auto& report : archive::VerifyStore(service_->issuer().store().root())) {
    EXPECT_TRUE(report.valid()) << report.object_id << ": " << (report.issues.empty() ? "" : report.issues[0].message);
  }
}

// A crafted inventory whose letter.pdf points at `../../../../../secret.pem` (five levels up from the object root is
// the folder holding the archive): a `read` token gets a 500 problem naming no path, never the file's bytes.
// ?format=ofd: the PDF and the sealed OFD in one version; Location names the OFD, which is served as application/ofd
// and verifies. A format the template cannot make is 422 (format.template), and nothing is stored.
TEST_F(issuing_Http, OfdIsIssuedBesideThePdfAndServed) {
  Reply posted = Send("POST", "/v1/documents/letter?format=ofd", kIssueToken, LetterFor("ZG2022-HTTP05"));
  ASSERT_EQ(posted.status, 201) << posted.body;
  auto result = Json(posted).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(result->getValue<std::string>("ofd"), "letter.ofd");
  EXPECT_TRUE(result->getValue<bool>("development_seal"));
  EXPECT_EQ(result->getArray("files")->size(), 4u);
  EXPECT_EQ(posted.headers.get("Location"), "/v1/applicants/ZG2022-HTTP05/documents/letter.ofd?version=v1");
  Reply ofd = Send("GET", "/v1/applicants/ZG2022-HTTP05/documents/letter.ofd", kReadToken);
  ASSERT_EQ(ofd.status, 200);
  EXPECT_EQ(ofd.content_type, "application/ofd");
  const auto reports =
      seal::VerifyOfd(ofd.body, {zhiping::testing::ReadAll(service_->issuer().seal_identity().dev_ca_path)});
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].valid());

  Reply bad = Send("POST", "/v1/documents/letter?format=xlsx", kIssueToken, LetterFor("ZG2022-HTTP06"));
  EXPECT_EQ(ExpectProblem(bad, 422)->getArray("errors")->getObject(0)->getValue<std::string>("code"), "format.template")
      << bad.body;
  Reply roster = Send("POST", "/v1/documents/roster-summary?format=ofd", kIssueToken, Sample("roster-summary"));
  ExpectProblem(roster, 422);
  EXPECT_FALSE(service_->issuer().store().Exists(archive::ApplicantObjectId("ZG2022-HTTP06")));
  EXPECT_FALSE(service_->issuer().store().Exists(archive::BatchObjectId("zj-zgs-2022")));
}

// GET /readyz with an archive: ready while a file can be made in the archive's workspace; when it cannot (here the
// workspace's tmp folder replaced by a file: the tests run as root, whom permissions do not stop) 503 naming the
// archive, with Retry-After; ready again once it can.
TEST_F(issuing_Http, ReadyzChecksTheArchiveCanBeWritten) {
  Reply ready = Send("GET", "/readyz", "");
  ASSERT_EQ(ready.status, 200) << ready.body;
  auto checks = Json(ready).extract<Poco::JSON::Object::Ptr>()->getObject("checks");
  EXPECT_EQ(checks->getValue<std::string>("archive"), "ok");
  EXPECT_EQ(checks->getValue<std::string>("fonts"), "ok");
  const std::string tmp = service_->issuer().store().root() + "/extensions/zhiping-workspace/tmp";
  std::filesystem::remove_all(tmp);
  zhiping::testing::WriteAll(tmp, "not a folder");
  Reply broken = Send("GET", "/readyz", "");
  std::filesystem::remove(tmp);
  std::filesystem::create_directories(tmp);
  ASSERT_EQ(broken.status, 503) << broken.body;
  EXPECT_EQ(broken.headers.get("Retry-After", ""), "5");
  auto why = Json(broken).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(why->getValue<std::string>("status"), "not-ready");
  EXPECT_NE(why->getObject("checks")->getValue<std::string>("archive").find("cannot create a file"), std::string::npos)
      << broken.body;
  EXPECT_EQ(Send("GET", "/readyz", "").status, 200);
}

TEST_F(issuing_Http, EscapingManifestServesNothingOutsideTheArchive) {
  const std::string body = LetterFor("ZG2022-HTTP66");
  ASSERT_EQ(Send("POST", "/v1/documents/letter", kIssueToken, body).status, 201);
  const std::string secret = "-----BEGIN PRIVATE KEY-----\nHTTP test secret\n";
  zhiping::archive::fs::WriteFileDurable(service_->dir() + "/secret.pem", secret);
  zhiping::archive::testing::PointHeadAt(service_->issuer().store(), archive::ApplicantObjectId("ZG2022-HTTP66"),
                                         "letter.pdf", "../../../../../secret.pem", secret);
  for (const std::string path : {"/v1/applicants/ZG2022-HTTP66/documents/letter.pdf",
                                 "/v1/applicants/ZG2022-HTTP66/documents/letter.pdf?version=v1",
                                 "/v1/applicants/ZG2022-HTTP66/documents", "/v1/applicants/ZG2022-HTTP66/versions"}) {
    SCOPED_TRACE(path);
    Reply r = Send("GET", path, kReadToken);
    ExpectProblem(r, 500);
    EXPECT_EQ(r.body.find("HTTP test secret"), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find(service_->dir()), std::string::npos) << r.body;
  }
  // Other applicants are served as before.
  ASSERT_EQ(Send("POST", "/v1/documents/letter", kIssueToken, LetterFor("ZG2022-HTTP67")).status, 201);
  EXPECT_EQ(Send("GET", "/v1/applicants/ZG2022-HTTP67/documents/letter.pdf", kReadToken).status, 200);
}

// The archive's disk full while a letter is issued (every archive write fails with ENOSPC, injected through
// fs::g_fault_hook in this process): 503 with Retry-After, no server path in the answer, nothing stored; the next
// request, with room again, is issued as usual.
int FailEveryWrite(const char* op, const std::string&) { return std::string(op) == "write" ? ENOSPC : 0; }

TEST_F(issuing_Http, FullDiskIs503WithoutAPathAndStoresNothing) {
  const std::string body = LetterFor("ZG2022-HTTP77");
  archive::fs::g_fault_hook = FailEveryWrite;
  Reply full = Send("POST", "/v1/documents/letter", kIssueToken, body);
  archive::fs::g_fault_hook = nullptr;
  auto problem = ExpectProblem(full, 503);
  EXPECT_EQ(problem->getValue<std::string>("type"), "urn:zhiping:problem:unavailable") << full.body;
  EXPECT_TRUE(full.headers.has("Retry-After")) << full.body;
  // A fixed sentence (service/problem_json.cpp): the archive's own text stays in the service log.
  EXPECT_NE(full.body.find("存储已满"), std::string::npos) << full.body;  // Chinese unless asked for English
  EXPECT_EQ(full.body.find(service_->dir()), std::string::npos) << full.body;
  EXPECT_FALSE(service_->issuer().store().Exists(archive::ApplicantObjectId("ZG2022-HTTP77")));
  EXPECT_EQ(Send("GET", "/v1/applicants/ZG2022-HTTP77/documents", kReadToken).status, 404);
  EXPECT_TRUE(archive::fs::List(service_->dir() + "/archive/extensions/zhiping-workspace/tmp").empty());

  Reply ok = Send("POST", "/v1/documents/letter", kIssueToken, body);
  EXPECT_EQ(ok.status, 201) << ok.body;
}

TEST_F(issuing_Http, RoundDocumentsAreServedUnderBatches) {
  Reply posted = Send("POST", "/v1/documents/roster-summary", kIssueToken, Sample("roster-summary"));
  ASSERT_EQ(posted.status, 201) << posted.body;
  EXPECT_EQ(Json(posted).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("object"),
            "urn:zhiping:batch:zj-zgs-2022");
  Reply xlsx = Send("GET", "/v1/batches/zj-zgs-2022/documents/roster-summary.xlsx", kReadToken);
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_EQ(xlsx.content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
  EXPECT_EQ(Send("GET", "/v1/batches/zj-zgs-2022/versions", kReadToken).status, 200);
  // A round is not an applicant.
  ExpectProblem(Send("GET", "/v1/applicants/zj-zgs-2022/versions", kReadToken), 404);
}

TEST_F(issuing_Http, UnknownThingsAre404BadIdsAre422) {
  service_->issuer().Issue("letter", LetterFor("ZG2022-HTTP02"), {"setup", ""}, "");
  ExpectProblem(Send("GET", "/v1/applicants/ZG2022-NOBODY/versions", kReadToken), 404);
  ExpectProblem(Send("GET", "/v1/applicants/ZG2022-NOBODY/documents", kReadToken), 404);
  ExpectProblem(Send("GET", "/v1/applicants/ZG2022-HTTP02/documents/nothing.pdf", kReadToken), 404);
  ExpectProblem(Send("GET", "/v1/applicants/ZG2022-HTTP02/documents/letter.pdf?version=v9", kReadToken), 404);
  ExpectProblem(Send("GET", "/v1/applicants/ZG2022-HTTP02/documents?version=v9", kReadToken), 404);
  ExpectProblem(Send("GET", "/v1/applicants/ZG2022-HTTP02/documents?version=..%2Fv1", kReadToken), 404);
  ExpectProblem(Send("GET", "/v1/applicants/ZG2022-HTTP02/documents/..%2F..%2F0%3Docfl_1.1", kReadToken), 404);
  ExpectProblem(Send("POST", "/v1/documents/no-such-template", kIssueToken, Sample("letter")), 404);
  EXPECT_EQ(Send("GET", "/v1/applicants/ZG2022-HTTP02/documents/letter.pdf", kReadToken).status, 200);

  for (const char* path : {"/v1/applicants/..%2Fetc/documents", "/v1/applicants/a%20b/versions",
                           "/v1/applicants/..%2F..%2Fetc%2Fpasswd/documents/letter.pdf", "/v1/batches/a%20b/documents",
                           "/v1/applicants/..%2Fetc/versions"}) {
    auto p = ExpectProblem(Send("GET", path, kReadToken), 422);
    EXPECT_EQ(p->getValue<std::string>("type"), "urn:zhiping:problem:invalid-data") << path;
    EXPECT_EQ(p->getArray("errors")->size(), 1u) << path;
  }
  ExpectProblem(Send("GET", "/v1/applicants/" + std::string(65, 'a') + "/versions", kReadToken), 422);

  // Bad data is 422 with every pointer, and stores nothing.
  auto bad = ExpectProblem(Send("POST", "/v1/documents/letter", kIssueToken,
                                WithString(LetterFor("ZG2022-HTTP03"), "/applicant/gender", "X")), 422);
  EXPECT_NE(bad->getArray("errors")->getObject(0)->getValue<std::string>("pointer").find("/applicant/"),
            std::string::npos);
  ExpectProblem(Send("GET", "/v1/applicants/ZG2022-HTTP03/versions", kReadToken), 404);
  ExpectProblem(Send("POST", "/v1/documents/letter", kIssueToken, "{not json"), 400);
}

TEST_F(issuing_Http, RolesGuardIssuingAndReading) {
  const std::string body = LetterFor("ZG2022-HTTP04");
  ExpectProblem(Send("POST", "/v1/documents/letter", kRenderToken, body), 403);
  ExpectProblem(Send("POST", "/v1/documents/letter", kReadToken, body), 403);
  ExpectProblem(Send("POST", "/v1/documents/letter", "", body), 401);
  ExpectProblem(Send("POST", "/v1/documents/letter", "wrong-token", body), 401);
  ExpectProblem(Send("GET", "/v1/applicants/ZG2022-HTTP04/versions", kRenderToken), 403);
  ExpectProblem(Send("GET", "/v1/applicants/ZG2022-HTTP04/documents", ""), 401);
  EXPECT_FALSE(service_->issuer().store().Exists(archive::ApplicantObjectId("ZG2022-HTTP04")));
  // The render-only token still renders drafts, which are never stored.
  EXPECT_EQ(Send("POST", "/v1/render/letter", kRenderToken, body).status, 200);
  EXPECT_FALSE(service_->issuer().store().Exists(archive::ApplicantObjectId("ZG2022-HTTP04")));
  ExpectProblem(Send("GET", "/v1/applicants/ZG2022-HTTP04/versions", kReadToken), 404);
  ExpectProblem(Send("PUT", "/v1/documents/letter", kIssueToken), 405);
}

}  // namespace
}  // namespace zhiping::service
