// Bulk jobs, limits, deadline and metrics over HTTP: a real HttpService on 127.0.0.1 with a real Issuer, job store
// and runner; and the real `zhiping serve` process stopped by SIGTERM in the middle of a job.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "archive/archive.h"
#include "common/json.h"
#include "issuing/issuer.h"
#include "jobs/job_runner.h"
#include "jobs/job_store.h"
#include "service/config.h"
#include "service/http_server.h"
#include "service/routes.h"
#include "seal/verify_ofd.h"
#include "sign/signer.h"
#include "support/bulk_samples.h"
#include "support/files.h"
#include "support/http_client.h"
#include "support/json_edit.h"
#include "support/loopback_service.h"
#include "support/paths.h"
#include "support/run_cli.h"
#include "support/run_command.h"
#include "support/samples.h"
#include "support/serve_process.h"
#include "support/temp_dir.h"
#include "../archive/test_util.h"

namespace zhiping {
namespace {

const char kAdmin[] = "admin-token-jobs";
const char kRender[] = "render-token-jobs";
const char kClerk[] = "clerk-token-jobs";  // issue only: may cancel its own jobs

using testing::FreshDir;

// samples/bulk-letters.json grown to `count` items with fresh applicant ids; items in `broken` lose their name.
using archive::testing::Describe;

std::string BulkBody(size_t count, const std::set<size_t>& broken, const std::string& prefix) {
  return testing::LettersBody(count, prefix, broken);
}

using Reply = testing::TestReply;

Reply Send(uint16_t port, const std::string& method, const std::string& path, const std::string& token,
           const std::string& body = "", const std::string& content_type = "application/json",
           const std::map<std::string, std::string>& headers = {}) {
  testing::RequestOptions options;
  options.content_type = content_type;
  options.headers = headers;
  options.timeout_seconds = 60;
  return testing::SendTestRequest(port, method, path, token, body, options);
}

Poco::JSON::Object::Ptr Json(const std::string& text) { return testing::ParseObject(text); }

class jobs_Http : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::LoopbackServiceOptions o;
    o.issuer = [](issuing::IssuerConfig& ic) { ic.observe = service::IssuerMetricsObserver(); };
    o.service = [](service::ServiceConfig& config) {
      config.body_limit = 2u * 1024u * 1024u;
      config.tokens = {{"admin", service::TokenDigest(kAdmin), service::kAllRoles},
                       {"ops", service::TokenDigest(kRender), service::kRoleRender},
                       {"clerk", service::TokenDigest(kClerk), service::kRoleIssue}};
    };
    service_ = new testing::LoopbackService(o);  // one job at a time, none waiting: the 429 case
  }
  static void TearDownTestSuite() { delete service_; }
  static uint16_t port() { return service_->port(); }

  // Polls the job until it is done; returns every `done` figure seen.
  static std::vector<size_t> WaitDone(const std::string& job) {
    std::vector<size_t> seen;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      Reply r = Send(port(), "GET", "/v1/jobs/" + job, kAdmin);
      EXPECT_EQ(r.status, 200) << r.body;
      auto o = Json(r.body);
      seen.push_back(o->getValue<size_t>("done"));
      if (o->getValue<std::string>("state") == "done") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(40));
    }
    return seen;
  }

  static testing::LoopbackService* service_;
};
testing::LoopbackService* jobs_Http::service_;

