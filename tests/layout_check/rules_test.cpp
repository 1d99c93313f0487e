// tests/layout_check/rules_test.cpp — each rule of rules.h on small PDFs made for it with the project's own PDF
// writer (glyphs placed by hand on a layout::LaidOutDocument): it finds the violation it is for and stays quiet on
// the clean case beside it.
#include <gtest/gtest.h>
#include <hpdf.h>

#include <algorithm>
#include <string>

#include "fonts/font_set.h"
#include "layout/display_list.h"
#include "layout/geometry.h"
#include "layout_check/pdf_glyphs.h"
#include "layout_check/rules.h"
#include "pdf/pdf_writer.h"
#include "support/paths.h"

namespace zhiping::layout_check {
namespace {

const fonts::FontSet& Fonts() {
  static const fonts::FontSet* set = [] {
    fonts::FontSetOptions o;
    o.role_map_path = testing::SourceDir() + "/fonts/fonts.conf";
    o.search_dirs = fonts::DefaultFontSearchDirs(testing::SourceDir() + "/fonts");
    o.cache_dir = testing::SharedFontCache();
    return new fonts::FontSet(o);
  }();
  return *set;
}

const layout::PageGeometry kG;
const double kLeft = kG.type_left();

// A document drawn by hand: text set glyph by glyph with an extra gap, rules, cells.
class Drawing {
 public:
  explicit Drawing(int pages = 1) { doc_.pages.resize(pages); }
  // Returns the x after the last glyph.
  double Text(int page, double x, double y, const std::u32string& s, double size = 16,
              layout::Color color = layout::kBlack, double gap_em = 0) {
    for (char32_t cp : s) {
      const fonts::FontFace* face = Fonts().Resolve(fonts::Role::kSong, cp);
      auto& runs = doc_.pages[page].runs;
      if (runs.empty() || runs.back().face != face || runs.back().y != y || runs.back().size != size ||
          !(runs.back().color == color)) {
        layout::TextRun r;
        r.face = face, r.size = size, r.y = y, r.color = color;
        runs.push_back(r);
      }
      runs.back().glyphs.push_back({cp, x});
      x += face->Advance(cp) * size + gap_em * size;
    }
    return x;
  }
  void Rule(int page, double x1, double y1, double x2, double y2) {
    doc_.pages[page].rules.push_back({x1, y1, x2, y2, 0.75, layout::kBlack});
  }
  void Cell(int page, double x0, double y0, double x1, double y1) {
    Rule(page, x0, y0, x1, y0), Rule(page, x0, y1, x1, y1), Rule(page, x0, y0, x0, y1), Rule(page, x1, y0, x1, y1);
  }
  Document Read() const { return ReadPdf(pdf::WritePdf(doc_)); }

