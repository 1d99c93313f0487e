// Renders the shipped roster templates and reads the workbooks back with openpyxl.
#include "xlsx/roster.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <cmath>
#include <filesystem>
#include <iostream>

#include "common/durable_file.h"
#include "common/error.h"
#include "common/json.h"
#include "common/utf8.h"
#include "templating/template.h"
#include "support/samples.h"
#include "support/temp_dir.h"
#include "test_util.h"
#include "xlsx/roster_source.h"
#include "xlsx/roster_template.h"

namespace zhiping::xlsx {
namespace {

using Poco::Dynamic::Var;
using testing::Body;
using testing::ReadBack;
using zhiping::testing::FreshDir;
using testing::TemplatePath;

std::string Str(const Var& root, const std::string& pointer) {
  Var v = AtPointer(root, pointer);
  return v.isEmpty() ? "<missing>" : v.convert<std::string>();
}

// Row r (0-based, as openpyxl iterates), column c: value, python type and cell data type.
std::string V(const Var& book, int r, int c) {
  return Str(book, "/rows/" + std::to_string(r) + "/" + std::to_string(c) + "/v");
}
std::string Py(const Var& book, int r, int c) {
  return Str(book, "/rows/" + std::to_string(r) + "/" + std::to_string(c) + "/py");
}
std::string Fmt(const Var& book, int r, int c) {
  return Str(book, "/rows/" + std::to_string(r) + "/" + std::to_string(c) + "/fmt");
}

Poco::JSON::Object::Ptr Obj(const Var& v) { return v.extract<Poco::JSON::Object::Ptr>(); }

Var Render(const std::string& name, const Var& body, const std::string& dir) {
  auto tmpl = LoadRosterTemplate(TemplatePath(name));
  std::string out = dir + "/" + name + ".xlsx";
  WriteRoster(*tmpl, testing::Request(name, body), out);
  std::string error;
  Var book = ReadBack(out, &error);
  EXPECT_EQ(error, "");
  return book;
}

TEST(xlsx_Roster, SummaryCellsKeepTheirTypes) {
  std::string dir = FreshDir("summary");
  Var book = Render("roster-summary", Body(), dir);
  ASSERT_FALSE(book.isEmpty());

  EXPECT_EQ(V(book, 0, 0), "2022年度高级政工师申报人员汇总表");
  EXPECT_EQ(V(book, 1, 0), "序号");
  EXPECT_EQ(V(book, 1, 5), "身份证号");
  // 序号 is a number.
  EXPECT_EQ(V(book, 2, 0), "1");
  EXPECT_EQ(Py(book, 2, 0), "int");
  // ID numbers: strings, trailing X kept.
  EXPECT_EQ(V(book, 2, 5), "33010219800101123X");
  EXPECT_EQ(V(book, 3, 5), "110101197512310029");
  EXPECT_EQ(Py(book, 3, 5), "str");
  EXPECT_EQ(V(book, 4, 5), "330102198203040012");
  EXPECT_EQ(Py(book, 4, 5), "str");
  // Phones: strings, never numbers.
  EXPECT_EQ(V(book, 2, 11), "13800000000");
  EXPECT_EQ(Py(book, 2, 11), "str");
  EXPECT_EQ(V(book, 3, 11), "05718705240");
  EXPECT_EQ(Py(book, 3, 11), "str");
  // Formula-looking text is a plain string cell.
  EXPECT_EQ(V(book, 3, 1), "=1+1");
  EXPECT_EQ(Str(book, "/rows/3/1/t"), "s");
  EXPECT_EQ(V(book, 3, 9), "+86 宣传科长");
  EXPECT_EQ(Str(book, "/rows/3/9/t"), "s");
  EXPECT_EQ(V(book, 4, 1), "@宁波市某某集团有限公司党委工作部（宣传部、统战部）");
  EXPECT_EQ(V(book, 4, 9), "-");
  EXPECT_EQ(Str(book, "/rows/4/9/t"), "s");
  // A name beyond the BMP survives.
  EXPECT_EQ(V(book, 3, 2), "吉𠮷");
  // Dates are real dates with a month or day format.
  EXPECT_EQ(Py(book, 2, 4), "datetime");
  EXPECT_EQ(V(book, 2, 4), "1980-01-01T00:00:00");
  EXPECT_EQ(Fmt(book, 2, 4), "yyyy-mm");
  EXPECT_EQ(V(book, 3, 4), "1975-12-31T00:00:00");
  EXPECT_EQ(Fmt(book, 3, 4), "yyyy-mm-dd");
  EXPECT_EQ(V(book, 4, 8), "2020-05-01T00:00:00");
  EXPECT_EQ(Fmt(book, 4, 8), "yyyy-mm");
  // Three applicants, then the form's 填报单位（盖章） line (SignoffLineIsBelowTheTable).
  EXPECT_EQ(Str(book, "/max_row"), "6");
  EXPECT_EQ(Str(book, "/max_column"), "12");
}

TEST(xlsx_Roster, SummaryLooksLikeARoster) {
  std::string dir = FreshDir("look");
  Var book = Render("roster-summary", Body(), dir);
  ASSERT_FALSE(book.isEmpty());
  EXPECT_EQ(Str(book, "/sheets/0"), "申报人员汇总表");
  EXPECT_EQ(Str(book, "/merged/0"), "A1:L1");
  // The title and header rows and the columns 序号, 工作单位, 姓名 stay in view (@freeze 姓名).
  EXPECT_EQ(Str(book, "/freeze"), "D3");
  EXPECT_EQ(Str(book, "/autofilter"), "A2:L5");
  EXPECT_EQ(Str(book, "/print_title_rows"), "$2:$2");
  EXPECT_EQ(Str(book, "/orientation"), "landscape");
  EXPECT_EQ(Str(book, "/paper"), "9");
  EXPECT_EQ(Str(book, "/fit_to_page"), "true");
  // fitToWidth="1" is the OOXML default, so libxlsxwriter leaves it out; fitToHeight="0" means "as many as needed".
  EXPECT_EQ(Str(book, "/fit_width"), "<missing>");
  EXPECT_EQ(Str(book, "/fit_height"), "0");
  EXPECT_EQ(Str(book, "/footer"), "第 &P 页 共 &N 页");
  EXPECT_EQ(Str(book, "/title"), "2022年度高级政工师申报人员汇总表");
  EXPECT_EQ(Str(book, "/author"), "浙江省思想政治工作人员专业职务评定工作办公室");
  EXPECT_EQ(Str(book, "/company"), "浙江省思想政治工作人员专业职务评定工作办公室");
  EXPECT_EQ(Str(book, "/header_bold"), "true");
  EXPECT_EQ(Str(book, "/header_wrap"), "true");
  EXPECT_EQ(Str(book, "/header_border"), "thin");
  EXPECT_EQ(Str(book, "/header_fill"), "FFD9E1F2");
  // Widths: fixed ones as written (工作单位 wraps at 24 rather than widening to its longest value); 姓名 fits its
  // values but is at least 6.
  EXPECT_DOUBLE_EQ(AtPointer(book, "/widths/A").convert<double>(), 6 + 0.7109375);  // Excel adds padding
  EXPECT_DOUBLE_EQ(AtPointer(book, "/widths/B").convert<double>(), 24 + 0.7109375);
  double name = AtPointer(book, "/widths/C").convert<double>();
  EXPECT_GE(name, 6);
  EXPECT_LT(name, 12);
}

TEST(xlsx_Roster, QualificationAddsYearsTestScoreAndOpinion) {
  std::string dir = FreshDir("qualification");
  Var book = Render("roster-qualification", Body(), dir);
  ASSERT_FALSE(book.isEmpty());
  EXPECT_EQ(V(book, 0, 0), "2022年度高级政工师评审对象资格审查花名册");
  EXPECT_EQ(V(book, 1, 7), "参加工作时间");
  EXPECT_EQ(V(book, 1, 10), "任现职年限");
  EXPECT_EQ(V(book, 1, 14), "测试成绩");
  EXPECT_EQ(V(book, 1, 15), "单位推荐意见");
  EXPECT_EQ(V(book, 2, 7), "2002-07-01T00:00:00");
  // 2015-12 .. 2022-09-15: 6 whole years; 2010-09-16 .. 2022-09-15: 11 (one day short of 12).
  EXPECT_EQ(V(book, 2, 10), "6");
  EXPECT_EQ(Py(book, 2, 10), "int");
  EXPECT_EQ(V(book, 3, 10), "11");
  // 2020-05 .. 2022-09-15: 2.
  EXPECT_EQ(V(book, 4, 10), "2");
  // Test score joined from results, a number cell.
  EXPECT_EQ(V(book, 2, 14), "86");
  EXPECT_EQ(Py(book, 2, 14), "int");
  EXPECT_EQ(V(book, 3, 14), "58.5");
  EXPECT_EQ(Py(book, 3, 14), "float");
  EXPECT_EQ(V(book, 4, 14), "<missing>");
  EXPECT_EQ(V(book, 2, 15), "同意推荐");
  EXPECT_EQ(Str(book, "/merged/0"), "A1:P1");
  EXPECT_EQ(Str(book, "/autofilter"), "A2:P5");
}

TEST(xlsx_Roster, QualificationWithoutResultsLeavesScoresBlank) {
  std::string dir = FreshDir("qualification-noresults");
  Var body = Body();
  Obj(body)->remove("results");
  Var book = Render("roster-qualification", body, dir);
  ASSERT_FALSE(book.isEmpty());
  EXPECT_EQ(V(book, 2, 14), "<missing>");
  EXPECT_EQ(V(book, 2, 10), "6");
}

TEST(xlsx_Roster, ResultsJoinedByApplicantId) {
  std::string dir = FreshDir("results");
  Var book = Render("roster-results", Body(), dir);
  ASSERT_FALSE(book.isEmpty());
  EXPECT_EQ(V(book, 0, 0), "2022年度高级政工师评审结果花名册");
  // 序号 姓名 工作单位 中评委评审 中评委评分 测试成绩 高评委评审 高评委评分 表决 评审结论 取得资格时间
  EXPECT_EQ(V(book, 2, 1), "张三");
  EXPECT_EQ(V(book, 2, 3), "通过");
  EXPECT_EQ(V(book, 2, 4), "85.5");
  EXPECT_EQ(Py(book, 2, 4), "float");
  EXPECT_EQ(V(book, 2, 5), "86");
  EXPECT_EQ(V(book, 2, 6), "通过");
  EXPECT_EQ(V(book, 2, 7), "88.5");
  EXPECT_EQ(V(book, 2, 8), "15/2/0");
  EXPECT_EQ(V(book, 2, 9), "通过");
  EXPECT_EQ(V(book, 2, 10), "2022-12-30T00:00:00");
  EXPECT_EQ(V(book, 3, 1), "吉𠮷");
  EXPECT_EQ(V(book, 3, 3), "通过");
  EXPECT_EQ(V(book, 3, 6), "未通过");
  EXPECT_EQ(V(book, 3, 9), "未通过");
  EXPECT_EQ(V(book, 3, 8), "<missing>");
  // No result: the row is there, result columns are blank (not "未通过").
  EXPECT_EQ(V(book, 4, 1), "李四");
  for (int c = 3; c <= 10; ++c) EXPECT_EQ(V(book, 4, c), "<missing>") << "column " << c;
}

TEST(xlsx_Roster, EmptyListStillHasTitleAndHeader) {
  // The model wants at least one applicant; the writer still makes a whole sheet of none.
  std::string dir = FreshDir("empty");
  model::RosterRequest request = testing::Request("roster-summary", Body());
  request.applicants.clear();
  auto tmpl = LoadRosterTemplate(TemplatePath("roster-summary"));
  WriteRoster(*tmpl, request, dir + "/empty.xlsx");
  std::string error;
  Var book = ReadBack(dir + "/empty.xlsx", &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(Str(book, "/max_row"), "3");  // title, header, the 填报单位 line
  EXPECT_EQ(Str(book, "/autofilter"), "A2:L2");
  EXPECT_EQ(Str(book, "/merged/1"), "A3:L3");
}

// Writes roster-summary from a typed request whose applicant `index` has `*field` = `value` (a value the model would
// refuse: the writer guards the cells it writes all the same); expects kInvalidInput naming that applicant and no
// file (nor temporary) left in the directory. Returns the rule.
std::string ExpectBadCell(const std::string& name, int index, model::Text model::Applicant::*field,
                          const std::string& value) {
  std::string dir = FreshDir(name);
  auto tmpl = LoadRosterTemplate(TemplatePath("roster-summary"));
  model::RosterRequest request = testing::Request("roster-summary", Body());
  request.applicants[index].*field = value;
  std::string rule;
  try {
    WriteRoster(*tmpl, request, dir + "/out.xlsx");
    ADD_FAILURE() << "no error for " << name;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(e.problems().size(), 1u);
    if (!e.problems().empty()) {
      EXPECT_EQ(e.problems()[0].pointer, "/applicants/" + std::to_string(index));
      rule = e.problems()[0].rule;
    }
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir)) << name;
  return rule;
}

TEST(xlsx_Roster, OverlongCellIsInvalidInputAndLeavesNoFile) {
  EXPECT_NE(ExpectBadCell("overlong", 0, &model::Applicant::unit, std::string(40000, 'x')).find("32767"), std::string::npos);
}

TEST(xlsx_Roster, InvalidUtf8IsInvalidInput) {
  // A cut-off 张: the row is the third, and the message names the column.
  EXPECT_NE(ExpectBadCell("utf8", 2, &model::Applicant::post, "\xE5\xBC").find("现任职务"), std::string::npos);
}

TEST(xlsx_Roster, ReplacesAnExistingFileWhole) {
  std::string dir = FreshDir("replace");
  std::string out = dir + "/roster.xlsx";
  WriteFileDurably(out, "old contents");
  auto tmpl = LoadRosterTemplate(TemplatePath("roster-summary"));
  WriteRoster(*tmpl, testing::Request("roster-summary", Body()), out);
  std::string bytes = ReadFile(out);
  EXPECT_EQ(bytes.substr(0, 2), "PK");
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename());
  EXPECT_EQ(names, std::vector<std::string>{"roster.xlsx"});
}

TEST(xlsx_Roster, RenderRosterReturnsTheBytes) {
  std::string dir = FreshDir("render");
  ::setenv("TMPDIR", dir.c_str(), 1);  // RenderRoster's scratch space stays below the test directory
  auto tmpl = LoadRosterTemplate(TemplatePath("roster-results"));
  std::string bytes = RenderRoster(*tmpl, testing::Request("roster-results", Body()));
  ::unsetenv("TMPDIR");
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  std::string copy = dir + "/copy.xlsx";
  WriteFileDurably(copy, bytes);
  std::string error;
  Var book = ReadBack(copy, &error);
  EXPECT_EQ(error, "");
  EXPECT_EQ(V(book, 2, 9), "通过");
}

// roster-summary's body with `count` applicants (the first one's copies, each with its own id and name).
Var ManyApplicants(int count) {
  Var body = Body();
  auto applicants = AtPointer(body, "/applicants").extract<Poco::JSON::Array::Ptr>();
  Var model = applicants->get(0);
  Poco::JSON::Array::Ptr many(new Poco::JSON::Array);
  for (int i = 0; i < count; ++i) {
    Poco::JSON::Object::Ptr a(new Poco::JSON::Object(*model.extract<Poco::JSON::Object::Ptr>()));
    a->set("name", "申报人" + std::to_string(i));
    a->set("id", "ZG2022-1" + std::to_string(10000 + i));
    many->add(a);
  }
  Obj(body)->set("applicants", many);
  return body;
}

TEST(xlsx_Roster, ManyRowsStreamInOrder) {
  std::string dir = FreshDir("many");
  auto tmpl = LoadRosterTemplate(TemplatePath("roster-summary"));
  std::string out = dir + "/many.xlsx";
  WriteRoster(*tmpl, testing::Request("roster-summary", ManyApplicants(3000)), out);
  std::string error;
  Var book = ReadBack(out, &error, 3003);
  ASSERT_EQ(error, "");
  EXPECT_EQ(Str(book, "/max_row"), "3003");
  EXPECT_EQ(V(book, 3002, 0).rfind("填报单位（盖章）：", 0), 0u);
  EXPECT_EQ(V(book, 3001, 0), "3000");
  EXPECT_EQ(V(book, 3001, 2), "申报人2999");
  EXPECT_EQ(Str(book, "/autofilter"), "A2:L3002");
}

// Rows after the width sample are viewed into one tree refreshed row by row (templating::RowView), with their
// partners; the sample's rows are each viewed afresh. A roster whose second half repeats its first (ids aside) shows
// every row's cells the same in both halves, while optional members and partners come and go between neighbours.
TEST(xlsx_Roster, RowsAfterTheWidthSampleReadAsTheSameRowsInsideIt) {
  constexpr size_t kHalf = 500;  // RosterWriter's width sample
  model::RosterRequest request = testing::Request("roster-results", Body());
  const model::Applicant model_applicant = request.applicants[0];
  const model::Result model_result = request.results[0];
  request.applicants.clear();
  request.results.clear();
  for (size_t copy = 0; copy < 2; ++copy) {
    for (size_t i = 0; i < kHalf; ++i) {
      const size_t bits = (i * 2654435761u) >> 7;
      auto on = [&](int bit) { return (bits >> bit) & 1; };
      model::Applicant a = model_applicant;
      a.id = "ZG2022-" + std::to_string(100000 + copy * kHalf + i);
      a.name = "申报人" + std::to_string(i);
      if (on(0)) a.birth = model::Date{1970 + static_cast<int>(i % 20), 1 + static_cast<int>(i % 12), on(1) ? 0 : 9};
      else a.birth.reset();
      if (on(2)) a.education.reset();
      if (on(3)) a.current_title->since.reset();
      if (on(4)) a.opinions.reset();
      if (on(5)) a.post.reset();
      request.applicants.push_back(a);
      if (on(6)) continue;  // no result: the join's name is missing
      model::Result r = model_result;
      r.applicant_id = a.id;
      if (on(7)) r.mid_review.reset();
      else if (on(8)) r.mid_review->passed.reset();
      if (on(9)) r.senior_review->votes.reset();
      if (on(10)) r.senior_review->passed = !*r.senior_review->passed;
      if (on(11)) r.qualified_from.reset();
      r.exam->score = 50 + (i % 50) / 4.0;
      request.results.push_back(r);
    }
  }
  std::string dir = FreshDir("refreshed");
  for (const char* name : {"roster-results", "roster-summary", "roster-qualification"}) {
    SCOPED_TRACE(name);
    auto tmpl = LoadRosterTemplate(TemplatePath(name));
    request.kind = name;
    const std::string out = dir + "/" + name + ".xlsx";
    WriteRoster(*tmpl, request, out);
    std::string error;
    Var book = ReadBack(out, &error, 2 * kHalf + 3);
    ASSERT_EQ(error, "");
    auto rows = AtPointer(book, "/rows").extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(rows->size(), 2 * kHalf + 2 + (tmpl->signoff.empty() ? 0 : 1));
    for (size_t i = 0; i < kHalf; ++i) {
      auto first = rows->getArray(static_cast<unsigned>(2 + i));
      auto second = rows->getArray(static_cast<unsigned>(2 + kHalf + i));
      for (unsigned c = 1; c < first->size(); ++c) {  // column 0 is 序号
        ASSERT_EQ(Str(first->get(c), "/v"), Str(second->get(c), "/v")) << "row " << i << " column " << c;
      }
    }
  }
}

// A disk that fills while rows [full, freed) are read (and so while the rows before them are written) and frees
// again before the workbook is closed: no file may grow meanwhile (RLIMIT_FSIZE, as ENOSPC would stop it).
class DiskFullForAWhile : public RequestRosterSource {
 public:
  DiskFullForAWhile(const RosterTemplate& tmpl, const model::RosterRequest& request, size_t full, size_t freed)
      : RequestRosterSource(tmpl, request), full_(full), freed_(freed) {
    ::getrlimit(RLIMIT_FSIZE, &normal_);
  }
  ~DiskFullForAWhile() override { ::setrlimit(RLIMIT_FSIZE, &normal_); }
  void Row(size_t index, templating::RowReads& reads, templating::Data* out) override {
    if (index == full_ || index == freed_) {
      rlimit limit = normal_;
      if (index == full_) limit.rlim_cur = 1;
      ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    RequestRosterSource::Row(index, reads, out);
  }

 private:
  const size_t full_, freed_;
  rlimit normal_{};
};

// What a full CI disk did: stdio drops the rows it cannot write and carries on once the disk has room again, so
// workbook_close succeeds on a sheet with rows missing in the middle. The write fails instead, and leaves nothing.
TEST(xlsx_Roster, RowsLostToAFullDiskFailTheWriteAndLeaveNoFile) {
  std::string dir = FreshDir("disk-full");
  auto tmpl = LoadRosterTemplate(TemplatePath("roster-summary"));
  const model::RosterRequest request = testing::Request("roster-summary", ManyApplicants(2000));
  auto previous = ::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG instead of killing us
  try {
    DiskFullForAWhile source(*tmpl, request, 900, 1100);  // after the 500 rows read for the widths
    WriteRoster(*tmpl, source, dir + "/roster.xlsx");
    ADD_FAILURE() << "a sheet with rows missing was written";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable) << e.what();
    EXPECT_NE(std::string(e.what()).find("a write of its rows failed"), std::string::npos) << e.what();
  }
  ::signal(SIGXFSZ, previous);
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

// Every roster sample renders (a missing sample fails the test: SampleJson throws naming the file).
TEST(xlsx_Roster, SamplesRender) {
  for (const char* name : {"roster-summary", "roster-qualification", "roster-results"}) {
    SCOPED_TRACE(name);
    std::string dir = FreshDir(std::string("sample-") + name);
    Var book = Render(name, zhiping::testing::SampleJson(name), dir);
    ASSERT_FALSE(book.isEmpty()) << name;
    // Below the header and right of 姓名 (the summary and qualification rosters have 工作单位 before it).
    EXPECT_EQ(Str(book, "/freeze"), std::string(name) == "roster-results" ? "C3" : "D3") << name;
  }
}

// Scores are General: 86 shows as 86 (not 86.0), 58.5 as 58.5 — in Excel, WPS and LibreOffice alike. (A format
// like 0.## would show "86."; 0.0# shows "86.0".) openpyxl reads an int where the sheet holds "86".
TEST(xlsx_Roster, ScoresShowAsWrittenWithoutTrailingZeros) {
  std::string dir = FreshDir("scores");
  Var results = Render("roster-results", Body(), dir);
  ASSERT_FALSE(results.isEmpty());
  for (int c : {4, 5, 7}) {  // 中评委评分, 测试成绩, 高评委评分
    SCOPED_TRACE(c);
    EXPECT_EQ(Fmt(results, 2, c), "General");
    EXPECT_EQ(Fmt(results, 3, c), "General");
  }
  EXPECT_EQ(V(results, 2, 5), "86");
  EXPECT_EQ(Py(results, 2, 5), "int");
  EXPECT_EQ(V(results, 3, 4), "70");
  EXPECT_EQ(Py(results, 3, 4), "int");
  EXPECT_EQ(V(results, 3, 5), "58.5");
  EXPECT_EQ(Py(results, 3, 5), "float");
  Var qualification = Render("roster-qualification", Body(), dir);
  ASSERT_FALSE(qualification.isEmpty());
  EXPECT_EQ(Fmt(qualification, 2, 14), "General");
  EXPECT_EQ(Fmt(qualification, 3, 14), "General");
}

// The width a roster prints at when fitted to the page width, from what a spreadsheet reads: each column is
// trunc(width × 7 + 0.5) pixels (7: the maximum digit width of the default Calibri 11, the unit of column widths),
// 96 pixels an inch; the page's width less the left and right margins. 1 when the columns fit at 100 %.
double PrintScale(const Var& book) {
  const bool landscape = Str(book, "/orientation") == "landscape";
  const std::string paper = Str(book, "/paper");
  double width_mm = paper == "8" ? (landscape ? 420 : 297) : paper == "9" ? (landscape ? 297 : 210) : 0;
  width_mm -= 25.4 * (AtPointer(book, "/margins/left").convert<double>() +
                      AtPointer(book, "/margins/right").convert<double>());
  double pixels = 0;
  auto widths = Obj(AtPointer(book, "/widths"));
  for (const std::string& column : widths->getNames()) {
    pixels += std::floor(widths->getValue<double>(column) * 7 + 0.5);
  }
  return std::min(1.0, width_mm / (pixels / 96 * 25.4));
}

// Every roster prints legibly: landscape, fitted to one page wide at no less than 80 % (the qualification roster's
// 16 columns on A3, as the office's own form; 54 % on A4 before), the header row on every page, 1 cm side margins,
// page numbers in the footer. Checked with the test body and with each sample.
TEST(xlsx_Roster, RostersPrintAtALegibleScale) {
  struct Want {
    const char* name;
    const char* paper;  // libxlsxwriter / OOXML paper codes: 9 A4, 8 A3
  };
  for (const Want& want : {Want{"roster-summary", "9"}, Want{"roster-qualification", "8"},
                           Want{"roster-results", "9"}}) {
    for (bool sample : {false, true}) {
      SCOPED_TRACE(std::string(want.name) + (sample ? " sample" : " test body"));
      std::string dir = FreshDir(std::string("print-") + want.name + (sample ? "-sample" : ""));
      Var book = Render(want.name, sample ? zhiping::testing::SampleJson(want.name) : Body(), dir);
      ASSERT_FALSE(book.isEmpty());
      EXPECT_EQ(Str(book, "/paper"), want.paper);
      EXPECT_EQ(Str(book, "/orientation"), "landscape");
      EXPECT_EQ(Str(book, "/fit_to_page"), "true");
      EXPECT_EQ(Str(book, "/fit_width"), "<missing>");  // 1, the default, which libxlsxwriter leaves out
      EXPECT_EQ(Str(book, "/fit_height"), "0");
      EXPECT_EQ(Str(book, "/scale"), "<missing>");      // no fixed scale overrides the fit
      EXPECT_EQ(Str(book, "/print_title_rows"), "$2:$2");
      EXPECT_DOUBLE_EQ(AtPointer(book, "/margins/left").convert<double>(), 0.4);
      EXPECT_DOUBLE_EQ(AtPointer(book, "/margins/right").convert<double>(), 0.4);
      EXPECT_EQ(Str(book, "/footer"), "第 &P 页 共 &N 页");
      const double scale = PrintScale(book);
      EXPECT_GE(scale, 0.80) << "columns too wide for the paper";
      std::cout << want.name << (sample ? " (sample)" : " (test body)") << ": prints at "
                << static_cast<int>(scale * 100) << " %\n";
    }
  }
}

// The 申报人员汇总表 (attachment 1 of the notice) ends with the unit's 填报单位（盖章）/填表人/日期 line: right below
// the last applicant, one merged cell across the table, outside the autofilter. The other rosters have none.
TEST(xlsx_Roster, SignoffLineIsBelowTheTable) {
  std::string dir = FreshDir("signoff");
  Var book = Render("roster-summary", Body(), dir);
  ASSERT_FALSE(book.isEmpty());
  const std::string line = V(book, 5, 0);  // title, header, three applicants, then the line
  EXPECT_EQ(line.rfind("填报单位（盖章）：", 0), 0u) << line;
  EXPECT_NE(line.find("填表人："), std::string::npos) << line;
  EXPECT_NE(line.find("日期："), std::string::npos) << line;
  EXPECT_EQ(Str(book, "/merged/1"), "A6:L6");
  EXPECT_EQ(Str(book, "/autofilter"), "A2:L5");
  for (int c = 1; c < 12; ++c) EXPECT_EQ(V(book, 5, c), "<missing>") << "column " << c;

  for (const char* name : {"roster-qualification", "roster-results"}) {
    Var other = Render(name, Body(), dir);
    ASSERT_FALSE(other.isEmpty());
    EXPECT_EQ(Str(other, "/max_row"), "5") << name;
    EXPECT_EQ(Str(other, "/merged/1"), "<missing>") << name;
  }
}

}  // namespace
}  // namespace zhiping::xlsx