// ?format=ofd: every letter issued with its sealed OFD too, and the zip carries each one's .ofd after its .pdf, its
// seal valid against the development seal's CA; the job remembers the format (a restart would keep it).
TEST_F(jobs_Http, LettersWithTheirOfdAndTheZipHoldsBoth) {
  Reply bad = Send(port(), "POST", "/v1/jobs/letters?format=xlsx", kAdmin, BulkBody(2, {}, "ZG2022-OF"));
  EXPECT_EQ(bad.status, 422) << bad.body;
  Reply posted = Send(port(), "POST", "/v1/jobs/letters?format=ofd", kAdmin, BulkBody(3, {}, "ZG2022-OF"));
  ASSERT_EQ(posted.status, 202) << posted.body;
  const std::string job = Json(posted.body)->getValue<std::string>("job");
  WaitDone(job);
  const auto record = service_->job_store().Get(job);
  ASSERT_TRUE(record);
  EXPECT_TRUE(record->ofd);
  Reply zip = Send(port(), "GET", "/v1/jobs/" + job + "/letters.zip", kAdmin);
  ASSERT_EQ(zip.status, 200);
  std::istringstream zin(zip.body);
  Poco::Zip::ZipArchive archive(zin);
  std::set<std::string> names;
  const std::string ca = testing::ReadAll(service_->issuer().seal_identity().dev_ca_path);
  for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
    names.insert(it->first);
    if (it->first.size() < 4 || it->first.compare(it->first.size() - 4, 4, ".ofd") != 0) continue;
    std::istringstream again(zip.body);
    Poco::Zip::ZipInputStream entry(again, it->second);
    std::string ofd;
    Poco::StreamCopier::copyToString(entry, ofd);
    const auto reports = seal::VerifyOfd(ofd, {ca});
    ASSERT_EQ(reports.size(), 1u) << it->first;
    EXPECT_TRUE(reports[0].valid()) << it->first;
  }
  EXPECT_EQ(names, (std::set<std::string>{"ZG2022-OF0.pdf", "ZG2022-OF0.ofd", "ZG2022-OF1.pdf", "ZG2022-OF1.ofd",
                                          "ZG2022-OF2.pdf", "ZG2022-OF2.ofd"}));
}

// GET /readyz of the whole service: fonts, archive and the job database, each "ok".
TEST_F(jobs_Http, ReadyzReportsFontsArchiveAndJobs) {
  Reply r = Send(port(), "GET", "/readyz", "");
  ASSERT_EQ(r.status, 200) << r.body;
  auto checks = Json(r.body)->getObject("checks");
  for (const char* part : {"fonts", "archive", "database"}) EXPECT_EQ(checks->getValue<std::string>(part), "ok") << part;
}

// GET /v1/jobs: every job, newest first, a page at a time (limit, offset, next); read roles only; a bad page 400.
TEST_F(jobs_Http, JobsAreListedNewestFirstAPageAtATime) {
  std::vector<std::string> ids;
  for (const char* prefix : {"ZG2022-LA", "ZG2022-LB"}) {
    Reply posted = Send(port(), "POST", "/v1/jobs/letters", kAdmin, BulkBody(1, {}, prefix));
    ASSERT_EQ(posted.status, 202) << posted.body;
    ids.push_back(Json(posted.body)->getValue<std::string>("job"));
    WaitDone(ids.back());
  }
  Reply first = Send(port(), "GET", "/v1/jobs?limit=1", kAdmin);
  ASSERT_EQ(first.status, 200) << first.body;
  auto page = Json(first.body);
  ASSERT_EQ(page->getArray("jobs")->size(), 1u);
  EXPECT_EQ(page->getArray("jobs")->getObject(0)->getValue<std::string>("job"), ids[1]);  // the newest
  EXPECT_EQ(page->getArray("jobs")->getObject(0)->getValue<std::string>("state"), "done");
  EXPECT_GE(page->getValue<size_t>("total"), 2u);
  ASSERT_TRUE(page->has("next"));
  EXPECT_EQ(page->getValue<std::string>("next"), "/v1/jobs?limit=1&offset=1");
  Reply second = Send(port(), "GET", page->getValue<std::string>("next"), kAdmin);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(Json(second.body)->getArray("jobs")->getObject(0)->getValue<std::string>("job"), ids[0]);
  Reply all = Send(port(), "GET", "/v1/jobs?limit=500", kAdmin);
  EXPECT_FALSE(Json(all.body)->has("next"));
  EXPECT_EQ(Json(all.body)->getArray("jobs")->size(), Json(all.body)->getValue<size_t>("total"));
  EXPECT_EQ(Send(port(), "GET", "/v1/jobs?limit=0", kAdmin).status, 400);
  EXPECT_EQ(Send(port(), "GET", "/v1/jobs?offset=-1", kAdmin).status, 400);
  EXPECT_EQ(Send(port(), "GET", "/v1/jobs", kRender).status, 403);
}

