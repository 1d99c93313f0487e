// Rosters through Renderer::Render and RenderFile: bodies kept as text, validated and written one applicant at a
// time. A 20,000-applicant body renders, and its problems are named by pointer, exactly; results join correctly.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "../xlsx/test_util.h"
#include "common/error.h"
#include "common/json.h"
#include "support/temp_dir.h"
#include "model/id_number.h"
#include "model/validate.h"
#include "render/renderer.h"
#include "support/repo_renderer.h"

namespace zhiping::render {
namespace {

using Poco::Dynamic::Var;
using xlsx::testing::ReadBack;
using zhiping::testing::FreshDir;

const Renderer& Roster() {
  static const Renderer* r = [] {
    RendererConfig c = testing::RepoRendererConfig();
    c.today = testing::kTestToday;
    c.fonts_on_demand = true;  // rosters never need them
    return new Renderer(c);
  }();
  return *r;
}

// A valid GB 11643 number for someone born on year-month-day whose sex digit is `seq`'s last digit.
std::string IdNumber(int year, int month, int day, int seq) {
  char base[32];  // 17 digits; room for what snprintf could print for any int, so no truncation to reason about
  std::snprintf(base, sizeof base, "330102%04d%02d%02d%03d", year, month, day, seq % 1000);
  return std::string(base) + model::IdNumberCheckCharacter(base);
}

std::string Applicant(int i) {
  int year = 1960 + i % 30, month = 1 + i % 12, day = 1 + i % 28, seq = i % 1000;
  char buf[768];
  std::snprintf(buf, sizeof buf,
                R"({"id": "ZG-%06d", "name": "张三%d", "gender": "%s", "id_number": "%s", "birth": "%04d-%02d", )"
                R"("phone": "138%08d", "unit": "杭州市某某局", "post": "办公室主任", "work_start": "%04d-08", )"
                R"("current_title": {"name": "政工师", "since": "%04d-01"}, "applying_for": "高级政工师"})",
                i, i, seq % 2 ? "男" : "女", IdNumber(year, month, day, seq).c_str(), year, month, i,
                year + 22, year + 25);
  return buf;
}

// Result of applicant i: score i % 100 + 0.5; passed when i is even.
std::string Result(int i) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                R"({"applicant_id": "ZG-%06d", "senior_review": {"passed": %s, "score": %d.5}%s})", i,
                i % 2 ? "false" : "true", i % 100, i % 2 ? "" : R"(, "qualified_from": "2022-12-30")");
  return buf;
}

const char* kBatch = R"({"id": "zj-zgs-2022", "year": 2022, "title": "高级政工师", "deadline": "2022-09-15"})";

std::string Body(int rows, const std::function<std::string(int)>& applicant = Applicant,
                 const std::string& results = "") {
  std::string text = std::string("{\"batch\": ") + kBatch + ",\n\"applicants\": [\n";
  for (int i = 0; i < rows; ++i) text += (i ? ",\n" : "") + applicant(i);
  text += "]";
  if (!results.empty()) text += ",\n\"results\": " + results;
  return text + "}\n";
}

std::string Str(const Var& root, const std::string& pointer) {
  Var v = AtPointer(root, pointer);
  return v.isEmpty() ? "<missing>" : v.convert<std::string>();
}

std::string Cell(const Var& book, int r, int c) {
  return Str(book, "/rows/" + std::to_string(r) + "/" + std::to_string(c) + "/v");
}

Problems ProblemsOf(const std::function<void()>& render) {
  try {
    render();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput) << e.what();
    return e.problems();
  }
  ADD_FAILURE() << "rendered";
  return {};
}

TEST(render_Roster, TwentyThousandApplicantsRenderFromTextAndFile) {
  std::string dir = FreshDir("roster-20k");
  std::string text = Body(20000);
  std::ofstream(dir + "/body.json") << text;
  RenderedDocument from_text = Roster().Render("roster-summary", text);
  RenderedDocument from_file = Roster().RenderFile("roster-summary", dir + "/body.json");
  EXPECT_EQ(from_text.extension, "xlsx");
  EXPECT_EQ(from_text.bytes.substr(0, 2), "PK");
  EXPECT_EQ(from_file.bytes.substr(0, 2), "PK");  // same rows; the bytes differ by the creation time inside
  std::ofstream(dir + "/out.xlsx", std::ios::binary) << from_file.bytes;
  std::string error;
  Var book = ReadBack(dir + "/out.xlsx", &error, 3);
  ASSERT_EQ(error, "") << error;
  EXPECT_EQ(Str(book, "/max_row"), "20003");  // title, header, 20,000 applicants, the 填报单位（盖章） line
  EXPECT_EQ(Cell(book, 2, 2), "张三0");
  std::filesystem::remove_all(dir);
}

