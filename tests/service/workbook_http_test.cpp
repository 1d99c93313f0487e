// Workbooks as HTTP bodies (Content-Type: the XLSX media type) against a real server on 127.0.0.1 with a real
// Renderer, Issuer and job runner: POST /v1/render/{template}, /v1/documents/{template} and /v1/jobs/letters read
// them as `zhiping import` does, take what a workbook cannot hold from the query, answer a workbook's problems as
// 422 problem+json naming sheet, cell and person (each with its pointer), and stay within the body limit.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <thread>

#include "common/json.h"
#include "service/config.h"
#include "service/http_server.h"
#include "service/request_body.h"
#include "service/routes.h"
#include "support/files.h"
#include "support/http_client.h"
#include "support/loopback_service.h"
#include "support/paths.h"
#include "support/run_command.h"
#include "support/samples.h"
#include "support/temp_dir.h"

namespace zhiping::service {
namespace {

const char kToken[] = "workbook-token-321";

using Reply = zhiping::testing::TestReply;

class WorkbookHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    zhiping::testing::LoopbackServiceOptions o;
    o.scratch_name = "workbook-http";
    o.service = [](ServiceConfig& config) {
      config.body_limit = 64 * 1024;
      config.roster_body_limit = 1024 * 1024;  // what a workbook body may be
      config.request_timeout_seconds = 60;
      config.tokens = {{"admin", TokenDigest(kToken), kAllRoles}};
    };
    service_ = new zhiping::testing::LoopbackService(o);
  }
  static void TearDownTestSuite() { delete service_; }

  static Reply Post(const std::string& path, const std::string& body,
                    const std::string& content_type = kXlsxMediaType) {
    zhiping::testing::RequestOptions o;
    o.content_type = content_type;
    return zhiping::testing::SendTestRequest(service_->port(), "POST", path, kToken, body, o);
  }

  // A workbook made by tests/import/make_workbooks.py (openpyxl), as bytes.
  static std::string Workbook(const std::string& name, const std::string& ext = ".xlsx") {
    const auto r = zhiping::testing::RunCommand(
        "/usr/bin/python3 " + zhiping::testing::Quote(zhiping::testing::SourceDir() + "/tests/import/make_workbooks.py") +
        " " + zhiping::testing::Quote(service_->dir()) + " " + name);
    EXPECT_EQ(r.exit_code, 0) << r.output();
    return zhiping::testing::ReadAll(service_->dir() + "/" + name + ext);
  }

  static zhiping::testing::LoopbackService* service_;
};
zhiping::testing::LoopbackService* WorkbookHttpTest::service_;

TEST_F(WorkbookHttpTest, RenderTakesAWorkbookAndWhatItLacksFromTheQuery) {
  // What zhiping's roster writer makes renders again from the workbook itself.
  const std::string roster = service_->renderer().Render("roster-summary", zhiping::testing::Sample("roster-summary")).bytes;
  Reply r = Post("/v1/render/roster-summary", roster);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, kXlsxMediaType);

  // A letter from an office's workbook: one person (?row=), the office and date from the query.
  const std::string book = Workbook("office_results");
  Reply letter = Post("/v1/render/letter?row=3&office=%E7%9C%81%E6%94%BF%E5%B7%A5%E8%81%8C%E8%AF%84%E5%8A%9E"
                      "&issued=2022-12-30",
                      book);
  ASSERT_EQ(letter.status, 200) << letter.body;
  EXPECT_EQ(letter.content_type, "application/pdf");

  // Without them: 422, each problem with its pointer, the missing ones named by their query parameter.
  auto p = zhiping::testing::ExpectProblem(Post("/v1/render/letter?row=3", book), 422);
  const std::string errors = JsonText(p->get("errors"));
  EXPECT_NE(errors.find("\"/batch/office\""), std::string::npos) << errors;
  EXPECT_NE(errors.find("?office="), std::string::npos) << errors;
  EXPECT_NE(errors.find("?issued="), std::string::npos) << errors;
}