TEST_F(jobs_Http, TwoHundredLettersProgressZipAndArchive) {
  Reply posted = Send(port(), "POST", "/v1/jobs/letters", kAdmin, BulkBody(200, {}, "ZG2022-J"));
  ASSERT_EQ(posted.status, 202) << posted.body;
  const std::string job = Json(posted.body)->getValue<std::string>("job");
  EXPECT_EQ(Json(posted.body)->getValue<size_t>("total"), 200u);
  // While it runs, a second job is refused: one runs, none may wait.
  Reply busy = Send(port(), "POST", "/v1/jobs/letters", kAdmin, BulkBody(3, {}, "ZG2022-K"));
  EXPECT_EQ(busy.status, 429) << busy.body;
  EXPECT_EQ(busy.headers.get("Retry-After", ""), "30");
  std::vector<size_t> seen = WaitDone(job);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back(), 200u);
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GE(seen[i], seen[i - 1]);  // progress only advances
  EXPECT_GE(std::set<size_t>(seen.begin(), seen.end()).size(), 2u) << "no progress was ever seen mid-job";
  // The zip: 200 letters, every one a PDF whose signature verifies against the development CA.
  Reply zip = Send(port(), "GET", "/v1/jobs/" + job + "/letters.zip", kAdmin);
  ASSERT_EQ(zip.status, 200);
  std::istringstream zin(zip.body);
  Poco::Zip::ZipArchive archive(zin);
  size_t letters = 0;
  for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
    std::istringstream again(zip.body);
    Poco::Zip::ZipInputStream entry(again, it->second);
    std::string pdf;
    Poco::StreamCopier::copyToString(entry, pdf);
    auto reports = sign::VerifyPdf(pdf, {service_->issuer().dev_ca_path()});
    ASSERT_EQ(reports.size(), 1u) << it->first;
    EXPECT_TRUE(reports[0].digest_valid) << it->first;
    EXPECT_TRUE(reports[0].trusted) << it->first;
    ++letters;
  }
  EXPECT_EQ(letters, 200u);
  size_t objects = 0;
  for (const auto& report : archive::VerifyStore(service_->dir() + "/archive")) {
    EXPECT_TRUE(report.valid()) << Describe(report);
    if (!report.object_id.empty()) ++objects;
  }
  EXPECT_GE(objects, 200u);
  // Metrics saw it: requests by route and status, stage latencies, documents issued, jobs by state. At least: the
  // other tests of this suite share the process's metrics when the binary runs whole (CTest runs each alone).
  Reply m = Send(port(), "GET", "/metrics", kAdmin);
  ASSERT_EQ(m.status, 200);
  auto value = [&](const std::string& series) {
    const size_t at = m.body.find(series + " ");
    return at == std::string::npos ? -1.0 : std::stod(m.body.substr(at + series.size() + 1));
  };
  EXPECT_GE(value("zhiping_http_requests_total{method=\"POST\",route=\"/v1/jobs/letters\",status=\"202\"}"), 1)
      << m.body;
  EXPECT_GE(value("zhiping_http_requests_total{method=\"POST\",route=\"/v1/jobs/letters\",status=\"429\"}"), 1);
  EXPECT_NE(m.body.find("zhiping_stage_duration_seconds_count{stage=\"sign\"}"), std::string::npos);
  EXPECT_GE(value("zhiping_documents_issued_total{template=\"letter\"}"), 200);
  EXPECT_GE(value("zhiping_jobs{state=\"done\"}"), 1);
  EXPECT_NE(m.body.find("zhiping_queue_depth 0"), std::string::npos);
}

TEST_F(jobs_Http, ThreeInvalidItemsAreReportedAlone) {
  Reply posted = Send(port(), "POST", "/v1/jobs/letters", kAdmin, BulkBody(12, {1, 5, 11}, "ZG2022-L"));
  ASSERT_EQ(posted.status, 202) << posted.body;
  const std::string job = Json(posted.body)->getValue<std::string>("job");
  WaitDone(job);
  auto o = Json(Send(port(), "GET", "/v1/jobs/" + job, kAdmin).body);
  auto failed = o->getArray("failed");
  ASSERT_EQ(failed->size(), 3u);
  std::vector<size_t> indexes;
  for (unsigned i = 0; i < failed->size(); ++i) {
    indexes.push_back(failed->getObject(i)->getValue<size_t>("index"));
    EXPECT_NE(failed->getObject(i)->getValue<std::string>("reason").find("/applicant/name"), std::string::npos);
  }
  EXPECT_EQ(indexes, (std::vector<size_t>{1, 5, 11}));
  EXPECT_EQ(o->getValue<size_t>("done"), 12u);
}