namespace zhiping::xlsx {
namespace {

// PDF and roster templates share one language: the same text gives the same cell in a PDF table and in a roster
// column (templating/scope.h: the row first, then the body; the first segment of a dotted name picks the frame).
TEST(xlsx_Roster, NamesResolveAsInAPdfTable) {
  const std::string text = "{{name}}/{{batch.title}}/{{education.level}}/{{#education}}{{school}}{{/education}}"
                           "{{^education}}-{{/education}}";
  Var body = ParseJson(R"({"batch": {"id": "r-2022", "year": 2022, "title": "高级政工师"},
      "applicants": [{"id": "A1", "name": "张三", "unit": "甲", "education": {"level": "大学本科", "school": "浙江大学"}},
                     {"id": "A2", "name": "李四", "unit": "乙"}], "results": []})");
  const std::vector<std::string> expected = {"张三/高级政工师/大学本科/浙江大学", "李四/高级政工师//-"};

  auto pdf = templating::PdfTemplate::Parse(
      "@template pdf\n@table source=applicants\n| 列 | 100% | left | " + text + " |\n", "rule.tmpl");
  layout::DocumentSpec spec = pdf->BindJson(body);
  ASSERT_EQ(spec.blocks.size(), 1u);
  ASSERT_EQ(spec.blocks[0].rows.size(), 2u);
  for (size_t r = 0; r < 2; ++r) EXPECT_EQ(EncodeUtf8(spec.blocks[0].rows[r][0]), expected[r]) << "PDF row " << r;

