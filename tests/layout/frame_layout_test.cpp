// layout: the document frame (issue 11) — titles broken between words in balanced lines, the 发文机关标志 kept at
// 22 pt or more (narrowed, or in more lines), the 署名 wrapped and centred over the date, body text kept on the
// seal's page, the 信函 header distances of GB/T 9704 §10.1. Everything is read back from the display list.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "../pdf/core_test_util.h"
#include "common/utf8.h"
#include "layout/document_layout.h"
#include "layout/word_breaks.h"

namespace zhiping {
namespace {

using namespace coretest;
using namespace layout;

// One line of text as drawn: its glyphs in x order, its baseline, size and horizontal extent (scaling included).
struct DrawnLine {
  std::u32string text;
  double y = 0, size = 0, left = 1e9, right = -1e9, hscale = 1;
  Color color;
};

std::vector<DrawnLine> Lines(const Page& page) {
  std::map<std::pair<long, long>, std::vector<std::pair<double, char32_t>>> by_line;  // (−y, size) -> glyphs
  std::map<std::pair<long, long>, DrawnLine> info;
  for (const TextRun& r : page.runs) {
    auto key = std::make_pair(std::lround(-r.y * 10), std::lround(r.size * 10));
    DrawnLine& l = info[key];
    l.y = r.y;
    l.size = r.size;
    l.hscale = r.hscale;
    l.color = r.color;
    for (const PlacedGlyph& g : r.glyphs) {
      by_line[key].push_back({g.x, g.cp});
      l.left = std::min(l.left, g.x);
      l.right = std::max(l.right, g.x + r.face->Advance(g.cp) * r.size * r.hscale);
    }
  }
  std::vector<DrawnLine> out;
  for (auto& [key, glyphs] : by_line) {
    std::sort(glyphs.begin(), glyphs.end());
    DrawnLine l = info[key];
    for (auto& [x, cp] : glyphs) l.text.push_back(cp);
    out.push_back(l);
  }
  return out;  // top to bottom
}

std::string U8(const std::u32string& s) { return EncodeUtf8(s); }

Block Para(const std::u32string& text) {
  Block b;
  b.kind = BlockKind::kParagraph;
  b.text = text;
  return b;
}

Block Signature(const std::u32string& organ, const std::u32string& date = U"2022年9月13日", bool sealed = true) {
  Block b;
  b.kind = BlockKind::kSignature;
  b.organ = organ;
  b.date = date;
  b.sealed = sealed;
  return b;
}

Block Title(const std::u32string& text) {
  Block b;
  b.kind = BlockKind::kTitle;
  b.text = text;
  return b;
}

// Organ and committee names of 22–60 characters, as offices really name themselves.
const std::u32string kOffice22 = U"浙江省思想政治工作人员专业职务评定工作办公室";
const std::u32string kCommittee38 = U"中共浙江省委宣传部浙江省卫生健康委员会思想政治工作人员专业职务高级评审委员会";
const std::u32string kJoint60 =
    U"中共浙江省委组织部浙江省人力资源和社会保障厅浙江省卫生健康委员会浙江省教育厅思想政治工作人员专业职务评定工作领导小组";

std::vector<DrawnLine> TitleLines(const Page& page) {
  std::vector<DrawnLine> out;
  for (const DrawnLine& l : Lines(page))
    if (std::fabs(l.size - 22) < 0.01 && l.color == kBlack) out.push_back(l);
  return out;
}

// ---- words ---------------------------------------------------------------------------------------------------------

TEST(layout_WordBreaks, NeverInsideAWordNorBesideASingleCharacterWord) {
  const std::u32string t = U"关于2022年度高级政工师评审结果的公示";
  std::vector<bool> ok = WordBreaks(t);
  ASSERT_EQ(ok.size(), t.size());
  auto at = [&](const std::u32string& before) { return static_cast<bool>(ok[before.size()]); };
  EXPECT_TRUE(at(U"关于")) << "between two words";
  EXPECT_TRUE(at(U"关于2022年度")) << "年度|高级";
  EXPECT_FALSE(at(U"关于2022年度高")) << "inside 高级";
  EXPECT_FALSE(at(U"关于2022年度高级")) << "高级 / 政工师: ICU knows no 政工师 and splits it into characters";
  EXPECT_FALSE(at(U"关于2022年度高级政")) << "inside 政工师";
  EXPECT_FALSE(at(U"关于2022年度高级政工")) << "inside 政工师";
  EXPECT_FALSE(at(U"关于2022年度高级政工师评审结果")) << "结果 / 的公示";
  const std::u32string w = U"关于公布中共浙江省委宣传部（卫生健康委员会）评审结果的通知";
  ok = WordBreaks(w);
  size_t wei = w.find(U"卫");
  EXPECT_FALSE(ok[wei + 1]) << "（卫 / 生";
}

// ---- titles ----------------------------------------------------------------------------------------------------------

TEST(layout_Title, FitsOnOneLineWhenItFitsTheTypeArea) {
  DocumentSpec spec;
  spec.blocks = {Title(U"关于2022年度高级政工师评审结果的公示"), Para(U"正文。")};
  LaidOutDocument doc = LayOutDocument(spec, SharedFonts());
  std::vector<DrawnLine> lines = TitleLines(doc.pages[0]);
  ASSERT_EQ(lines.size(), 1u) << U8(lines[0].text);
  PageGeometry g;
  EXPECT_NEAR((lines[0].left + lines[0].right) / 2, (g.type_left() + g.type_right()) / 2, 1.0) << "centred";
}

TEST(layout_Title, LongTitlesBreakBetweenWordsInTheFewestBalancedLines) {
  const std::vector<std::u32string> titles = {
      U"关于上报2022年度高级政工师评审名单的报告",
      U"关于公布中共浙江省委宣传部（卫生健康委员会）2022年度高级政工师专业职务任职资格评审结果的通知",
      U"关于印发《浙江省思想政治工作人员高级政工师专业职务任职资格评价标准（试行）》和评审工作实施细则的通知",
      U"关于2022年度" + kJoint60 + U"组织开展高级政工师评审工作有关事项的通知",
  };
  PageGeometry g;
  for (const std::u32string& title : titles) {
    DocumentSpec spec;
    spec.blocks = {Title(title), Para(U"正文。")};
    std::vector<DrawnLine> lines = TitleLines(LayOutDocument(spec, SharedFonts()).pages[0]);
    ASSERT_FALSE(lines.empty());
    std::u32string joined;
    double widest = 0, narrowest = 1e9, total = 0;
    const std::vector<bool> words = WordBreaks(title);
    for (size_t i = 0; i < lines.size(); ++i) {
      const DrawnLine& l = lines[i];
      joined += l.text;
      if (i + 1 < lines.size()) {
        EXPECT_TRUE(words[joined.size()]) << "break inside a word after " << U8(joined);
      }
      EXPECT_GE(l.left, g.type_left() - 0.01);
      EXPECT_LE(l.right, g.type_right() + 0.01);
      const double w = l.right - l.left;
      widest = std::max(widest, w);
      narrowest = std::min(narrowest, w);
      total += w;
    }
    EXPECT_EQ(U8(joined), U8(title));
    // The fewest lines: the text would not fit in one line fewer (at 20 characters of 22 pt a line).
    EXPECT_LE(lines.size(), static_cast<size_t>(std::ceil(total / g.type_width)) + 1) << U8(title);
    if (lines.size() >= 2) {
      EXPECT_LE(widest - narrowest, widest * 0.5) << "balanced: " << U8(title);
    }
    for (size_t i = 1; i + 1 < lines.size(); ++i) {
      const double w = lines[i].right - lines[i].left;
      EXPECT_FALSE(w < lines[i - 1].right - lines[i - 1].left - 11 && w < lines[i + 1].right - lines[i + 1].left - 11)
          << "hourglass: " << U8(title);
    }
  }
}

TEST(layout_Title, ReportTitleKeepsTheProfessionalTitleWhole) {
  DocumentSpec spec;
  spec.blocks = {Title(U"关于上报2022年度高级政工师评审名单的报告"), Para(U"正文。")};
  std::vector<DrawnLine> lines = TitleLines(LayOutDocument(spec, SharedFonts()).pages[0]);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(U8(lines[0].text), "关于上报2022年度");
  EXPECT_EQ(U8(lines[1].text), "高级政工师评审名单的报告") << "a trapezoid, 高级政工师 whole";
}

// ---- 发文机关标志 ------------------------------------------------------------------------------------------------------

TEST(layout_OrganMark, KeepsItsSizeAndIsNarrowedOrSetInMoreLines) {
  PageGeometry g;
  for (const std::u32string& organ : {std::u32string(U"浙江省人力资源和社会保障厅"), kOffice22, kCommittee38, kJoint60}) {
    DocumentSpec spec;
    Block h;
    h.kind = BlockKind::kRedHeader;
    h.organ = organ;
    h.doc_number = U"浙政职办〔2022〕9号";
    spec.blocks = {h, Title(U"关于2022年度高级政工师评审结果的公示"), Para(U"正文。")};
    LaidOutDocument doc = LayOutDocument(spec, SharedFonts(), g);
    std::u32string joined;
    double prev_y = 1e9;
    for (const DrawnLine& l : Lines(doc.pages[0])) {
      if (!(l.color == kRed)) continue;
      joined += l.text;
      EXPECT_GE(l.size, 22 - 1e-9) << "never smaller than the title: " << U8(organ);
      EXPECT_GE(l.hscale, 0.7 - 1e-9) << U8(organ);
      EXPECT_GE(l.left, g.type_left() - 0.01) << U8(organ);
      EXPECT_LE(l.right, g.type_right() + 0.01) << U8(organ);
      EXPECT_NEAR((l.left + l.right) / 2, (g.type_left() + g.type_right()) / 2, 0.5) << "centred: " << U8(organ);
      EXPECT_LT(l.y, prev_y - l.size) << "lines do not overlap";
      prev_y = l.y;
    }
    EXPECT_EQ(U8(joined), U8(organ));
    // The 发文字号 and the title still come below the mark.
    double mark_bottom = 1e9, number_top = -1e9;
    for (const DrawnLine& l : Lines(doc.pages[0])) {
      if (l.color == kRed) mark_bottom = std::min(mark_bottom, l.y - 0.12 * l.size);
      if (U8(l.text).find("〔2022〕") != std::string::npos) number_top = l.y + 0.88 * l.size;
    }
    EXPECT_LT(number_top, mark_bottom - 20) << U8(organ);
  }
}

// ---- 署名 ---------------------------------------------------------------------------------------------------------

TEST(layout_Signature, LongOrganNamesWrapAndEveryLineIsCentredOverTheDate) {
  PageGeometry g;
  for (const std::u32string& organ : {kOffice22, kCommittee38, kJoint60, std::u32string(U"省政工职评办")}) {
    DocumentSpec spec;
    spec.blocks = {Para(U"特此报告。"), Signature(organ)};
    LaidOutDocument doc = LayOutDocument(spec, SharedFonts(), g);
    std::vector<DrawnLine> lines = Lines(doc.pages.back());
    const DrawnLine* date = nullptr;
    std::u32string joined;
    std::vector<const DrawnLine*> organ_lines;
    for (const DrawnLine& l : lines) {
      if (l.text == U"2022年9月13日") date = &l;
      else if (l.y > g.type_bottom() && l.text != U"特此报告。") organ_lines.push_back(&l);
    }
    ASSERT_NE(date, nullptr);
    EXPECT_NEAR(date->right, g.type_right() - 4 * g.char_pitch(), 1.0) << "date right-indented 4 字";
    const double axis = (date->left + date->right) / 2;
    for (const DrawnLine* l : organ_lines) {
      joined += l->text;
      EXPECT_GE(l->left, g.type_left() - 0.01) << U8(organ);
      EXPECT_LE(l->right, g.type_right() + 0.01) << U8(organ);
      EXPECT_NEAR((l->left + l->right) / 2, axis, 1.0) << "centred over the date: " << U8(l->text);
      EXPECT_GT(l->y, date->y) << "above the date";
    }
    EXPECT_EQ(U8(joined), U8(organ));
    EXPECT_EQ(organ_lines.size() > 1, organ.size() > 14) << U8(organ);
    // The seal's place is on the date's axis and covers the signature.
    EXPECT_NEAR(doc.seal.x + doc.seal.w / 2, axis, 0.5);
    EXPECT_GE(doc.seal.y + doc.seal.h, organ_lines.back()->y);
  }
}

TEST(layout_Signature, UnsealedLongNamesStayInsideTheTypeArea) {
  PageGeometry g;
  DocumentSpec spec;
  spec.blocks = {Para(U"特此报告。"), Signature(kCommittee38, U"2022年9月13日", false)};
  LaidOutDocument doc = LayOutDocument(spec, SharedFonts(), g);
  std::u32string joined;
  for (const DrawnLine& l : Lines(doc.pages.back())) {
    if (l.y < g.type_bottom()) continue;
    EXPECT_GE(l.left, g.type_left() - 0.01) << U8(l.text);
    EXPECT_LE(l.right, g.type_right() - 2 * g.char_pitch() + 0.5) << "right-indented 2 字: " << U8(l.text);
    if (l.text != U"特此报告。" && l.text != U"2022年9月13日") joined += l.text;
  }
  EXPECT_EQ(U8(joined), U8(kCommittee38));
}

// ---- the seal's page carries body text (§7.3.5.5) --------------------------------------------------------------------

TEST(layout_Signature, TheSealPageAlwaysCarriesBodyText) {
  PageGeometry g;
  int moved = 0;
  // Bodies of every length around a page's end: somewhere the signature does not fit under the last line.
  for (int filler = 0; filler < 30; ++filler) {
    for (const std::u32string& organ : {kOffice22, std::u32string(U"省政工职评办")}) {
      DocumentSpec spec;
      spec.blocks.push_back(Title(U"关于上报2022年度高级政工师评审名单的报告"));
      for (int i = 0; i < 3; ++i)
        spec.blocks.push_back(Para(std::u32string(56, U'文') + std::u32string(static_cast<size_t>(filler), U'字') + U"。"));
      spec.blocks.push_back(Para(std::u32string(200 + 14 * filler, U'审') + U"。"));
      spec.blocks.push_back(Para(U"特此报告。"));
      spec.blocks.push_back(Signature(organ));
      LaidOutDocument doc = LayOutDocument(spec, SharedFonts(), g);
      ASSERT_GE(doc.seal.page, 0);
      int body = 0;
      for (const DrawnLine& l : Lines(doc.pages[doc.seal.page]))
        if (l.text == U"特此报告。" || l.text.find_first_not_of(U"文字审。") == std::u32string::npos) ++body;
      EXPECT_GE(body, 2) << "filler " << filler << ": the seal's page " << doc.seal.page + 1 << " has no body text";
      moved += doc.seal.page > 0 && doc.pages.size() > 1;
    }
  }
  EXPECT_GT(moved, 0) << "some of the bodies put the signature on page 2";
}

// ---- 信函格式 (§10.1) ---------------------------------------------------------------------------------------------

TEST(layout_Letter, NumberAndTitleSitAtTheStandardDistancesUnderTheDoubleLine) {
  PageGeometry g;
  for (const std::u32string& head : {kOffice22, std::u32string(U"浙江省人力资源和社会保障厅"), kJoint60}) {
    DocumentSpec spec;
    spec.style = PageStyle::kLetter;
    spec.letterhead = head;
    Block number;
    number.kind = BlockKind::kRightLine;
    number.text = U"编号：浙政职评通〔2022〕18号";
    spec.blocks = {number, Title(U"评审结果通知书"), Para(U"正文。")};
    LaidOutDocument doc = LayOutDocument(spec, SharedFonts(), g);
    const Page& p = doc.pages[0];
    // The double line under the name: the two red rules highest on the page.
    std::vector<Rule> rules = p.rules;
    std::sort(rules.begin(), rules.end(), [](const Rule& a, const Rule& b) { return a.y1 > b.y1; });
    ASSERT_GE(rules.size(), 2u);
    const Rule& thick = rules[0];
    const Rule& thin = rules[1];
    EXPECT_GT(thick.width, thin.width) << "thick over thin";
    EXPECT_NEAR(thick.x2 - thick.x1, Mm(170), 0.01);
    double mark_bottom = 1e9, mark_top = -1e9;
    const DrawnLine *num = nullptr, *title = nullptr;
    std::vector<DrawnLine> lines = Lines(p);
    for (const DrawnLine& l : lines) {
      if (l.color == kRed) {
        mark_bottom = std::min(mark_bottom, l.y - 0.12 * l.size);
        mark_top = std::max(mark_top, l.y + 0.88 * l.size);
        EXPECT_GE(l.size, 22 - 1e-9);
        EXPECT_GE(l.left, g.type_left() - 0.01);
        EXPECT_LE(l.right, g.type_right() + 0.01);
      }
      if (U8(l.text).find("编号") == 0) num = &l;
      if (l.text == U"评审结果通知书") title = &l;
    }
    ASSERT_TRUE(num && title);
    EXPECT_NEAR(mark_top, g.height - Mm(30), 0.05) << "the name 30 mm from the top edge";
    EXPECT_NEAR(mark_bottom - (thick.y1 + thick.width / 2), Mm(4), 0.05) << "the double line 4 mm under the name";
    const double line_bottom = thin.y1 - thin.width / 2;
    const double num_top = num->y + 0.88 * 16;
    EXPECT_NEAR(line_bottom - num_top, 16.0 * 7 / 8, 0.05) << "编号 7/8 of a 3号 character (4.94 mm) under the line";
    EXPECT_NEAR(num->right, g.type_right(), 0.5) << "flush right";
    // The title two blank lines under the 编号: its line is the third grid line after the 编号's.
    EXPECT_NEAR(num->y - title->y, 3 * g.line_pitch() - (22 - 16) / 2.0 + 0.88 * (22 - 16), 0.05);
  }
}

}  // namespace
}  // namespace zhiping