TEST_F(jobs_Http, LettersPdfIsOneFileToPrintWithTheFailedListed) {
  // Unknown job: 404; a job not done (cancelled the moment it was made, before a worker polls): 409 with a
  // Chinese sentence.
  EXPECT_EQ(Send(port(), "GET", "/v1/jobs/0123456789abcdef0123456789abcdef/letters.pdf", kAdmin).status, 404);
  const std::string waiting = service_->job_store().Create("admin", BulkBody(1, {}, "ZG2022-W"), 1, "waits");
  EXPECT_TRUE(service_->job_store().Cancel(waiting));
  Reply early = Send(port(), "GET", "/v1/jobs/" + waiting + "/letters.pdf", kAdmin);
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_NE(early.body.find("全部完成后才能下载打印文件"), std::string::npos) << early.body;
  EXPECT_NE(early.body.find("已取消"), std::string::npos) << early.body;

  Reply posted = Send(port(), "POST", "/v1/jobs/letters", kAdmin, BulkBody(5, {2}, "ZG2022-P"));
  ASSERT_EQ(posted.status, 202) << posted.body;
  const std::string job = Json(posted.body)->getValue<std::string>("job");
  WaitDone(job);
  Reply pdf = Send(port(), "GET", "/v1/jobs/" + job + "/letters.pdf", kAdmin);
  ASSERT_EQ(pdf.status, 200) << pdf.body.substr(0, 300);
  EXPECT_EQ(pdf.headers.get("Content-Type", ""), "application/pdf");
  const std::string path = service_->dir() + "/letters-" + job + ".pdf";
  testing::WriteAll(path, pdf.body);
  auto check = testing::RunCommand("qpdf --check " + testing::Quote(path));
  EXPECT_EQ(check.exit_code, 0) << check.output();
  // 4 one-page-or-more letters each padded to an even count, the index padded too: an even total.
  auto pages = testing::RunCommand("qpdf --show-npages " + testing::Quote(path));
  ASSERT_EQ(pages.exit_code, 0) << pages.output();
  const int n = std::atoi(pages.out.c_str());
  EXPECT_GE(n, 10);
  EXPECT_EQ(n % 2, 0);
  auto index = testing::RunCommand("pdftotext -q -layout -f 1 -l 1 " + testing::Quote(path) + " -");
  EXPECT_NE(index.out.find("未生成"), std::string::npos) << index.out;  // item 2 failed: listed, with no page
  EXPECT_NE(index.out.find("工作单位"), std::string::npos) << index.out;
}

// Review forms and reports go through the same job machinery: POST /v1/jobs/{kind}, the job knows its kind, and
// GET /v1/jobs/{job}/print.pdf is its print file (letters.pdf answers the same); the zip names reports by file.
TEST_F(jobs_Http, ReviewFormsAndReportsJobsGiveTheirPrintFiles) {
  struct Case {
    std::string kind, body, heading, first_path;
  };
  for (const Case& c : {Case{"review-forms", testing::ReviewFormsBody(3, {1}, "ZG2022-H"), "评审表打印文件", ""},
                        Case{"reports", testing::ReportsBody(2), "评审委员会报告打印文件", "report-c0.pdf"}}) {
    SCOPED_TRACE(c.kind);
    // The sample round's deadline has passed: reports need the admin's override, as POST /v1/documents/report does.
    if (c.kind == "reports") {
      Reply late = Send(port(), "POST", "/v1/jobs/reports", kAdmin, c.body);
      EXPECT_EQ(late.status, 409) << late.body;
      EXPECT_NE(late.body.find("deadline-passed"), std::string::npos) << late.body;
    }
    Reply posted = Send(port(), "POST", "/v1/jobs/" + c.kind, kAdmin, c.body, "application/json",
                        {{"X-Zhiping-Override-Reason", "late committee"}});
    ASSERT_EQ(posted.status, 202) << posted.body;
    EXPECT_EQ(Json(posted.body)->getValue<std::string>("kind"), c.kind);
    const std::string job = Json(posted.body)->getValue<std::string>("job");
    WaitDone(job);
    auto status = Json(Send(port(), "GET", "/v1/jobs/" + job, kAdmin).body);
    EXPECT_EQ(status->getValue<std::string>("kind"), c.kind);
    EXPECT_EQ(status->getValue<std::string>("state"), "done");
    Reply pdf = Send(port(), "GET", "/v1/jobs/" + job + "/print.pdf", kAdmin);
    ASSERT_EQ(pdf.status, 200) << pdf.body.substr(0, 300);
    EXPECT_EQ(pdf.headers.get("Content-Type", ""), "application/pdf");
    EXPECT_NE(pdf.headers.get("Content-Disposition", "").find(c.kind + "-" + job + ".pdf"), std::string::npos);
    EXPECT_EQ(Send(port(), "GET", "/v1/jobs/" + job + "/letters.pdf", kAdmin).body.size(), pdf.body.size());
    const std::string path = service_->dir() + "/" + c.kind + "-" + job + ".pdf";
    testing::WriteAll(path, pdf.body);
    auto check = testing::RunCommand("qpdf --check " + testing::Quote(path));
    EXPECT_EQ(check.exit_code, 0) << check.output();
    auto index = testing::RunCommand("pdftotext -q -layout -f 1 -l 1 " + testing::Quote(path) + " -");
    EXPECT_NE(index.out.find(c.heading), std::string::npos) << index.out;
    if (c.kind == "review-forms") {
      EXPECT_NE(index.out.find(testing::ReviewFormName(0)), std::string::npos) << index.out;
      EXPECT_NE(index.out.find("未生成"), std::string::npos) << index.out;  // item 1 has no name
      ASSERT_EQ(status->getArray("failed")->size(), 1u);
      EXPECT_NE(status->getArray("failed")->getObject(0)->getValue<std::string>("reason").find("/applicant/name"),
                std::string::npos);
    }
    Reply zip = Send(port(), "GET", "/v1/jobs/" + job + "/letters.zip", kAdmin);
    ASSERT_EQ(zip.status, 200);
    if (!c.first_path.empty()) {
      EXPECT_NE(zip.body.find(c.first_path), std::string::npos);
    }
  }
  // The kinds' own envelope rules: a review-forms body without items is refused as a whole.
  Reply bad = Send(port(), "POST", "/v1/jobs/review-forms", kAdmin, R"({"batch": {}, "items": []})");
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_NE(bad.body.find("/items"), std::string::npos) << bad.body;
}

