// render: the whole pipeline (JSON -> template -> layout -> PDF) on samples/notice.json and samples/letter.json,
// checked with qpdf and poppler; privacy, GB/T 9704 geometry, error reporting and determinism.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <cmath>
#include <map>
#include <set>

#include "render_test_util.h"
#include "common/error.h"
#include "common/json.h"
#include "common/utf8.h"
#include "fonts/font_set.h"
#include "render/renderer.h"
#include "model/dates.h"
#include "templating/view.h"

namespace zhiping {
namespace {

using namespace coretest;
using namespace rendertest;
using Poco::JSON::Array;
using Poco::JSON::Object;

const Rendered& Notice() {
  static Rendered* r = new Rendered(RenderToFile("notice", Sample("notice"), "notice"));
  return *r;
}
const Rendered& Letter() {
  static Rendered* r = new Rendered(RenderToFile("letter", Sample("letter"), "letter"));
  return *r;
}

// ---- validity of the files ------------------------------------------------------------------------------------

TEST(render_Notice, QpdfAndPopplerAcceptItAndFontsAreEmbedded) {
  ASSERT_GE(Notice().pages, 2);
  ExpectCleanPdf(Notice());
}

TEST(render_Letter, QpdfAndPopplerAcceptItAndFontsAreEmbedded) {
  ASSERT_GE(Letter().pages, 1);
  ExpectCleanPdf(Letter());
}

// ---- content --------------------------------------------------------------------------------------------------

TEST(render_Notice, EveryApplicantNameAppears) {
  Object::Ptr body = ParseObject(Sample("notice"));
  Array::Ptr apps = body->getArray("applicants");
  ASSERT_GT(apps->size(), 10u);
  bool saw_ext_b = false, saw_ext_a = false;
  for (unsigned i = 0; i < apps->size(); ++i) {
    std::string name = apps->getObject(i)->getValue<std::string>("name");
    saw_ext_b |= name == "吉𠮷";
    saw_ext_a |= name == "王䶮";
    EXPECT_TRUE(Contains(Notice().text, name)) << "missing applicant " << name;
  }
  EXPECT_TRUE(saw_ext_b) << "the sample should hold 吉𠮷 (U+20BB7)";
  if (saw_ext_a) {
    EXPECT_TRUE(Contains(Notice().text, "王䶮"));
  }
  EXPECT_TRUE(Contains(Notice().text, "序号"));
  EXPECT_TRUE(Contains(Notice().text, "浙政职办〔2022〕9号"));
  EXPECT_TRUE(Contains(Notice().text, "2022年11月30日")) << "成文日期";
}

TEST(render_Letter, ApplicantNameAppears) {
  Object::Ptr body = ParseObject(Sample("letter"));
  std::string name = body->getObject("applicant")->getValue<std::string>("name");
  EXPECT_TRUE(Contains(Letter().text, name)) << name;
  EXPECT_TRUE(Contains(Letter().text, "评审结果通知书"));
  EXPECT_TRUE(Contains(Letter().text, "2022年12月30日"));
}

TEST(render_Notice, NoPrivateFieldReachesThePage) {
  Object::Ptr body = ParseObject(Sample("notice"));
  Array::Ptr apps = body->getArray("applicants");
  const std::string& flat = Notice().text;  // whitespace removed
  size_t checked = 0;
  for (unsigned i = 0; i < apps->size(); ++i) {
    Object::Ptr a = apps->getObject(i);
    for (const char* field : {"id_number", "phone", "birth"}) {
      if (!a->has(field)) continue;
      std::string v = a->getValue<std::string>(field);
      ++checked;
      EXPECT_FALSE(Contains(flat, v)) << field << " " << v << " of " << a->getValue<std::string>("name");
      std::string cn = model::ChineseDateOf(v);
      if (!cn.empty()) {
        EXPECT_FALSE(Contains(flat, cn)) << field << " " << cn;
      }
    }
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GT(checked, 100u);
}

// ---- geometry (pdftotext -bbox: points, y from the top) ----------------------------------------------------------

bool IsPageNumberWord(const BoxWord& w) { return w.y_min > (37 + 225) * kPt + 5; }

TEST(render_Notice, WordsStayInsideTheTypeArea) {
  auto words = ParseBbox(RunCommand("pdftotext -bbox '" + Notice().path + "' -").out);
  ASSERT_GT(words.size(), 200u);
  const double left = 28 * kPt, right = 184 * kPt, top = 37 * kPt, bottom = 262 * kPt;
  for (const auto& w : words) {
    if (IsPageNumberWord(w)) continue;
    // A full-width closing mark at a line end is set ½ em; poppler still counts its full advance.
    std::u32string u;
    DecodeUtf8(w.text, &u);
    double slack = !u.empty() && std::u32string(U"、。，；：！？）》」”〕】］").find(u.back()) != std::u32string::npos ? 8.5 : 0;
    EXPECT_GE(w.x_min, left - 1) << w.text << " page " << w.page + 1;
    EXPECT_LE(w.x_max, right + 1 + slack) << w.text << " page " << w.page + 1;
    EXPECT_GE(w.y_min, top - 1) << w.text << " page " << w.page + 1;
    EXPECT_LE(w.y_max, bottom + 1) << w.text << " page " << w.page + 1;
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(render_Notice, PageNumbersFollowGbt9704) {
  int pages = 0;
  auto words = ParseBbox(RunCommand("pdftotext -bbox '" + Notice().path + "' -").out, &pages);
  ASSERT_EQ(pages, Notice().pages);
  const double left = 28 * kPt, right = 184 * kPt;
  for (int p = 0; p < pages; ++p) {
    std::vector<BoxWord> num;
    for (const auto& w : words)
      if (w.page == p && IsPageNumberWord(w)) num.push_back(w);
    ASSERT_FALSE(num.empty()) << "no page number on page " << p + 1;
    std::string joined;
    double lo = 1e9, hi = -1e9;
    for (const auto& w : num) {
      joined += w.text;
      lo = std::min(lo, w.x_min);
      hi = std::max(hi, w.x_max);
      EXPECT_NEAR(w.y_min, 762.5, 3) << "number top 7 mm below the type area, page " << p + 1;
    }
    EXPECT_EQ(joined, "—" + std::to_string(p + 1) + "—") << "page " << p + 1;
    if (p % 2 == 0) {
      EXPECT_NEAR(hi, right - 14, 1.5) << "odd page " << p + 1 << " ends 1 字 from the right";
    } else {
      EXPECT_NEAR(lo, left + 14, 1.5) << "even page " << p + 1 << " starts 1 字 from the left";
    }
  }
}

TEST(render_Notice, BodyLinesOnTheGrid) {
  auto words = ParseBbox(RunCommand("pdftotext -bbox '" + Notice().path + "' -").out);
  // Body text is 16 pt: word height from one face is constant; take the words of page 1 with the most common height.
  std::map<double, int> heights;
  for (const auto& w : words)
    if (w.page == 0 && !IsPageNumberWord(w)) heights[std::round((w.y_max - w.y_min) * 10) / 10]++;
  double body_h = 0;
  int best = 0;
  for (auto [h, n] : heights)
    if (n > best) best = n, body_h = h;
  std::set<double> tops;
  for (const auto& w : words)
    if (w.page == 0 && !IsPageNumberWord(w) && std::fabs(w.y_max - w.y_min - body_h) < 0.15)
      tops.insert(std::round(w.y_min * 100) / 100);
  std::vector<double> lines;
  for (double y : tops)
    if (lines.empty() || y - lines.back() > 3) lines.push_back(y);
  ASSERT_GE(lines.size(), 8u);
  EXPECT_LE(lines.size(), 22u);
  const double pitch = 225 * kPt / 22;
  int one_pitch = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    double d = lines[i] - lines[i - 1];
    double k = std::round(d / pitch);
    EXPECT_NEAR(d, k * pitch, 0.2) << "line " << i;
    one_pitch += k == 1;
  }
  EXPECT_GE(one_pitch, 6) << "consecutive body lines are 28.99 pt apart";
}

// ---- structure with other data ---------------------------------------------------------------------------------

TEST(render_Notice, OneApplicantGivesBodyAndAttachmentPage) {
  // Without a document number there is no 版头, and the body fits on page 1; the list is the attachment page.
  Object::Ptr body = ParseObject(Sample("notice"));
  Array::Ptr apps = body->getArray("applicants");
  Array::Ptr one = new Array;
  one->add(apps->get(0));
  body->set("applicants", one);
  body->getObject("notice")->remove("doc_no");
  Rendered r = RenderToFile("notice", testing::ToJson(body), "notice-one");
  EXPECT_EQ(r.pages, 2);
  EXPECT_TRUE(std::regex_search(RunCommand("pdfinfo '" + r.path + "'").out, std::regex("Pages:\\s+2\n")));
  EXPECT_TRUE(Contains(r.text, apps->getObject(0)->getValue<std::string>("name")));
  EXPECT_TRUE(Contains(r.text, "等1位同志")) << "applicants_count";
  int pages = 0;
  auto words = ParseBbox(RunCommand("pdftotext -bbox '" + r.path + "' -").out, &pages);
  for (const auto& w : words)
    if (Contains(w.text, "序号")) {
      EXPECT_EQ(w.page, 1) << "the list belongs on the attachment page";
    }
}

TEST(render_Notice, TwoHundredApplicantsRepeatTheHeaderOnEveryAttachmentPage) {
  Object::Ptr body = ParseObject(Sample("notice"));
  Array::Ptr apps = body->getArray("applicants");
  Array::Ptr many = new Array;
  for (int i = 0; i < 200; ++i) {
    Object::Ptr a = new Object(*apps->getObject(i % apps->size()));
    char id[32];
    std::snprintf(id, sizeof id, "ZG2022-%06d", 100000 + i);
    a->set("id", std::string(id));
    many->add(a);
  }
  body->set("applicants", many);
  Rendered r;
  try {
    r = RenderToFile("notice", testing::ToJson(body), "notice-200");
  } catch (const Error& e) {
    std::string msg = e.what();
    for (const auto& p : e.problems()) msg += "\n" + FormatProblem(p);
    FAIL() << msg;
  }
  EXPECT_GT(r.pages, Notice().pages);
  int pages = 0;
  auto words = ParseBbox(RunCommand("pdftotext -bbox '" + r.path + "' -").out, &pages);
  ASSERT_EQ(pages, r.pages);
  std::vector<bool> header(pages, false);
  for (const auto& w : words)
    if (Contains(w.text, "序号")) header[w.page] = true;
  int first = 0;
  while (first < pages && !header[first]) ++first;
  ASSERT_LT(first, pages) << "no table at all";
  EXPECT_LE(first + 5, pages) << "200 rows should take several attachment pages";
  for (int p = first; p < pages; ++p) EXPECT_TRUE(header[p]) << "no table header on attachment page " << p + 1;
  // Every row is there: the last 序号 value and a name from the end of the list.
  bool saw_200 = false;
  for (const auto& w : words) saw_200 |= w.page == pages - 1 && w.text == "200";
  EXPECT_TRUE(saw_200) << "row 200 on the last page";
}

// ---- errors ----------------------------------------------------------------------------------------------------

Error RenderError(const std::string& tmpl, const std::string& body) {
  try {
    SharedRenderer().Render(tmpl, body);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error";
  return Error(ErrorKind::kInternal, "none");
}

bool HasProblem(const Error& e, const std::string& pointer, const std::string& rule_part = "") {
  for (const auto& p : e.problems())
    if (p.pointer == pointer && Contains(p.rule, rule_part)) return true;
  return false;
}

std::string ProblemsText(const Error& e) {
  std::string s = e.what();
  for (const auto& p : e.problems()) s += "\n  " + p.pointer + ": " + p.rule;
  return s;
}

TEST(render_Errors, MissingNameIsInvalidInputWithPointer) {
  Object::Ptr body = ParseObject(Sample("notice"));
  body->getArray("applicants")->getObject(0)->remove("name");
  Error e = RenderError("notice", testing::ToJson(body));
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_TRUE(HasProblem(e, "/applicants/0/name")) << ProblemsText(e);
}

TEST(render_Errors, UndrawableCharactersAreNamedWithTheirField) {
  for (const char* bad : {"\xEE\x80\x80", "\xF4\x8F\xBF\xBD"}) {  // U+E000 private use, U+10FFFD no font has it
    Object::Ptr body = ParseObject(Sample("notice"));
    body->getArray("applicants")->getObject(0)->set("name", std::string("张") + bad);
    Error e = RenderError("notice", testing::ToJson(body));
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_TRUE(HasProblem(e, "/applicants/0/name", "U+")) << ProblemsText(e);
  }
}

TEST(render_Errors, UnknownTemplateIsNotFound) {
  Error e = RenderError("no-such-template", Sample("notice"));
  EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  EXPECT_TRUE(Contains(e.what(), "no-such-template"));
  EXPECT_FALSE(SharedRenderer().HasTemplate("no-such-template"));
  EXPECT_TRUE(SharedRenderer().HasTemplate("notice"));
}

// A Renderer of a test's own (unlike SharedRenderer): the repository's fonts, fonts loaded on first PDF.
render::RendererConfig OwnRendererConfig(const std::string& templates_dir) {
  render::RendererConfig c = testing::RepoRendererConfig(templates_dir);
  c.today = testing::kTestToday;
  c.fonts_on_demand = true;
  return c;
}

// A broken template fails the Renderer (the service starts only whole) unless keep_broken_templates (the preview):
// then only that template is out, with its file:line error, and the others render.
TEST(render_Errors, BrokenTemplateFailsTheRendererOrIsKeptApart) {
  const std::string dir = FreshDir("broken-templates");
  for (const char* name : {"notice", "letter"})
    WriteAll(dir + "/" + name + ".tmpl", ReadAll(SourceDir() + "/templates/" + name + ".tmpl"));
  WriteAll(dir + "/broken.tmpl", "@template pdf\n@tittle 公示\n");
  render::RendererConfig c = OwnRendererConfig(dir);
  try {
    render::Renderer strict(c);
    ADD_FAILURE() << "a broken template must fail the constructor";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kTemplate);
    EXPECT_TRUE(Contains(e.what(), "broken.tmpl:2")) << e.what();
  }
  c.keep_broken_templates = true;
  render::Renderer lenient(c);
  auto broken = lenient.BrokenTemplates();
  ASSERT_EQ(broken.size(), 1u);
  EXPECT_TRUE(Contains(broken["broken"], "broken.tmpl:2")) << broken["broken"];
  EXPECT_FALSE(lenient.HasTemplate("broken"));
  EXPECT_EQ(lenient.Templates().size(), 2u);
  try {
    lenient.Render("broken", "{}");
    ADD_FAILURE() << "rendering a broken template must throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kTemplate);
    EXPECT_TRUE(Contains(e.what(), "broken.tmpl:2")) << e.what();
  }
  EXPECT_EQ(lenient.Render("letter", Sample("letter")).bytes.substr(0, 5), "%PDF-");
}

// calendar_file reaches validation: with 2022-12-05 declared a holiday, the sample's 公示 period (Thursday 12-01 to
// Wednesday 12-07, 5 working days) has 4. A bad calendar line stops the Renderer, naming file:line.
TEST(render_Errors, CalendarFileCountsInThePublicityPeriod) {
  const std::string dir = FreshDir("calendar");
  WriteAll(dir + "/holidays.conf", "2022-12-05 holiday  # an office's own day off\n");
  render::RendererConfig c = OwnRendererConfig(SourceDir() + "/templates");
  c.calendar_file = dir + "/holidays.conf";
  render::Renderer with_holiday(c);
  try {
    with_holiday.Render("notice", Sample("notice"));
    ADD_FAILURE() << "the period has only 4 working days";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_TRUE(HasProblem(e, "/notice/period/end", "(has 4)")) << ProblemsText(e);
  }
  WriteAll(dir + "/bad.conf", "2022-12-05 feiertag\n");
  c.calendar_file = dir + "/bad.conf";
  try {
    render::Renderer bad(c);
    ADD_FAILURE() << "a bad calendar line";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_TRUE(Contains(e.what(), "bad.conf:1")) << e.what();
  }
}

// A second Renderer given the first one's fonts uses them (the preview rebuilds its Renderer at every save).
TEST(render_Errors, FontsCanBeSharedWithALaterRenderer) {
  render::RendererConfig c = OwnRendererConfig(SourceDir() + "/templates");
  render::Renderer first(c);
  std::shared_ptr<const fonts::FontSet> fonts = first.font_set();
  ASSERT_NE(fonts, nullptr);
  c.font_set = fonts;
  c.font_role_map = "/nonexistent/fonts.conf";  // never read: the fonts are given
  render::Renderer second(c);
  EXPECT_EQ(second.font_set(), fonts);
  EXPECT_EQ(second.Render("letter", Sample("letter")).bytes.substr(0, 5), "%PDF-");
}

TEST(render_Errors, MalformedJsonIsInvalidInput) {
  for (const std::string& body : {std::string("{\"batch\": "), std::string("not json"), Sample("notice").substr(0, 500)}) {
    Error e = RenderError("notice", body);
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    ASSERT_EQ(e.problems().size(), 1u) << ProblemsText(e);
    EXPECT_EQ(e.problems()[0].rule.rfind("malformed JSON", 0), 0u) << e.problems()[0].rule;
  }
}

// ---- determinism -----------------------------------------------------------------------------------------------

TEST(render_Letter, SameInputSameBytes) {
  std::string a = SharedRenderer().Render("letter", Sample("letter")).bytes;
  std::string b = SharedRenderer().Render("letter", Sample("letter")).bytes;
  EXPECT_TRUE(a == b) << "two renders of one letter differ (" << a.size() << " vs " << b.size() << " bytes)";
  EXPECT_TRUE(a == Letter().bytes);
}

}  // namespace
}  // namespace zhiping

namespace zhiping {
namespace {

// The format is checked against the template before its body is read: a roster is XLSX only, a PDF template PDF or
// OFD; the problem names format (render/output_format.h).
TEST(render_OutputFormat, ARosterIsNotOfdAndALetterIsNotXlsx) {
  auto code_of = [](const std::string& tmpl, const std::string& body, render::OutputFormat format) {
    try {
      testing::SharedRenderer().Render(tmpl, body, format);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
      EXPECT_EQ(e.problems().size(), 1u);
      return e.problems().empty() ? std::string() : std::string(ProblemCode(e.problems()[0]));
    }
    return std::string("rendered");
  };
  EXPECT_EQ(code_of("roster-summary", Sample("roster-summary"), render::OutputFormat::kOfd), "format.template");
  EXPECT_EQ(code_of("roster-summary", "not even JSON", render::OutputFormat::kPdf), "format.template");
  EXPECT_EQ(code_of("letter", Sample("letter"), render::OutputFormat::kXlsx), "format.template");
  EXPECT_EQ(code_of("roster-summary", Sample("roster-summary"), render::OutputFormat::kXlsx), "rendered");
  EXPECT_EQ(code_of("letter", Sample("letter"), render::OutputFormat::kOfd), "rendered");
  EXPECT_EQ(render::ParseOutputFormat(""), render::OutputFormat::kTemplate);
  EXPECT_EQ(render::ParseOutputFormat("ofd"), render::OutputFormat::kOfd);
  for (const char* bad : {"OFD", "pdf ", "docx", "ofd\n"}) {
    try {
      render::ParseOutputFormat(bad);
      ADD_FAILURE() << bad << " accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
      EXPECT_STREQ(ProblemCode(e.problems().at(0)), "format.unknown");
    }
  }
}

}  // namespace
}  // namespace zhiping