 private:
  layout::LaidOutDocument doc_;
};

size_t Count(const std::vector<Violation>& vs, const std::string& rule) {
  size_t n = 0;
  for (const auto& v : vs) n += v.rule == rule;
  return n;
}

std::string All(const std::vector<Violation>& vs) {
  std::string s;
  for (const auto& v : vs) s += Describe(v) + "\n";
  return s;
}

TEST(layout_check_PdfGlyphs, ReadsCharactersBoxesSizesColoursAndRules) {
  Drawing d;
  d.Text(0, kLeft, 700, U"公文格式", 16);
  d.Text(0, kLeft, 650, U"红头", 22, layout::kRed);
  d.Rule(0, kLeft, 600, kLeft + 100, 600);
  Document doc = d.Read();
  ASSERT_EQ(doc.pages.size(), 1u);
  const Page& p = doc.pages[0];
  ASSERT_EQ(p.lines.size(), 2u);
  EXPECT_EQ(Utf8(p.lines[0].Text(p.glyphs)), "公文格式");
  EXPECT_NEAR(p.lines[0].baseline, 700, 0.1);
  EXPECT_NEAR(p.lines[0].size, 16, 0.01);
  const Glyph& first = p.glyphs[p.lines[0].glyphs[0]];
  EXPECT_NEAR(first.x0, kLeft, 0.2);
  EXPECT_NEAR(first.x1 - first.x0, 16, 0.5);
  EXPECT_FALSE(first.fill.IsRed());
  EXPECT_TRUE(p.glyphs[p.lines[1].glyphs[0]].fill.IsRed());
  EXPECT_NEAR(p.lines[1].size, 22, 0.01);
  ASSERT_EQ(p.rules.size(), 1u);
  EXPECT_TRUE(p.rules[0].Horizontal());
  EXPECT_NEAR(p.rules[0].x2, kLeft + 100, 0.01);
}

// What the project's writer does not emit yet but a narrowed organ mark or another producer may: Tz, cm, re.
TEST(layout_check_PdfGlyphs, ReadsHorizontalScalingTransformsAndRectangles) {
  HPDF_Doc pdf = HPDF_New(nullptr, nullptr);
  ASSERT_NE(pdf, nullptr);
  HPDF_Page page = HPDF_AddPage(pdf);
  HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  HPDF_Page_BeginText(page);
  HPDF_Page_SetFontAndSize(page, HPDF_GetFont(pdf, "Helvetica", nullptr), 22);
  HPDF_Page_SetRGBFill(page, 0.9f, 0, 0);
  HPDF_Page_SetHorizontalScalling(page, 80);
  HPDF_Page_TextOut(page, 100, 700, "ORGAN");
  HPDF_Page_EndText(page);
  HPDF_Page_GSave(page);
  HPDF_Page_Concat(page, 1, 0, 0, 1, 50, 20);  // cm: moves the rectangle by (50, 20)
  HPDF_Page_Rectangle(page, 100, 500, 200, 30);
  HPDF_Page_Stroke(page);
  HPDF_Page_GRestore(page);
  HPDF_SaveToStream(pdf);
  std::string bytes(HPDF_GetStreamSize(pdf), '\0');
  HPDF_UINT32 got = static_cast<HPDF_UINT32>(bytes.size());
  HPDF_ReadFromStream(pdf, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &got);
  HPDF_Free(pdf);
  Document doc = ReadPdf(bytes);
  const Page& p = doc.pages.at(0);
  ASSERT_EQ(p.lines.size(), 1u);
  EXPECT_EQ(Utf8(p.lines[0].Text(p.glyphs)), "ORGAN");
  const Glyph& o = p.glyphs[p.lines[0].glyphs[0]];
  EXPECT_NEAR(o.size, 22, 0.01);
  EXPECT_NEAR(o.hscale, 0.8, 0.001);
  EXPECT_TRUE(o.fill.IsRed());
  EXPECT_NEAR(o.baseline, 700, 0.01);
  ASSERT_EQ(p.rules.size(), 4u);
  double min_x = 1e9, max_y = 0;
  for (const auto& r : p.rules) min_x = std::min({min_x, r.x1, r.x2}), max_y = std::max({max_y, r.y1, r.y2});
  EXPECT_NEAR(min_x, 150, 0.01);
  EXPECT_NEAR(max_y, 550, 0.01);
  // A 22 pt mark narrowed to 80 % keeps its size: the organ-mark rule accepts it.
  EXPECT_EQ(CheckOrganMark(doc, ProfileFor("notice")).size(), 0u);
}

TEST(layout_check_Rules, InkOutsidePaper) {
  Drawing bad, good;
  bad.Text(0, -6, 400, U"出界");
  good.Text(0, kLeft, 400, U"出界");
  EXPECT_EQ(Count(CheckInkOutsidePaper(bad.Read()), kInkOutsidePaper), 1u);
  EXPECT_EQ(CheckInkOutsidePaper(good.Read()).size(), 0u);
}

TEST(layout_check_Rules, InkOutsideTypeArea) {
  Drawing bad, good;
  bad.Text(0, kLeft - 20, 400, U"左出");                // left of the type area by 20 pt
  bad.Text(0, kLeft, kG.type_bottom() - 30, U"正文");   // body text where only page numbers may go
  bad.Rule(0, kLeft - 20, 300, kLeft + 100, 300);       // a rule wider than the type area
  good.Rule(0, kLeft, 300, kG.type_right(), 300);
  good.Text(0, kLeft, 400, U"版心内");
  good.Text(0, kG.type_right() - 48, kG.type_bottom() - 20, U"—1—", 14);
  auto vs = CheckInkOutsideTypeArea(bad.Read(), Profile{});
  EXPECT_EQ(Count(vs, kInkOutsideTypeArea), 5u) << All(vs);  // 出 too: it ends 4 pt left of the type area
  vs = CheckInkOutsideTypeArea(good.Read(), Profile{});
  EXPECT_EQ(vs.size(), 0u) << All(vs);
}

TEST(layout_check_Rules, InkOutsideCell) {
  Drawing bad, good;
  for (Drawing* d : {&bad, &good}) d->Cell(0, 100, 500, 200, 530);
  bad.Text(0, 180, 510, U"安全");  // 全 ends 12 pt past the right rule
  good.Text(0, 110, 510, U"安全");
  auto vs = CheckInkOutsideCell(bad.Read());
  EXPECT_EQ(Count(vs, kInkOutsideCell), 1u) << All(vs);
  EXPECT_EQ(CheckInkOutsideCell(good.Read()).size(), 0u);
}

TEST(layout_check_Rules, NoStartAndNoEndMarks) {
  Drawing bad, good;
  bad.Text(0, kLeft, 700, U"。这一行以句号开头");
  bad.Text(0, kLeft, 670, U"这一行以括号结尾（");
  good.Text(0, kLeft, 700, U"这一行没有问题。");
  good.Text(0, kLeft, 670, U"（括号开头可以）");
  auto vs = CheckNoStartNoEnd(bad.Read());
  EXPECT_EQ(Count(vs, kNoStartAtLineStart), 1u) << All(vs);
  EXPECT_EQ(Count(vs, kNoEndAtLineEnd), 1u) << All(vs);
  EXPECT_EQ(CheckNoStartNoEnd(good.Read()).size(), 0u);
}

TEST(layout_check_Rules, JustifiedGapOverHalfEm) {
  Drawing bad, good;
  bad.Text(0, kLeft, 700, U"联系电话：12345", 16, layout::kBlack, 0.65);
  good.Text(0, kLeft, 700, U"联系电话：12345", 16, layout::kBlack, 0.2);
  // Two whole ems: ideographic spaces of the text, not justification (赞成　　票).
  double x = good.Text(0, kLeft, 650, U"表决结果：赞成");
  good.Text(0, x + 32, 650, U"票，反对票。");
  auto vs = CheckJustifiedGap(bad.Read());
  EXPECT_GE(Count(vs, kJustifiedGap), 6u) << All(vs);
  vs = CheckJustifiedGap(good.Read());
  EXPECT_EQ(vs.size(), 0u) << All(vs);
}

TEST(layout_check_Rules, TitleBreaksOnlyBetweenWords) {
  Drawing bad, good;
  bad.Text(0, 190, 400, U"关于2022年度高级政", 22);
  bad.Text(0, 200, 371, U"工师评审结果的公示", 22);
  good.Text(0, 190, 400, U"关于2022年度高级政工师", 22);
  good.Text(0, 200, 371, U"评审结果的公示", 22);
  // 高级 | 政工师 is a boundary to ICU; 高级政工师 is one term.
  Drawing term;
  term.Text(0, 190, 400, U"关于上报2022年度高级", 22);
  term.Text(0, 200, 371, U"政工师评审名单的报告", 22);
  EXPECT_EQ(Count(CheckTitleBreaks(term.Read(), Profile{}), kTitleBreaksInWord), 1u);
  auto vs = CheckTitleBreaks(bad.Read(), Profile{});
  ASSERT_EQ(Count(vs, kTitleBreaksInWord), 1u) << All(vs);
  EXPECT_NE(vs[0].detail.find("政 / 工"), std::string::npos) << vs[0].detail;
  vs = CheckTitleBreaks(good.Read(), Profile{});
  EXPECT_EQ(vs.size(), 0u) << All(vs);
}

TEST(layout_check_Rules, SealPageCarriesBodyText) {
  Profile prof;
  prof.has_seal_page = true;
  Drawing bad(2), good(2);
  for (Drawing* d : {&bad, &good}) {
    d->Text(0, kLeft + 32, 700, U"正文第一段。");
    d->Text(1, 300, 500, U"浙江省某某办公室");
    d->Text(1, 320, 471, U"2022年12月30日");
  }
  bad.Text(1, kLeft + 80, 650, U"2.公示情况说明");  // the attachment list's tail is not body text
  good.Text(1, kLeft, 650, U"反映不予受理。");
  auto vs = CheckSealPageBody(bad.Read(), prof);
  ASSERT_EQ(Count(vs, kSealPageWithoutBody), 1u) << All(vs);
  EXPECT_EQ(vs[0].page, 2);
  vs = CheckSealPageBody(good.Read(), prof);
  EXPECT_EQ(vs.size(), 0u) << All(vs);
}

TEST(layout_check_Rules, NamesWholeAndNoSingleCharacterLastLine) {
  Drawing bad, good;
  for (Drawing* d : {&bad, &good}) {
    d->Cell(0, 100, 480, 140, 530);  // a narrow name cell
    d->Cell(0, 140, 480, 220, 530);  // a header cell
  }
  bad.Text(0, 102, 515, U"欧阳㐨", 12);
  bad.Text(0, 102, 500, U"䶮", 12);
  bad.Text(0, 142, 515, U"评审通过资", 12);
  bad.Text(0, 142, 500, U"格", 12);
  good.Text(0, 102, 515, U"欧阳㐨䶮", 9);
  good.Text(0, 142, 515, U"评审通过", 12);
  good.Text(0, 142, 500, U"资格", 12);
  Document b = bad.Read(), g = good.Read();
  auto vs = CheckNamesWhole(b);
  EXPECT_EQ(Count(vs, kNameSplit), 1u) << All(vs);
  vs = CheckSingleCharLastLine(b);
  EXPECT_EQ(Count(vs, kSingleCharLastLine), 2u) << All(vs);
  EXPECT_EQ(CheckNamesWhole(g).size(), 0u) << All(CheckNamesWhole(g));
  EXPECT_EQ(CheckSingleCharLastLine(g).size(), 0u) << All(CheckSingleCharLastLine(g));
}

TEST(layout_check_Rules, OrganMarkAtLeast22pt) {
  Profile prof = ProfileFor("notice");
  Drawing shrunk, good, none;
  shrunk.Text(0, kLeft, 700, U"浙江省思想政治工作人员专业职务评定工作办公室", 20.1, layout::kRed);
  good.Text(0, kLeft, 700, U"浙江省职评办文件", 22, layout::kRed);
  none.Text(0, kLeft, 700, U"没有红头", 16);
  auto vs = CheckOrganMark(shrunk.Read(), prof);
  ASSERT_EQ(Count(vs, kOrganMarkTooSmall), 1u) << All(vs);
  EXPECT_NE(vs[0].detail.find("20.1 pt"), std::string::npos) << vs[0].detail;
  EXPECT_EQ(CheckOrganMark(good.Read(), prof).size(), 0u);
  EXPECT_EQ(Count(CheckOrganMark(none.Read(), prof), kOrganMarkTooSmall), 1u);
}

}  // namespace
}  // namespace zhiping::layout_check