// DELETE /v1/jobs/{job}: the job stops within a heartbeat, what was issued stays issued; only the token that
// submitted it (or an admin) may cancel it; an ended job cannot be cancelled.
TEST_F(jobs_Http, ACancelledJobStopsAndKeepsWhatItIssued) {
  Reply posted = Send(port(), "POST", "/v1/jobs/letters", kClerk, BulkBody(400, {}, "ZG2022-X"));
  ASSERT_EQ(posted.status, 202) << posted.body;
  const std::string job = Json(posted.body)->getValue<std::string>("job");
  for (int i = 0; i < 3000 && Json(Send(port(), "GET", "/v1/jobs/" + job, kAdmin).body)->getValue<size_t>("done") < 5; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(Send(port(), "DELETE", "/v1/jobs/" + job, kRender).status, 403);  // no issue role
  Reply cancelled = Send(port(), "DELETE", "/v1/jobs/" + job, kClerk);
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Json(cancelled.body)->getValue<std::string>("state"), "cancelled");
  const size_t done_at_cancel = Json(cancelled.body)->getValue<size_t>("done");
  // Every worker of the instance finishes only the item in hand: at most one more item each, however loaded the
  // machine (the job's chunks are 16 items: a worker that went on would add up to 15 more).
  const size_t workers = 2 * std::max(1u, std::thread::hardware_concurrency());
  size_t done = 0;
  for (int i = 0; i < 100; ++i) {  // settled: two reads 0.5 s apart agree (at most 50 s)
    done = Json(Send(port(), "GET", "/v1/jobs/" + job, kAdmin).body)->getValue<size_t>("done");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    if (Json(Send(port(), "GET", "/v1/jobs/" + job, kAdmin).body)->getValue<size_t>("done") == done) break;
  }
  EXPECT_LE(done, done_at_cancel + workers) << "a cancelled job went on issuing";
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto after = Json(Send(port(), "GET", "/v1/jobs/" + job, kAdmin).body);
  EXPECT_EQ(after->getValue<std::string>("state"), "cancelled");
  EXPECT_EQ(after->getValue<size_t>("done"), done) << "a cancelled job went on issuing";
  EXPECT_LT(done, 400u);
  archive::Store store(service_->dir() + "/archive");
  EXPECT_TRUE(store.Exists(archive::ApplicantObjectId("ZG2022-X0")));
  Reply again = Send(port(), "DELETE", "/v1/jobs/" + job, kAdmin);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_NE(again.body.find("已经结束"), std::string::npos) << again.body;
  EXPECT_EQ(Send(port(), "DELETE", "/v1/jobs/" + std::string(32, 'a'), kAdmin).status, 404);
  // Another token with the issue role may not cancel the admin's job; the admin may cancel anyone's.
  Reply other = Send(port(), "POST", "/v1/jobs/letters", kAdmin, BulkBody(300, {}, "ZG2022-Y"));
  ASSERT_EQ(other.status, 202) << other.body;
  const std::string admins = Json(other.body)->getValue<std::string>("job");
  Reply refused = Send(port(), "DELETE", "/v1/jobs/" + admins, kClerk);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(refused.body.find("只有提交它的令牌或管理员令牌可以取消它"), std::string::npos) << refused.body;
  EXPECT_EQ(Send(port(), "DELETE", "/v1/jobs/" + admins, kAdmin).status, 200);
}