TEST(render_Roster, EveryProblemOfTwentyThousandIsNamedByPointer) {
  std::string dir = FreshDir("roster-20k-bad");
  std::string text = Body(20000, [](int i) {
    std::string a = Applicant(i);
    if (i == 7) a.replace(a.find("\"gender\": \""), 14, "\"gender\": \"X");  // not 男 or 女
    if (i == 19999) a.replace(a.find("\"name\""), 6, "\"nom\"");             // no name
    return a;
  });
  std::ofstream(dir + "/body.json") << text;
  for (bool by_file : {false, true}) {
    Problems ps = ProblemsOf([&] {
      if (by_file) Roster().RenderFile("roster-summary", dir + "/body.json");
      else Roster().Render("roster-summary", text);
    });
    ASSERT_EQ(ps.size(), 2u) << (by_file ? "file" : "text");
    EXPECT_EQ(ps[0].pointer, "/applicants/7/gender");
    EXPECT_EQ(ps[0].rule, "must be 男 or 女");
    EXPECT_EQ(ps[1].pointer, "/applicants/19999/name");
    EXPECT_EQ(ps[1].rule, "required");
    // The same as validating the whole parsed body.
    Problems whole = model::ValidateRequest("roster-summary", ParseJson(text), {"2022-12-31"});
    ASSERT_EQ(whole.size(), ps.size());
    for (size_t i = 0; i < ps.size(); ++i) EXPECT_EQ(FormatProblem(whole[i]), FormatProblem(ps[i]));
  }
  std::filesystem::remove(dir + "/body.json");
  EXPECT_TRUE(std::filesystem::is_empty(dir));  // nothing written beside the body
  std::filesystem::remove_all(dir);
}

TEST(render_Roster, ResultsJoinByApplicantIdFromTheLazyBody) {
  std::string dir = FreshDir("roster-join");
  // 300 applicants; results listed backwards, none for multiples of 7.
  std::string results = "[";
  for (int i = 299; i >= 0; --i) {
    if (i % 7 == 0) continue;
    results += (results.size() > 1 ? ",\n" : "") + Result(i);
  }
  results += "]";
  std::ofstream(dir + "/body.json") << Body(300, Applicant, results);
  RenderedDocument doc = Roster().RenderFile("roster-results", dir + "/body.json");
  std::ofstream(dir + "/out.xlsx", std::ios::binary) << doc.bytes;
  std::string error;
  Var book = ReadBack(dir + "/out.xlsx", &error, 310);
  ASSERT_EQ(error, "") << error;
  // 序号 姓名 工作单位 中评委评审 中评委评分 测试成绩 高评委评审 高评委评分 表决 评审结论 取得资格时间
  for (int i = 0; i < 300; ++i) {
    int r = i + 2;
    ASSERT_EQ(Cell(book, r, 1), "张三" + std::to_string(i));
    if (i % 7 == 0) {
      EXPECT_EQ(Cell(book, r, 7), "<missing>") << i;
      EXPECT_EQ(Cell(book, r, 9), "<missing>") << i;
      continue;
    }
    EXPECT_EQ(Cell(book, r, 7), std::to_string(i % 100) + ".5") << i;
    EXPECT_EQ(Cell(book, r, 9), i % 2 ? "未通过" : "通过") << i;
    EXPECT_EQ(Cell(book, r, 10), i % 2 ? "<missing>" : "2022-12-30T00:00:00") << i;
  }
  std::filesystem::remove_all(dir);
}

