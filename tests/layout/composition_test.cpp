// layout: composition rules for data text (issue 11, part C) — break opportunities inside e-mail addresses and
// URLs and the ½-em stretch limit, "\n" as a new paragraph, full-width brackets beside Han text, names that stay
// whole in table cells, no single character on a cell's last line, text inside a form cell's inner box, one face
// per name with a warning when none has it all, and page numbers in the Song face.
#include <gtest/gtest.h>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <cmath>
#include <map>
#include <mutex>
#include <set>

#include "../pdf/core_test_util.h"
#include "common/utf8.h"
#include "layout/document_layout.h"
#include "layout/line_breaker.h"
#include "layout/paragraph.h"
#include "layout/text_prep.h"
#include "compose_test_util.h"

namespace zhiping {
namespace {

using namespace coretest;
using namespace layout;
using namespace composetest;

// Advance of a glyph as the composer sets it: the Han pitch for wide characters, the face's advance otherwise.
double Advance(const ComposedGlyph& g, const TextStyle& st) {
  return IsWide(g.cp) ? st.pitch_or_size() : g.face->Advance(g.cp) * st.size;
}

// The contact lines of a notice, with addresses and URLs at every offset around the line end.
std::vector<std::u32string> ContactParagraphs() {
  std::vector<std::u32string> out;
  for (size_t lead = 0; lead < 30; ++lead)
    out.push_back(Han(lead, lead) + U"——详见附件……联系电话：010-66668888，电子邮箱：zhicheng.pingshen@renshi-ting.example.gov.cn，"
                                    U"网址：https://www.renshi-ting.example.gov.cn/zhicheng/2022/gonggao/index.html。");
  return out;
}

TEST(layout_Composition, NoJustifiedGapGrowsPastHalfAnEmAndUrlsBreakInside) {
  const auto& fonts = SharedFonts();
  size_t url_breaks = 0;
  for (const auto& text : ContactParagraphs()) {
    ParagraphSpec ps = BodySpec(text);
    auto lines = ComposeParagraph(ps, fonts);
    std::u32string joined;
    for (const auto& l : lines) joined += LineText(l);
    ASSERT_EQ(EncodeUtf8(joined), EncodeUtf8(text)) << "nothing lost or added";
    for (size_t i = 0; i < lines.size(); ++i) {
      const auto& gl = lines[i].glyphs;
      for (size_t k = 1; k < gl.size(); ++k) {
        const bool han_latin = IsWide(gl[k - 1].cp) != IsWide(gl[k].cp);
        const double gap = gl[k].x - gl[k - 1].x - Advance(gl[k - 1], ps.style) - (han_latin ? kPitch / 4 : 0);
        EXPECT_LE(gap, kPitch / 2 + 0.02) << "gap before char " << k << " of line " << i + 1 << ":\n" << Dump(lines);
        if (::testing::Test::HasFailure()) return;
      }
      if (i + 1 < lines.size()) {
        char32_t last = gl.back().cp, next = lines[i + 1].glyphs.front().cp;
        if (std::u32string(U"@./-").find(last) != std::u32string::npos && next < 0x80) ++url_breaks;
        EXPECT_FALSE(std::u32string(U"@./").find(next) != std::u32string::npos) << "a line starts with a URL mark:\n"
                                                                                 << Dump(lines);
      }
    }
  }
  EXPECT_GT(url_breaks, 10u) << "lines break inside addresses and URLs";
}

TEST(layout_Composition, UrlBreakOpportunitiesComeAfterMarksNeverBefore) {
  const std::u32string t = U"见https://a.example.cn/x/y和li@b.cn。";
  auto can = BreakOpportunities(t);
  auto at = [&](const std::u32string& s) { return t.find(s); };
  EXPECT_TRUE(can[at(U"example")]) << "after a.";
  EXPECT_TRUE(can[at(U"x/y")]) << "after cn/";
  EXPECT_TRUE(can[at(U"b.cn")]) << "after @";
  EXPECT_FALSE(can[at(U"/x")]) << "before /";
  EXPECT_FALSE(can[at(U"//a") + 1]) << "inside ://";
  EXPECT_FALSE(can[at(U"@")]) << "before @";
}

TEST(layout_Composition, ALineBreakInTheDataStartsAnIndentedParagraph) {
  const auto& fonts = SharedFonts();
  auto lines = ComposeParagraph(BodySpec(Han(40) + U"。\n" + Han(10, 3) + U"。\r\n\r\n" + Han(5, 9) + U"。"), fonts);
  ASSERT_EQ(lines.size(), 4u) << Dump(lines);
  EXPECT_EQ(LineText(lines[2]), Han(10, 3) + U"。");
  for (size_t i : {0, 2, 3}) EXPECT_NEAR(lines[i].glyphs.front().x, 2 * kPitch, 0.01) << "paragraph " << i;
  EXPECT_NEAR(lines[1].glyphs.front().x, 0, 0.01);
  // In a cell (no indent) it is a new line.
  ParagraphSpec cell = BodySpec(U"同意推荐。\n单位负责人：张三");
  cell.first_indent = 0;
  cell.width = 20 * kPitch;
  lines = ComposeParagraph(cell, fonts);
  ASSERT_EQ(lines.size(), 2u) << Dump(lines);
  EXPECT_EQ(LineText(lines[1]), U"单位负责人：张三");
}

TEST(layout_Composition, CellsBreakBetweenWordsAndLongWordsAtTheirBestPlace) {
  const auto& fonts = SharedFonts();
  auto cell = [&](const std::u32string& text, double chars, bool words_whole) {
    ParagraphSpec ps = BodySpec(text, 0);
    ps.width = chars * kPitch;
    ps.words_whole = words_whole;
    std::u32string shown;
    for (const ComposedLine& l : ComposeParagraph(ps, fonts)) shown += (shown.empty() ? U"" : U"/") + LineText(l);
    return EncodeUtf8(shown);
  };
  // A three-character column: the title breaks where it reads (高级 / 政工师), not where the column is full.
  EXPECT_EQ(cell(U"高级政工师", 3, false), "高级政/工师");
  EXPECT_EQ(cell(U"高级政工师", 3, true), "高级/政工师");
  // A unit name breaks between its words when one fits on the line.
  const std::string unit = cell(U"宁波市鄞州区教育局办公室主任", 6, true);
  EXPECT_EQ(unit.find("鄞/"), std::string::npos) << unit;
  EXPECT_EQ(unit.find("/州"), std::string::npos) << unit;
  // Body text keeps the grid: any character may end a line.
  EXPECT_EQ(cell(U"高级政工师", 3, false).substr(0, 9), "高级政");
}

TEST(layout_Composition, AsciiBracketsBesideHanBecomeFullWidth) {
  EXPECT_EQ(EncodeUtf8(PrepareText(U"《职称评审标准 (试行)》")), "《职称评审标准（试行）》");
  EXPECT_EQ(EncodeUtf8(PrepareText(U"第[2022]号与(一)")), "第［2022］号与（一）");
  EXPECT_EQ(EncodeUtf8(PrepareText(U"f(x) = g[y], Tel (86)")), "f(x) = g[y], Tel (86)");
  EXPECT_EQ(EncodeUtf8(PrepareText(U"(2022)年度")), "（2022）年度");
  EXPECT_EQ(EncodeUtf8(PrepareText(U"a\r\nb\rc")), "a\nb\nc");
  auto lines = ComposeParagraph(BodySpec(U"依据《职称评审标准 (试行)》执行。"), SharedFonts());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(EncodeUtf8(LineText(lines[0])), "依据《职称评审标准（试行）》执行。");
}

// A table like the notice's list of the approved, with `n` applicants of two- to four-character and rare names.
Block NameTable(size_t n) {
  Block b;
  b.kind = BlockKind::kTable;
  b.table_font_size = 12;
  b.columns = {{U"序号", 0.07, Align::kCenter},        {U"姓名", 0.12, Align::kCenter},
               {U"性别", 0.07, Align::kCenter},        {U"工作单位及职务", 0.44, Align::kLeft},
               {U"现专业职务", 0.15, Align::kCenter}, {U"评审通过资格", 0.15, Align::kCenter}};
  const std::vector<std::u32string> names = {U"欧阳㐨䶮", U"司马相如", U"诸葛孔明", U"王五", U"上官婉儿", U"张𠮷"};
  for (size_t i = 0; i < n; ++i) {
    std::u32string idx;
    for (char c : std::to_string(i + 1)) idx.push_back(c);
    b.rows.push_back({idx, names[i % names.size()], U"男", Han(10 + i % 30, i) + U"主任",
                      U"政工师", U"高级政工师"});
  }
  return b;
}

TEST(layout_Composition, NamesStayWholeAndNoCellEndsWithASingleCharacter) {
  DocumentSpec spec;
  spec.page_numbers = false;
  spec.blocks.push_back(NameTable(300));
  LaidOutDocument doc = LayOutDocument(spec, SharedFonts());
  ASSERT_GT(doc.pages.size(), 5u);
  // Every name is drawn on one baseline, in order; the header 评审通过资格 wraps with two characters or more.
  const std::set<std::u32string> names = {U"欧阳㐨䶮", U"司马相如", U"诸葛孔明", U"上官婉儿"};
  size_t whole = 0;
  for (const Page& p : doc.pages) {
    std::map<double, std::u32string> by_baseline_in_name_column;
    PageGeometry g;
    for (const TextRun& r : p.runs)
      for (const PlacedGlyph& gl : r.glyphs) {
        const double x = gl.x - g.type_left();
        if (x > 0.07 * g.type_width && x < 0.19 * g.type_width - 2) by_baseline_in_name_column[r.y] += gl.cp;
      }
    for (const auto& [y, text] : by_baseline_in_name_column) {
      if (names.count(text)) ++whole;
      EXPECT_NE(text.size(), 1u) << "a lone character in the name column: " << EncodeUtf8(text);
    }
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_EQ(whole, 200u) << "four-character names on one line each";
  // Lines of the header's cell on page 1: group glyphs in the last column by baseline.
  PageGeometry g;
  std::map<double, std::u32string, std::greater<double>> last_col;
  for (const TextRun& r : doc.pages[0].runs)
    for (const PlacedGlyph& gl : r.glyphs)
      if (gl.x > g.type_left() + 0.85 * g.type_width - 4) last_col[r.y] += gl.cp;
  ASSERT_GE(last_col.size(), 2u);
  auto it = last_col.begin();
  const std::u32string first_line = it->second, second_line = (++it)->second;
  EXPECT_EQ(EncodeUtf8(first_line + second_line), "评审通过资格");
  EXPECT_GE(second_line.size(), 2u) << EncodeUtf8(first_line) << " / " << EncodeUtf8(second_line);
}

TEST(layout_Composition, FormTextStaysInsideTheCellsInnerBox) {
  // Left-aligned cells whose lines the breaker squeezes one more character into: 「思政+安」 at every offset.
  PageGeometry g;
  size_t checked = 0;
  for (size_t lead = 0; lead < 24; ++lead) {
    Block b;
    b.kind = BlockKind::kForm;
    b.form_columns = {0.08, 0.42, 0.26, 0.12, 0.12};
    b.form_font_size = 12;
    FormRow row;
    FormCell c;
    c.col = 1;
    c.paras.push_back({Han(lead, lead) + U"，“思政+安全”协同育人的实践与探索。" + Han(20, lead) + U"。", Align::kLeft, false});
    row.cells.push_back(c);
    b.form_rows.push_back(row);
    DocumentSpec spec;
    spec.page_numbers = false;
    spec.blocks.push_back(b);
    LaidOutDocument doc = LayOutDocument(spec, SharedFonts());
    const double inner_l = g.type_left() + 0.08 * g.type_width + 4, inner_r = g.type_left() + 0.5 * g.type_width - 4;
    for (const TextRun& r : doc.pages[0].runs)
      for (const PlacedGlyph& gl : r.glyphs) {
        const bool wide = IsWide(gl.cp);
        double right = gl.x + (wide ? r.size : r.face->Advance(gl.cp) * r.size);
        if (IsClosingOrPause(gl.cp)) right = gl.x + r.size / 2;  // ink in the left half
        EXPECT_GE(gl.x, inner_l - 0.01);
        EXPECT_LE(right, inner_r + 0.01) << "lead " << lead << ": " << EncodeUtf8(std::u32string(1, gl.cp))
                                         << " ends " << right - inner_r << " pt past the cell's inner box";
        ++checked;
        if (::testing::Test::HasFailure()) return;
      }
  }
  EXPECT_GT(checked, 500u);
}

// Collects the messages sent to a Poco logger.
class Collect : public Poco::Channel {
 public:
  void log(const Poco::Message& m) override {
    std::lock_guard<std::mutex> lock(mu_);
    messages.push_back(m.getText());
  }
  std::vector<std::string> messages;

 private:
  std::mutex mu_;
};

TEST(layout_Composition, ANameIsDrawnInOneFaceAndAWarningSaysWhenItCannotBe) {
  const auto& fonts = SharedFonts();
  // A name whose rare characters the role's first face lacks: one face for all of it.
  for (fonts::Role role : {fonts::Role::kFangSong, fonts::Role::kKai, fonts::Role::kHei}) {
    ParagraphSpec ps;
    ps.text = U"欧阳㐨䶮";
    ps.style.role = role;
    ps.style.size = 12;
    ps.width = 200;
    auto lines = ComposeParagraph(ps, fonts);
    ASSERT_EQ(lines.size(), 1u);
    std::set<const fonts::FontFace*> faces;
    for (const auto& gl : lines[0].glyphs) faces.insert(gl.face);
    EXPECT_EQ(faces.size(), 1u) << "role " << static_cast<int>(role);
  }
  // Within a sentence only the rare characters move, and together.
  auto lines = ComposeParagraph(BodySpec(U"经评审，申报人欧阳㐨䶮同志符合条件。"), fonts);
  std::map<const fonts::FontFace*, std::u32string> by_face;
  for (const auto& gl : lines[0].glyphs) by_face[gl.face] += gl.cp;
  EXPECT_EQ(by_face.size(), 2u);
  bool together = false;
  for (const auto& [f, t] : by_face) together |= t == U"㐨䶮";
  EXPECT_TRUE(together);
  // A name no one face has: find two characters of the repository's fonts that share no face.
  const std::u32string candidates = U"㐨䶮𠮷𡈼𤭢𠀀㑇㒰㖞䲜";
  std::u32string pair;
  const auto all = fonts.faces();
  for (char32_t a : candidates)
    for (char32_t b : candidates) {
      if (!pair.empty() || a == b) continue;
      bool a_any = false, b_any = false, shared = false;
      for (const auto* f : all) {
        a_any |= f->Has(a);
        b_any |= f->Has(b);
        shared |= f->Has(a) && f->Has(b);
      }
      if (a_any && b_any && !shared) pair = {U'张', a, b};
    }
  ASSERT_FALSE(pair.empty()) << "the repository's fonts changed: pick two characters that share no face";
  Poco::AutoPtr<Collect> channel(new Collect);
  Poco::Logger& log = Poco::Logger::get("zhiping.layout");
  Poco::Channel::Ptr before = log.getChannel();
  log.setChannel(channel);
  log.setLevel(Poco::Message::PRIO_WARNING);
  ParagraphSpec ps;
  ps.text = pair;
  ps.style.size = 12;
  ps.width = 200;
  ComposeParagraph(ps, fonts);
  log.setChannel(before);
  ASSERT_EQ(channel->messages.size(), 1u);
  EXPECT_NE(channel->messages[0].find(EncodeUtf8(pair)), std::string::npos) << channel->messages[0];
}

TEST(layout_Composition, PageNumbersAreInTheSongFace) {
  DocumentSpec spec;
  Block p;
  p.kind = BlockKind::kParagraph;
  for (int i = 0; i < 40; ++i) p.text += Han(28, i);
  spec.blocks.push_back(p);
  LaidOutDocument doc = LayOutDocument(spec, SharedFonts());
  ASSERT_GE(doc.pages.size(), 2u);
  PageGeometry g;
  const fonts::FontFace* song = SharedFonts().chain(fonts::Role::kSong).front();
  size_t digits = 0;
  for (const Page& page : doc.pages)
    for (const TextRun& r : page.runs) {
      if (r.y > g.type_bottom()) continue;
      for (const PlacedGlyph& gl : r.glyphs) {
        if (gl.cp < '0' || gl.cp > '9') continue;
        ++digits;
        EXPECT_EQ(r.face, song) << "digit " << EncodeUtf8(std::u32string(1, gl.cp)) << " from " << r.face->file();
      }
    }
  EXPECT_GE(digits, 2u);
}

}  // namespace
}  // namespace zhiping