  RosterTemplate roster = ParseRosterTemplate("@template xlsx\n@rows applicants\n@column 列 value=\"" + text + "\"\n",
                                              "rule.tmpl");
  zhiping::testing::ScratchDir scratch("rule");
  const std::string dir = scratch.path();
  WriteRoster(roster, testing::Request("roster-results", body), dir + "/rule.xlsx");
  std::string error;
  Var book = ReadBack(dir + "/rule.xlsx", &error);
  ASSERT_EQ(error, "");
  for (size_t r = 0; r < 2; ++r) EXPECT_EQ(V(book, static_cast<int>(r) + 1, 0), expected[r]) << "roster row " << r;
}

// A value that does not fit its column's type stays visible as text rather than vanishing.
TEST(xlsx_Roster, TextThatIsNotOfTheColumnsTypeStaysText) {
  RosterTemplate roster = ParseRosterTemplate(
      "@template xlsx\n@rows applicants\n@column 日期 value={{name}} type=date\n@column 分 value={{unit}} type=number\n",
      "types.tmpl");
  zhiping::testing::ScratchDir scratch("types");
  WriteRoster(roster, testing::Request("roster-summary", Body()), scratch.path() + "/types.xlsx");
  std::string error;
  Var book = ReadBack(scratch.path() + "/types.xlsx", &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(V(book, 1, 0), "张三");
  EXPECT_EQ(Py(book, 1, 0), "str");
  EXPECT_EQ(V(book, 1, 1), "杭州市某某局");
  EXPECT_EQ(Py(book, 1, 1), "str");
}

}  // namespace
}  // namespace zhiping::xlsx