TEST_F(WorkbookHttpTest, AWorkbooksProblemsAre422NamingSheetCellAndPerson) {
  auto p = zhiping::testing::ExpectProblem(Post("/v1/render/roster-summary?year=2022&title=x", Workbook("bad_person")),
                                           422);
  const std::string errors = JsonText(p->get("errors"));
  EXPECT_NE(errors.find("\"/applicants/0/id_number\""), std::string::npos) << errors;
  EXPECT_NE(errors.find("汇总表!C2（张三）身份证号："), std::string::npos) << errors;
  // One sentence for what is no workbook at all.
  auto xls = zhiping::testing::ExpectProblem(Post("/v1/render/roster-summary", Workbook("old_xls", ".xls")), 422);
  EXPECT_NE(JsonText(xls->get("errors")).find("旧版 Excel 97-2003 工作簿"), std::string::npos);
  // The body limit holds for workbooks too, and JSON routes still say what they take.
  EXPECT_EQ(Post("/v1/render/roster-summary", std::string(2 * 1024 * 1024, 'P')).status, 413);
  EXPECT_EQ(Post("/v1/render/roster-summary", "PK", "application/vnd.ms-excel").status, 415);
}

TEST_F(WorkbookHttpTest, DocumentsArchiveTheBodyReadFromTheWorkbook) {
  const std::string roster = service_->renderer().Render("roster-results", zhiping::testing::Sample("roster-results")).bytes;
  Reply r = Post("/v1/documents/roster-results?batch_id=wb-http-2022", roster);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string files = r.body;
  EXPECT_NE(files.find("roster-results.json"), std::string::npos) << files;
  // The archived body is the JSON the workbook was read into.
  Reply body = zhiping::testing::SendTestRequest(service_->port(), "GET",
                                                 "/v1/batches/wb-http-2022/documents/roster-results.json", kToken);
  ASSERT_EQ(body.status, 200) << body.body;
  const auto archived = ParseJson(body.body);
  EXPECT_EQ(StringAt(archived, "/batch/id"), "wb-http-2022");
  EXPECT_EQ(StringAt(archived, "/applicants/0/name"), "孟雅琴");
  EXPECT_EQ(JsonText(AtPointer(archived, "/results/0/senior_review/votes")), JsonText(AtPointer(
      zhiping::testing::SampleJson("roster-results"), "/results/0/senior_review/votes")));
}

TEST_F(WorkbookHttpTest, BulkLettersFromAWorkbookOfApplicantsAndResults) {
  const std::string book = Workbook("office_results");
  auto missing = zhiping::testing::ExpectProblem(Post("/v1/jobs/letters", book), 422);
  EXPECT_NE(JsonText(missing->get("errors")).find("?issued="), std::string::npos);
  Reply r = Post("/v1/jobs/letters?office=%E7%9C%81%E6%94%BF%E5%B7%A5%E8%81%8C%E8%AF%84%E5%8A%9E&issued=2022-12-30",
                 book);
  ASSERT_EQ(r.status, 202) << r.body;
  const auto posted = ParseJson(r.body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(posted->getValue<size_t>("total"), 3u);
  const std::string job = posted->getValue<std::string>("job");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  std::string state;
  while (state != "done" && std::chrono::steady_clock::now() < deadline) {
    Reply s = zhiping::testing::SendTestRequest(service_->port(), "GET", "/v1/jobs/" + job, kToken);
    ASSERT_EQ(s.status, 200) << s.body;
    state = StringAt(ParseJson(s.body), "/state");
    if (state != "done") std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(state, "done");
  Reply s = zhiping::testing::SendTestRequest(service_->port(), "GET", "/v1/jobs/" + job, kToken);
  EXPECT_EQ(JsonText(AtPointer(ParseJson(s.body), "/done")), "3") << s.body;
  EXPECT_EQ(JsonText(AtPointer(ParseJson(s.body), "/failed")), "[]") << s.body;
}

}  // namespace
}  // namespace zhiping::service
