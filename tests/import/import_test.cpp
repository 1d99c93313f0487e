// Excel in: what zhiping's roster-summary writes reads back to the same applicants; workbooks shaped like the
// offices' (made here by make_workbooks.py with openpyxl) import with their quirks; hostile workbooks end in one
// clear sentence with bounded memory; `zhiping import` and `zhiping render roster-summary x.xlsx` work end to end.
#include <sys/resource.h>

#include <gtest/gtest.h>

#include <map>

#include <Poco/JSON/Object.h>

#include "common/error.h"
#include "common/json.h"
#include "import/body_import.h"
#include "import/workbook.h"
#include "support/files.h"
#include "support/paths.h"
#include "support/resource_bounds.h"
#include "support/run_cli.h"
#include "support/run_command.h"
#include "support/samples.h"
#include "support/temp_dir.h"

namespace zhiping::import {
namespace {

using testing::Quote;

constexpr const char* kToday = "2022-12-31";
constexpr const char* PEOPLE_ID_ZHANG = "330102198001151232";  // make_workbooks.py PEOPLE[0]

// Makes workbook `name` in `dir` with make_workbooks.py; its path.
std::string Make(const std::string& dir, const std::string& name, const std::string& ext = ".xlsx") {
  const auto r = testing::RunCommand("/usr/bin/python3 " + Quote(testing::SourceDir() + "/tests/import/make_workbooks.py") +
                                     " " + Quote(dir) + " " + name);
  EXPECT_EQ(r.exit_code, 0) << r.output();
  return dir + "/" + name + ext;
}

Poco::JSON::Array::Ptr Applicants(const ImportResult& r) {
  return ParseJson(r.body).extract<Poco::JSON::Object::Ptr>()->getArray("applicants");
}

std::string At(const Poco::JSON::Array::Ptr& a, size_t i, const std::string& pointer) {
  return StringAt(a->get(static_cast<unsigned>(i)), pointer);
}

// The problems of an import that must fail, one "pointer: rule" per line.
std::string ProblemsOf(const std::string& path, const ImportOptions& options = {}) {
  try {
    ImportBody(path, options, model::ValidationContext(kToday));
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    std::string out = e.problems().empty() ? std::string(e.what()) + "\n" : "";
    for (const auto& p : e.problems()) out += FormatProblem(p) + "\n";
    return out;
  }
  ADD_FAILURE() << path << " imported without a problem";
  return "";
}

ImportOptions Round2022() {
  ImportOptions o;
  o.values["year"] = "2022";
  o.values["title"] = "高级政工师";
  return o;
}

TEST(DateText, TheFormsOfficesType) {
  EXPECT_EQ(NormalizeDateText("1980.01"), "1980-01");
  EXPECT_EQ(NormalizeDateText("1980-01"), "1980-01");
  EXPECT_EQ(NormalizeDateText("198001"), "1980-01");
  EXPECT_EQ(NormalizeDateText("1980年1月"), "1980-01");
  EXPECT_EQ(NormalizeDateText(" 1980/1/5 "), "1980-01-05");
  EXPECT_EQ(NormalizeDateText("19800105"), "1980-01-05");
  EXPECT_EQ(NormalizeDateText("1980年1月5日"), "1980-01-05");
  EXPECT_EQ(NormalizeDateText("某年某月"), "");
  EXPECT_EQ(NormalizeDateText("80.1"), "");
}

TEST(RoundTrip, WhatRosterSummaryWritesReadsBackToTheSameApplicants) {
  const std::string dir = testing::FreshDir("import-roundtrip");
  const auto w = testing::RunCli({"render", "roster-summary", testing::SamplePath("roster-summary"), "-o",
                                  dir + "/rs.xlsx"}, dir);
  ASSERT_EQ(w.status, 0) << w.err;
  const ImportResult r = ImportBody(dir + "/rs.xlsx", {}, model::ValidationContext(kToday));
  const Poco::Dynamic::Var sample = testing::SampleJson("roster-summary");
  const auto expected = sample.extract<Poco::JSON::Object::Ptr>()->getArray("applicants");
  const auto got = Applicants(r);
  ASSERT_EQ(got->size(), expected->size());
  EXPECT_EQ(r.header_row, 2u);  // under the title row
  for (size_t i = 0; i < got->size(); ++i) {
    for (const char* p : {"/name", "/gender", "/birth", "/id_number", "/unit", "/post", "/applying_for", "/phone",
                          "/education/level", "/current_title/name", "/current_title/since"}) {
      EXPECT_EQ(At(got, i, p), At(expected, i, p)) << "applicant " << i << p;
    }
    EXPECT_EQ(At(got, i, "/id"), At(expected, i, "/id_number"));  // no id column: the ID number
  }
  EXPECT_EQ(r.id_source, "身份证号");
  const auto batch = ParseJson(r.body).extract<Poco::JSON::Object::Ptr>()->getObject("batch");
  EXPECT_EQ(batch->getValue<int>("year"), 2022);  // from the title row
  EXPECT_EQ(batch->getValue<std::string>("title"), "高级政工师");
}

TEST(OfficeWorkbooks, HeaderNotFirstUnderMergedTitleWithExcelDates) {
  const std::string dir = testing::FreshDir("import-office");
  const ImportResult r = ImportBody(Make(dir, "header_not_first"), {}, model::ValidationContext(kToday));
  EXPECT_EQ(r.header_row, 4u);
  const auto a = Applicants(r);
  ASSERT_EQ(a->size(), 3u);
  EXPECT_EQ(At(a, 0, "/name"), "张三");
  EXPECT_EQ(At(a, 0, "/birth"), "1980-01");                 // yyyy.mm: a month
  EXPECT_EQ(At(a, 0, "/current_title/since"), "2012-12-01");  // yyyy-mm-dd: a day
  EXPECT_EQ(At(a, 1, "/phone"), "13800138001");              // a number cell, as text
  EXPECT_EQ(ParseJson(r.body).extract<Poco::JSON::Object::Ptr>()->getObject("batch")->getValue<int>("year"), 2022);
}

TEST(OfficeWorkbooks, ColumnsInAnotherOrderWithVariantHeaders) {
  const std::string dir = testing::FreshDir("import-office");
  const ImportResult r = ImportBody(Make(dir, "variant_headers"), Round2022(), model::ValidationContext(kToday));
  const auto a = Applicants(r);
  ASSERT_EQ(a->size(), 3u);
  EXPECT_EQ(At(a, 2, "/name"), "王五");  // 姓 名
  EXPECT_EQ(At(a, 2, "/id_number"), "330102196907053111");  // 公民身份\n号码
  EXPECT_EQ(At(a, 2, "/unit"), "温州医科大学");  // 单位
  EXPECT_EQ(At(a, 2, "/current_title/name"), "政工师");  // 现任专业技术职务
  EXPECT_EQ(At(a, 2, "/applying_for"), "高级政工师");  // 申报职务
  EXPECT_EQ(At(a, 2, "/birth"), "1969-07-05");
}

TEST(OfficeWorkbooks, DatesAsTextInEveryForm) {
  const std::string dir = testing::FreshDir("import-office");
  const auto a = Applicants(ImportBody(Make(dir, "text_dates"), Round2022(), model::ValidationContext(kToday)));
  ASSERT_EQ(a->size(), 4u);
  EXPECT_EQ(At(a, 0, "/birth"), "1980-01");       // 1980.01
  EXPECT_EQ(At(a, 1, "/birth"), "1975-10");       // 1975-10
  EXPECT_EQ(At(a, 2, "/birth"), "1969-07");       // 196907
  EXPECT_EQ(At(a, 3, "/birth"), "1980-01");       // 1980年1月
  EXPECT_EQ(At(a, 1, "/work_start"), "1998-08");  // 1998年8月
  EXPECT_EQ(At(a, 3, "/work_start"), "1998-10");  // 1998.10 typed into a number cell (stored 1998.1)
}

TEST(OfficeWorkbooks, IdNumberStoredAsNumberIsAClearProblem) {
  const std::string dir = testing::FreshDir("import-office");
  const std::string p = ProblemsOf(Make(dir, "id_as_number"), Round2022());
  EXPECT_NE(p.find("/applicants/0/id_number: 汇总表!C2（张三）身份证号：以数字保存"), std::string::npos) << p;
  EXPECT_EQ(p.find("/applicants/1/"), std::string::npos) << p;  // 李四's is text
  EXPECT_EQ(p.find("required"), std::string::npos) << p;         // one problem for the cell, not two
}

TEST(OfficeWorkbooks, TrailingEmptyRowsAndFooterAreNotPeople) {
  const std::string dir = testing::FreshDir("import-office");
  const auto a = Applicants(ImportBody(Make(dir, "trailing_empty"), Round2022(), model::ValidationContext(kToday)));
  EXPECT_EQ(a->size(), 3u);
}

TEST(OfficeWorkbooks, TwoSheetsChosenBySheetName) {
  const std::string dir = testing::FreshDir("import-office");
  const std::string path = Make(dir, "two_sheets");
  const std::string first = ProblemsOf(path, Round2022());
  EXPECT_NE(first.find("工作表“说明”的前 10 行中没有找到表头行"), std::string::npos) << first;
  EXPECT_NE(first.find("还有工作表：申报人员，可用 --sheet 选择"), std::string::npos) << first;
  ImportOptions o = Round2022();
  o.sheet = "申报人员";
  const ImportResult r = ImportBody(path, o, model::ValidationContext(kToday));
  EXPECT_EQ(Applicants(r)->size(), 2u);
  o.sheet = "没有";
  EXPECT_NE(ProblemsOf(path, o).find("没有名为“没有”的工作表（有：说明、申报人员）"), std::string::npos);
}

TEST(OfficeWorkbooks, ProblemsNameSheetCellAndPersonAndKeepThePointer) {
  const std::string dir = testing::FreshDir("import-office");
  const std::string p = ProblemsOf(Make(dir, "bad_person"), Round2022());
  EXPECT_NE(p.find("/applicants/0/id_number: 汇总表!C2（张三）身份证号："), std::string::npos) << p;
  EXPECT_NE(p.find("/applicants/1/birth: 汇总表!D3（李四）出生年月：无法识别的日期“某年某月”"), std::string::npos) << p;
}

TEST(OfficeWorkbooks, FormulasGiveTheirCachedValues) {
  const std::string dir = testing::FreshDir("import-office");
  const auto a = Applicants(ImportBody(Make(dir, "formulas"), Round2022(), model::ValidationContext(kToday)));
  ASSERT_EQ(a->size(), 1u);
  EXPECT_EQ(At(a, 0, "/gender"), "男");
  EXPECT_EQ(At(a, 0, "/id_number"), "330102198001151232");
  EXPECT_EQ(At(a, 0, "/phone"), "13800138000");
}

Poco::JSON::Object::Ptr BodyOf(const ImportResult& r) { return ParseJson(r.body).extract<Poco::JSON::Object::Ptr>(); }

// A member of a parsed value as JSON text ("" when absent), to compare numbers, booleans and objects alike.
std::string JsonAt(const Poco::Dynamic::Var& v, const std::string& pointer) {
  const Poco::Dynamic::Var at = AtPointer(v, pointer);
  return at.isEmpty() ? "" : JsonText(at);
}

TEST(RoundTrip, WhatRosterResultsWritesReadsBackToTheSameResults) {
  const std::string dir = testing::FreshDir("import-roundtrip");
  const auto w = testing::RunCli({"render", "roster-results", testing::SamplePath("roster-results"), "-o",
                                  dir + "/rr.xlsx"}, dir);
  ASSERT_EQ(w.status, 0) << w.err;
  ImportOptions o;
  o.template_name = "roster-results";
  const ImportResult r = ImportBody(dir + "/rr.xlsx", o, model::ValidationContext(kToday));
  const auto sample = testing::SampleJson("roster-results").extract<Poco::JSON::Object::Ptr>();
  const auto expected = sample->getArray("applicants");
  const auto got = BodyOf(r);
  ASSERT_EQ(got->getArray("applicants")->size(), expected->size());
  EXPECT_EQ(r.results_sheet, "评审结果");  // the same rows
  // Each applicant's result, as the sample joins it (by applicant_id) and as the import joined it (same row).
  std::map<std::string, Poco::Dynamic::Var> sample_results, got_results;
  for (const auto& v : *sample->getArray("results")) sample_results[StringAt(v, "/applicant_id")] = v;
  for (const auto& v : *got->getArray("results")) got_results[StringAt(v, "/applicant_id")] = v;
  size_t compared = 0;
  for (size_t i = 0; i < expected->size(); ++i) {
    const auto e = expected->get(static_cast<unsigned>(i)), g = got->getArray("applicants")->get(static_cast<unsigned>(i));
    EXPECT_EQ(StringAt(g, "/name"), StringAt(e, "/name"));
    EXPECT_EQ(StringAt(g, "/unit"), StringAt(e, "/unit"));
    const bool has = sample_results.count(StringAt(e, "/id")) > 0;
    ASSERT_EQ(got_results.count(StringAt(g, "/id")) > 0, has) << "applicant " << i;
    if (!has) continue;
    const auto& er = sample_results[StringAt(e, "/id")];
    const auto& gr = got_results[StringAt(g, "/id")];
    for (const char* p : {"/mid_review/passed", "/mid_review/score", "/exam/score", "/senior_review/passed",
                          "/senior_review/score", "/senior_review/votes", "/qualified_from"}) {
      EXPECT_EQ(JsonAt(gr, p), JsonAt(er, p)) << "result of applicant " << i << p;
    }
    ++compared;
  }
  EXPECT_GT(compared, 0u);
}

TEST(Results, AnOfficesResultsSheetJoinsByIdNumberIntoBulkLetters) {
  const std::string dir = testing::FreshDir("import-results");
  ImportOptions o;
  o.template_name = "bulk-letters";
  o.values["office"] = "浙江省思想政治工作人员专业职务评定工作办公室";
  o.values["issued"] = "2022.12.30";
  const ImportResult r = ImportBody(Make(dir, "office_results"), o, model::ValidationContext(kToday));
  EXPECT_EQ(r.results_sheet, "评审结果");  // found: the other sheet with result columns
  const auto items = BodyOf(r)->getArray("items");
  ASSERT_EQ(items->size(), 3u);  // the footer line under the table is not a person
  const Poco::Dynamic::Var body = ParseJson(r.body);
  EXPECT_EQ(StringAt(body, "/letter/issued"), "2022-12-30");
  EXPECT_EQ(StringAt(body, "/batch/office/name"), "浙江省思想政治工作人员专业职务评定工作办公室");
  EXPECT_EQ(StringAt(body, "/batch/id"), "import-2022");  // from the title row
  EXPECT_EQ(StringAt(body, "/items/0/applicant/name"), "张三");
  EXPECT_EQ(StringAt(body, "/items/0/result/applicant_id"), StringAt(body, "/items/0/applicant/id"));
  EXPECT_EQ(JsonAt(body, "/items/0/result/exam/score"), "66");
  EXPECT_EQ(JsonAt(body, "/items/0/result/senior_review/passed"), "true");
  EXPECT_EQ(StringAt(body, "/items/0/result/qualified_from"), "2022-12-01");  // 2022年12月1日
  EXPECT_EQ(JsonAt(body, "/items/1/result/exam/score"), "72");  // text "72"
  EXPECT_EQ(StringAt(body, "/items/1/result/qualified_from"), "2022-12-01");  // an Excel date
  EXPECT_EQ(JsonAt(body, "/items/2/result/senior_review/passed"), "false");

  // The same workbook as roster-results: results in the applicants' order.
  o.template_name = "roster-results";
  const auto results = BodyOf(ImportBody(dir + "/office_results.xlsx", o, model::ValidationContext(kToday)))
                           ->getArray("results");
  ASSERT_EQ(results->size(), 3u);
  EXPECT_EQ(JsonAt(results->get(2), "/exam/score"), "58.5");
}

TEST(Results, WhatAWorkbookCannotHoldIsNamedByItsOption) {
  const std::string dir = testing::FreshDir("import-results");
  ImportOptions o;
  o.template_name = "bulk-letters";
  const std::string p = ProblemsOf(Make(dir, "office_results"), o);
  EXPECT_NE(p.find("/batch/office: 职评办名称（--office（HTTP ?office=））：required"), std::string::npos) << p;
  EXPECT_NE(p.find("/letter: 发文日期（--issued（HTTP ?issued=））：required"), std::string::npos) << p;
  o.template_name = "notice";
  o.values["office"] = "省政工职评办";
  o.values["issued"] = "2022-12-01";
  const std::string n = ProblemsOf(dir + "/office_results.xlsx", o);
  EXPECT_NE(n.find("公示开始日期（--period-start（HTTP ?period_start=））"), std::string::npos) << n;
  EXPECT_EQ(n.find("/applicants/"), std::string::npos) << n;  // the people themselves are fine
}

TEST(Results, UnknownPersonAndUnreadableScoreAreNamedAtTheirCells) {
  const std::string dir = testing::FreshDir("import-results");
  ImportOptions o;
  o.template_name = "roster-results";
  const std::string p = ProblemsOf(Make(dir, "results_unknown_person"), o);
  EXPECT_NE(p.find("评审结果!C5（赵六）理论考试成绩：无法识别的分数“缺考”"), std::string::npos) << p;
  EXPECT_NE(p.find("评审结果!B5（赵六）：申报人员表“申报人员”中没有身份证号相同的人员"), std::string::npos) << p;
}

TEST(Results, OnePersonForALetterOrAReviewForm) {
  const std::string dir = testing::FreshDir("import-results");
  const std::string book = Make(dir, "office_results");
  ImportOptions o;
  o.template_name = "letter";
  o.values["office"] = "省政工职评办";
  o.values["issued"] = "2022-12-30";
  EXPECT_NE(ProblemsOf(book, o).find("有 3 人：请用 --row 行号 或 --id"), std::string::npos);
  o.row = 4;  // 李四
  Poco::Dynamic::Var body = ParseJson(ImportBody(book, o, model::ValidationContext(kToday)).body);
  EXPECT_EQ(StringAt(body, "/applicant/name"), "李四");
  EXPECT_EQ(JsonAt(body, "/result/exam/score"), "72");
  o.row = 0;
  o.person = PEOPLE_ID_ZHANG;
  body = ParseJson(ImportBody(book, o, model::ValidationContext(kToday)).body);
  EXPECT_EQ(StringAt(body, "/applicant/name"), "张三");
  o.template_name = "review-form";
  o.person = "王五";
  const std::string p = ProblemsOf(book, o);  // a review form needs more than a roster holds: named per column
  EXPECT_NE(p.find("/applicant/birth: 申报人员!第 5 行（王五）出生年月（表中没有这一列）："), std::string::npos) << p;
}

TEST(OfficeWorkbooks, ARowWithoutNameAndIdInsideTheTableIsAProblem) {
  const std::string dir = testing::FreshDir("import-office");
  const std::string p = ProblemsOf(Make(dir, "table_gap"), Round2022());
  EXPECT_NE(p.find("汇总表!第 3 行：没有姓名和身份证号，表格却在其下继续"), std::string::npos) << p;
}

TEST(Hostile, NotAWorkbookOldXlsEncryptedBrokenXml) {
  const std::string dir = testing::FreshDir("import-hostile");
  EXPECT_NE(ProblemsOf(Make(dir, "old_xls", ".xls")).find("旧版 Excel 97-2003 工作簿（.xls）"), std::string::npos);
  EXPECT_NE(ProblemsOf(Make(dir, "encrypted")).find("设有打开密码（已加密）"), std::string::npos);
  EXPECT_NE(ProblemsOf(Make(dir, "not_workbook", ".csv")).find("不是 Excel 工作簿"), std::string::npos);
  EXPECT_NE(ProblemsOf(Make(dir, "broken_xml")).find("xl/worksheets/sheet1.xml 已损坏（XML 无法解析"),
            std::string::npos);
}

TEST(Hostile, FormulasWithoutCachedValuesAndErrorValuesAreNamed) {
  const std::string dir = testing::FreshDir("import-hostile");
  const std::string p = ProblemsOf(Make(dir, "formula_no_value"), Round2022());
  EXPECT_NE(p.find("/applicants/0/gender: 汇总表!B2（张三）性别：是公式（=IF(MOD(MID(C2,17,1),2)=1,\"男\",\"女\")），"
                   "文件中没有保存它的计算结果"), std::string::npos) << p;
  EXPECT_NE(p.find("/applicants/0/current_title/name: 汇总表!E2（张三）现专业职务：是错误值 #N/A"), std::string::npos) << p;
  EXPECT_EQ(p.find("required"), std::string::npos) << p;  // not also "required" there
}

long PeakKiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

TEST(Hostile, ZipBombIsCutAtThePartCap) {
  const std::string dir = testing::FreshDir("import-hostile");
  const std::string path = Make(dir, "zip_bomb");
  const std::string p = ProblemsOf(path);
  EXPECT_NE(p.find("xl/sharedStrings.xml 解压后超过 256 MiB"), std::string::npos) << p;
  EXPECT_LT(PeakKiB(), testing::MemoryBoundKiB(256 * 1024));
}

TEST(Hostile, HugeSharedStringTableIsCapped) {
  const std::string dir = testing::FreshDir("import-hostile");
  const std::string p = ProblemsOf(Make(dir, "huge_shared"));
  EXPECT_NE(p.find("共享字符串表超过 1048576 条"), std::string::npos) << p;
  EXPECT_LT(PeakKiB(), testing::MemoryBoundKiB(256 * 1024));
}

TEST(Hostile, EveryRowExcelAllowsStopsAtTheModelsRowLimit) {
  const std::string dir = testing::FreshDir("import-hostile");
  const std::string p = ProblemsOf(Make(dir, "max_rows"), Round2022());
  EXPECT_NE(p.find("/applicants: 汇总表：申报人超过 100000 行"), std::string::npos) << p.substr(0, 2000);
  EXPECT_LT(PeakKiB(), testing::MemoryBoundKiB(256 * 1024));
}

TEST(Cli, ImportWritesTheBodyAndRenderTakesTheWorkbook) {
  const std::string dir = testing::FreshDir("import-cli");
  const std::string book = Make(dir, "header_not_first");
  const auto imp = testing::RunCli({"import", book, "-o", dir + "/body.json"}, dir);
  ASSERT_EQ(imp.status, 0) << imp.err;
  EXPECT_NE(imp.err.find("读入 3 位申报人"), std::string::npos) << imp.err;
  EXPECT_EQ(ParseJson(testing::ReadAll(dir + "/body.json"))
                .extract<Poco::JSON::Object::Ptr>()->getArray("applicants")->size(), 3u);

  const auto render = testing::RunCli({"render", "roster-summary", book, "-o", dir + "/out.xlsx"}, dir);
  ASSERT_EQ(render.status, 0) << render.err;
  // What it wrote reads back to the same people.
  const auto back = Applicants(ImportBody(dir + "/out.xlsx", {}, model::ValidationContext(kToday)));
  ASSERT_EQ(back->size(), 3u);
  EXPECT_EQ(At(back, 2, "/name"), "王五");

  const auto bad = testing::RunCli({"import", Make(dir, "bad_person"), "--year", "2022", "--title", "高级政工师"}, dir);
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("汇总表!C2（张三）身份证号："), std::string::npos) << bad.err;
  EXPECT_TRUE(bad.out.empty());
  const auto xls = testing::RunCli({"render", "roster-summary", Make(dir, "old_xls", ".xls")}, dir);
  EXPECT_EQ(xls.status, 2) << xls.err;
  EXPECT_NE(xls.err.find("旧版 Excel 97-2003 工作簿"), std::string::npos) << xls.err;  // not "malformed JSON"
}

TEST(Cli, IssueFromAWorkbookArchivesTheBodyItWasReadInto) {
  const std::string dir = testing::FreshDir("import-issue");
  const std::string book = Make(dir, "header_not_first");
  const auto issued = testing::RunCli({"issue", "roster-summary", book, "--user", "test"}, dir);
  ASSERT_EQ(issued.status, 0) << issued.err;
  EXPECT_NE(issued.out.find("urn:zhiping:batch:import-2022"), std::string::npos) << issued.out;
  // Three files: the roster, its body and the issue record; no copy of the workbook.
  const auto files = ParseJson(issued.out).extract<Poco::JSON::Object::Ptr>()->getArray("files");
  ASSERT_EQ(files->size(), 3u) << issued.out;
  EXPECT_EQ(StringAt(files->get(1), "/path"), "roster-summary.json");
  // The archive keeps the normalized JSON body (what zhiping import writes), not the workbook it came from.
  const auto got = testing::RunCli({"archive", "get", "--batch", "import-2022", "roster-summary.json", "-o",
                                    dir + "/archived.json"}, dir);
  ASSERT_EQ(got.status, 0) << got.err;
  const auto imp = testing::RunCli({"import", book, "-o", dir + "/imported.json"}, dir);
  ASSERT_EQ(imp.status, 0) << imp.err;
  EXPECT_EQ(testing::ReadAll(dir + "/archived.json"), testing::ReadAll(dir + "/imported.json"));
  // The same workbook again makes no new version.
  const auto again = testing::RunCli({"issue", "roster-summary", book, "--user", "test"}, dir);
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.out.find("\"created\": false"), std::string::npos) << again.out;
}

TEST(Cli, BulkLettersFromAWorkbookAndImportForBulkLetters) {
  const std::string dir = testing::FreshDir("import-bulk");
  const std::string book = Make(dir, "office_results");
  const auto missing = testing::RunCli({"bulk", "letters", book}, dir);
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("发文日期（--issued"), std::string::npos) << missing.err;
  const auto body = testing::RunCli({"import", book, "--for", "bulk-letters", "--office", "省政工职评办", "--issued",
                                     "2022-12-30"}, dir);
  ASSERT_EQ(body.status, 0) << body.err;
  EXPECT_EQ(ParseJson(body.out).extract<Poco::JSON::Object::Ptr>()->getArray("items")->size(), 3u);
  const auto bulk = testing::RunCli({"bulk", "letters", book, "--office", "省政工职评办", "--issued", "2022-12-30",
                                     "--user", "test"}, dir);
  ASSERT_EQ(bulk.status, 0) << bulk.err;
  EXPECT_NE(bulk.err.find("读入 3 项及 3 条评审结果（工作表 评审结果）"), std::string::npos) << bulk.err;
  EXPECT_NE(bulk.out.find("\"issued\""), std::string::npos) << bulk.out;
}

}  // namespace
}  // namespace zhiping::import