// 20,000 results are checked by three parties (the validator with the row that joins each, and after the last
// applicant, and the render thread once the workbook is written): every result is checked exactly once, and the
// problems come out in document order, as validating the whole parsed body gives them.
TEST(render_Roster, TwentyThousandResultsAreEachCheckedOnceAndReportedInOrder) {
  const int n = 20000;
  std::string results = "[";
  for (int i = 0; i < n; ++i) results += (i ? ",\n" : "") + Result(i);
  results += "]";
  RenderedDocument doc = Roster().Render("roster-results", Body(n, Applicant, results));
  EXPECT_EQ(doc.bytes.substr(0, 2), "PK");

  std::string bad = "[";
  for (int i = 0; i < n; ++i) {
    std::string r = Result(i);
    if (i == 0 || i == 9999 || i == n - 1) r.replace(r.find("\"score\": "), 9, "\"score\": -");  // negative
    if (i == 12345) r = Result(12344);                                                          // a repeat
    if (i == 15000) r.replace(r.find("ZG-"), 3, "XX-");                                          // nobody's
    bad += (i ? ",\n" : "") + r;
  }
  bad += "]";
  const std::string text = Body(n, Applicant, bad);
  Problems ps = ProblemsOf([&] { Roster().Render("roster-results", text); });
  Problems whole = model::ValidateRequest("roster-results", ParseJson(text), {"2022-12-31"});
  ASSERT_EQ(whole.size(), 5u);
  ASSERT_EQ(ps.size(), whole.size());
  for (size_t i = 0; i < ps.size(); ++i) EXPECT_EQ(FormatProblem(ps[i]), FormatProblem(whole[i]));
  EXPECT_EQ(ps[0].pointer, "/results/0/senior_review/score");
  EXPECT_EQ(FormatProblem(ps[2]), "/results/12345/applicant_id: must be unique (same as /results/12344/applicant_id)");
}

// An applicant whose texts use escapes: \u ones send its element to TryParseJson (common/json_sax.h), the others
// stay on RapidJSON's path; both must give the same values.
std::string EscapedApplicant(int i) {
  std::string a = Applicant(i);
  if (i % 5 == 0) a.replace(a.find("杭州市某某局"), std::string("杭州市某某局").size(), "\\u676d\\u5dde市\\\"某\\\"局");
  if (i % 5 == 1) a.replace(a.find("办公室主任"), std::string("办公室主任").size(), "办公室\\/主任\\\\");
  return a;
}

// Results in reverse order, none for multiples of 7; integer and fractional scores, dates, votes.
std::string MixedResults(int n) {
  std::string results = "[";
  for (int i = n - 1; i >= 0; --i) {
    if (i % 7 == 0) continue;
    std::string r = Result(i);
    if (i % 3 == 0) r.replace(r.find(".5}"), 3, "}");  // 66 rather than 66.5
    if (i % 4 == 0) r.replace(r.find("\"senior_review\": {"), 18,
                              "\"mid_review\": {\"passed\": true, \"score\": 9e1}, \"senior_review\": {\"votes\": "
                              "{\"for\": 17, \"against\": 2, \"abstain\": 0}, ");
    results += (results.size() > 1 ? ",\n" : "") + r;
  }
  return results + "]";
}

// The streaming path (elements read by RapidJSON's reader, results found, checked and typed by the validator and
// handed to the writer with their rows) writes the cells the whole-body path writes (the body parsed whole by
// ParseJson and typed whole by model::ParseRequest: xlsx::RequestRosterSource), for every shipped roster.
TEST(render_Roster, TheStreamingPathWritesTheCellsOfTheWholeBodyPath) {
  std::string dir = FreshDir("roster-same-cells");
  const int n = 1200;
  const std::string text = Body(n, EscapedApplicant, MixedResults(n));
  std::ofstream(dir + "/body.json") << text;
  for (const char* kind : {"roster-results", "roster-summary", "roster-qualification"}) {
    SCOPED_TRACE(kind);
    RenderedDocument streamed = Roster().RenderFile(kind, dir + "/body.json");
    model::Request whole =
        model::ParseRequest(kind, ParseJson(text), Roster().validation_context()).ValueOrThrow("body");
    RenderedDocument held = Roster().Render(std::move(whole));
    std::ofstream(dir + "/streamed.xlsx", std::ios::binary) << streamed.bytes;
    std::ofstream(dir + "/held.xlsx", std::ios::binary) << held.bytes;
    std::string error;
    Var a = ReadBack(dir + "/streamed.xlsx", &error, n + 10);
    ASSERT_EQ(error, "") << error;
    Var b = ReadBack(dir + "/held.xlsx", &error, n + 10);
    ASSERT_EQ(error, "") << error;
    EXPECT_EQ(Str(a, "/max_row"), Str(b, "/max_row"));
    EXPECT_EQ(JsonText(a), JsonText(b));
    if (std::string(kind) == "roster-results") {
      EXPECT_EQ(Cell(a, 2, 2), "杭州市\"某\"局");  // applicant 0's unit, \u-escaped in the body
      EXPECT_EQ(Cell(a, 4, 7), "2.5") << "applicant 2's 高评委评分";
      EXPECT_EQ(Cell(a, 5, 7), "3") << "applicant 3's 高评委评分";
    }
  }
  std::filesystem::remove_all(dir);
}