TEST_F(jobs_Http, ACallbackUrlMustBeHttpWithAHostAndNoCredentials) {
  const std::string small = BulkBody(1, {}, "ZG2022-C");
  for (const char* bad : {"ftp%3A%2F%2Fportal%2Fdone", "https%3A%2F%2Fuser%3Apw%40portal%2Fdone", "not-a-url"}) {
    Reply r = Send(port(), "POST", std::string("/v1/jobs/letters?callback_url=") + bad, kAdmin, small);
    EXPECT_EQ(r.status, 422) << bad << ": " << r.body;
    EXPECT_NE(r.body.find("/callback_url"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("\"code\":\"callback."), std::string::npos) << r.body;
  }
}

TEST_F(jobs_Http, RefusalsEachHaveTheirStatus) {
  const std::string small = BulkBody(2, {}, "ZG2022-M");
  EXPECT_EQ(Send(port(), "POST", "/v1/jobs/letters", "", small).status, 401);
  EXPECT_EQ(Send(port(), "POST", "/v1/jobs/letters", kRender, small).status, 403);
  EXPECT_EQ(Send(port(), "POST", "/v1/jobs/letters", kAdmin, small, "text/plain").status, 415);
  {  // Over the 2 MiB limit: refused from the Content-Length alone, before any of the body is read.
    Poco::Net::HTTPClientSession session("127.0.0.1", port());
    Poco::Net::HTTPRequest request("POST", "/v1/jobs/letters", Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", std::string("Bearer ") + kAdmin);
    request.setContentType("application/json");
    request.setContentLength64(3 * 1024 * 1024);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    session.receiveResponse(response);
    EXPECT_EQ(response.getStatus(), 413);
  }
  Reply bad = Send(port(), "POST", "/v1/jobs/letters", kAdmin, R"({"batch": {}, "items": []})");
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_NE(bad.body.find("/letter"), std::string::npos);
  EXPECT_EQ(Send(port(), "POST", "/v1/jobs/letters", kAdmin, "{\"items\": [").status, 400);
  EXPECT_EQ(Send(port(), "GET", "/v1/jobs/" + std::string(32, 'a'), kAdmin).status, 404);
  EXPECT_EQ(Send(port(), "GET", "/v1/jobs/..%2Fetc", kAdmin).status, 404);
  EXPECT_EQ(Send(port(), "GET", "/metrics", "").status, 401);
  EXPECT_EQ(Send(port(), "GET", "/metrics", kRender).status, 403);
}

TEST_F(jobs_Http, ReportsAfterTheDeadlineNeedAnAdminOverride) {
  // samples/report.json belongs to the 2022 round (deadline 2022-09-15): long past.
  const std::string report = testing::Sample("report");
  Reply refused = Send(port(), "POST", "/v1/documents/report", kAdmin, report);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_NE(refused.body.find("2022-09-15"), std::string::npos) << refused.body;
  Reply ok = Send(port(), "POST", "/v1/documents/report", kAdmin, report, "application/json",
                  {{"X-Zhiping-Override-Reason", "late committee, approved by the office"}});
  ASSERT_EQ(ok.status, 201) << ok.body;
  const std::string batch = Json(report)->getObject("batch")->getValue<std::string>("id");
  Reply versions = Send(port(), "GET", "/v1/batches/" + batch + "/versions", kAdmin);
  EXPECT_NE(versions.body.find("overridden by admin: late committee"), std::string::npos) << versions.body;
}

// `zhiping serve` as users run it: SIGTERM in the middle of a job finishes the letters in flight, leaves a valid
// archive, and the next start reports the job as interrupted instead of forgetting it.
// SIGTERM mid-job: the items in flight finish, the job's chunks go back, and the next start resumes it; SIGKILL
// mid-job: the next start (SQLite: one process, so its leases are given back at once) resumes it too. Either
// way every letter ends up archived exactly once (one version per applicant) and the archive verifies.
TEST(jobs_Serve, AStoppedOrKilledServiceResumesItsJobAndIssuesEveryLetterOnce) {
  const std::string dir = FreshDir("sigterm");
  testing::CliOptions options;
  options.env = {{"ZHIPING_ADMIN_TOKEN", kAdmin}};
  options.cache_home = testing::TestTmpRoot() + "/jobs-xdg";
  constexpr size_t kLetters = 300;
  std::unique_ptr<testing::ServeProcess> serve;
  auto start = [&](int* port_out) {
    serve = std::make_unique<testing::ServeProcess>(std::vector<std::string>{"--archive", dir + "/archive"}, dir, options);
    *port_out = serve->port();
  };
  auto get = [&](int port, const std::string& job) {
    return Json(Send(static_cast<uint16_t>(port), "GET", "/v1/jobs/" + job, kAdmin).body);
  };
  // Waits until `at_least` letters are done; for the whole job, until it has also ended: the last outcome is
  // recorded a moment before the job's state becomes "done", and a GET may fall between the two.
  auto wait_done = [&](int port, const std::string& job, size_t at_least) {
    for (int i = 0; i < 6000; ++i) {  // up to 120 s on a loaded machine
      auto o = get(port, job);
      const std::string state = o->getValue<std::string>("state");
      const bool ended = state != "queued" && state != "running";
      if (ended || (o->getValue<size_t>("done") >= at_least && at_least < kLetters)) return o;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return get(port, job);
  };
  auto each_once = [&](const std::string& prefix, size_t n) {
    archive::Store store(dir + "/archive");
    for (size_t i = 0; i < n; ++i) {
      const std::string object = archive::ApplicantObjectId(prefix + std::to_string(i));
      ASSERT_TRUE(store.Exists(object)) << object;
      EXPECT_EQ(store.Versions(object).size(), 1u) << object;
    }
  };
  int port = 0;
  start(&port);
  ASSERT_GT(port, 0);
  Reply posted = Send(static_cast<uint16_t>(port), "POST", "/v1/jobs/letters", kAdmin, BulkBody(kLetters, {}, "ZG2022-S"));
  ASSERT_EQ(posted.status, 202) << posted.body;
  const std::string job = Json(posted.body)->getValue<std::string>("job");
  wait_done(port, job, 20);
  EXPECT_EQ(serve->Stop(SIGTERM), 0) << serve->log();
  for (const auto& report : archive::VerifyStore(dir + "/archive")) EXPECT_TRUE(report.valid()) << Describe(report);
  start(&port);
  ASSERT_GT(port, 0);
  auto o = wait_done(port, job, kLetters);
  EXPECT_EQ(o->getValue<std::string>("state"), "done") << serve->log();
  EXPECT_EQ(o->getValue<size_t>("done"), kLetters);
  each_once("ZG2022-S", kLetters);

  // A crash (kill -9) mid-job: the next start gives the dead process's chunks back and finishes the job.
  Reply second = Send(static_cast<uint16_t>(port), "POST", "/v1/jobs/letters", kAdmin, BulkBody(kLetters, {}, "ZG2022-T"));
  ASSERT_EQ(second.status, 202) << second.body;
  const std::string crashed = Json(second.body)->getValue<std::string>("job");
  wait_done(port, crashed, 10);
  serve->Stop(SIGKILL);
  for (const auto& report : archive::VerifyStore(dir + "/archive")) EXPECT_TRUE(report.valid()) << Describe(report);
  start(&port);
  ASSERT_GT(port, 0);
  o = wait_done(port, crashed, kLetters);
  EXPECT_EQ(o->getValue<std::string>("state"), "done") << serve->log();
  EXPECT_EQ(o->getValue<size_t>("done"), kLetters);
  each_once("ZG2022-T", kLetters);
  EXPECT_EQ(serve->Stop(SIGTERM), 0) << serve->log();
  for (const auto& report : archive::VerifyStore(dir + "/archive")) EXPECT_TRUE(report.valid()) << Describe(report);
}

}  // namespace
}  // namespace zhiping