// A bad row deep in a large body — an applicant, a result, one through the \u fallback — is reported by the streaming
// path with the pointers and messages (English and Chinese) that validating the whole parsed body gives.
TEST(render_Roster, ABadRowDeepInALargeBodyIsReportedAsTheWholeBodyReportsIt) {
  std::string dir = FreshDir("roster-deep-bad");
  const int n = 30000;
  std::string text = Body(
      n,
      [](int i) {
        std::string a = EscapedApplicant(i);
        if (i == 29990) a.replace(a.find("\"gender\": \""), 14, "\"gender\": \"X");
        if (i == 29995) a.replace(a.find("\"id_number\": \"330102"), 20, "\"id_number\": \"\\u0033");
        return a;
      },
      [&] {
        std::string r = MixedResults(n);
        const std::string late = "\"applicant_id\": \"ZG-029999\"";
        r.replace(r.find(late), late.size(), late + ", \"qualified_from\": \"2022-02-30\"");
        return r;
      }());
  std::ofstream(dir + "/body.json") << text;
  Problems whole = model::ValidateRequest("roster-results", ParseJson(text), {"2022-12-31"});
  ASSERT_GE(whole.size(), 3u);
  for (bool by_file : {true, false}) {
    SCOPED_TRACE(by_file ? "file" : "text");
    Problems ps = ProblemsOf([&] {
      if (by_file) Roster().RenderFile("roster-results", dir + "/body.json");
      else Roster().Render("roster-results", text);
    });
    ASSERT_EQ(ps.size(), whole.size());
    for (size_t i = 0; i < ps.size(); ++i) {
      EXPECT_EQ(FormatProblem(ps[i]), FormatProblem(whole[i]));
      EXPECT_EQ(FormatProblem(ps[i], Lang::kZh), FormatProblem(whole[i], Lang::kZh));
    }
    EXPECT_EQ(ps[0].pointer, "/applicants/29990/gender");
    EXPECT_EQ(ps[1].pointer, "/applicants/29995/id_number");
    EXPECT_EQ(ps[2].pointer.rfind("/results/", 0), 0u);
  }
  std::filesystem::remove_all(dir);
}

TEST(render_Roster, ResultProblemsAndMalformedElements) {
  std::string results = "[" + Result(1) + ", " + Result(1) + ", " + Result(5) + "]";
  Problems ps = ProblemsOf([&] { Roster().Render("roster-results", Body(3, Applicant, results)); });
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(FormatProblem(ps[0]), "/results/1/applicant_id: must be unique (same as /results/0/applicant_id)");
  EXPECT_EQ(FormatProblem(ps[1]), "/results/2/applicant_id: no applicant with id ZG-000005 in /applicants");

  // A malformed element far down the list: malformed JSON (400), not a list of problems.
  std::string text = Body(500, [](int i) { return i == 480 ? std::string("{\"id\": tru}") : Applicant(i); });
  Problems malformed = ProblemsOf([&] { Roster().Render("roster-summary", text); });
  ASSERT_EQ(malformed.size(), 1u);
  EXPECT_EQ(malformed[0].rule.rfind("malformed JSON", 0), 0u) << malformed[0].rule;
  EXPECT_NE(malformed[0].rule.find("/applicants/480"), std::string::npos) << malformed[0].rule;
  EXPECT_TRUE(IsMalformedJsonError(malformed[0].rule));
}

}  // namespace
}  // namespace zhiping::render
