// layout: clreq line breaking and composition (line_breaker + paragraph) and GB/T 9704 page layout.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <map>
#include <random>

#include "../pdf/core_test_util.h"
#include "common/error.h"
#include "common/utf8.h"
#include "layout/document_layout.h"
#include "layout/line_breaker.h"
#include "layout/paragraph.h"
#include "compose_test_util.h"

namespace zhiping {
namespace {

using namespace coretest;
using namespace layout;
using namespace composetest;

// Independent copies of the clreq sets (W3C clreq, GB/T 15834), not the library's.
const std::u32string kNoStartSet = U"、。，．：；！？％‰℃°′″）］｝〕】》〉」』〗〙〞’”…‥—～·・／!%),.:;?]}";
const std::u32string kNoEndSet = U"（［｛〔【《〈「『〖〘〝‘“$£¥￥＄([{";
const std::u32string kClosingSet = U"、。，．：；！？）］｝〕】》〉」』〗〙〞’”";
bool In(const std::u32string& s, char32_t c) { return s.find(c) != std::u32string::npos; }


// Paragraphs whose natural breaks land on every forbidden position: a pattern placed at every offset around the
// ends of the first lines.
std::vector<std::u32string> TrickyParagraphs() {
  const std::vector<std::u32string> patterns = {U"，", U"。", U"）", U"》", U"——", U"……", U"、", U"：", U"；",
                                                U"！", U"？", U"”", U"」", U"（", U"《", U"“", U"）。", U"。”",
                                                U"2022年", U"86分", U"30%", U"（一）", U"《通知》，", U"——“"};
  std::vector<std::u32string> out;
  for (const auto& p : patterns)
    for (size_t offset = 20; offset < 60; ++offset) out.push_back(Han(offset, offset) + p + Han(30, offset + 3) + U"。");
  std::mt19937 rng(7);
  for (int k = 0; k < 150; ++k) {
    std::u32string t;
    int pieces = 6 + rng() % 10;
    for (int i = 0; i < pieces; ++i) {
      t += Han(1 + rng() % 9, rng());
      t += patterns[rng() % patterns.size()];
    }
    out.push_back(t + U"。");
  }
  return out;
}

TEST(layout_LineBreaking, NoForbiddenLineStartsOrEndsAndNoSplitDashes) {
  const auto& fonts = SharedFonts();
  size_t checked_breaks = 0;
  for (const auto& text : TrickyParagraphs()) {
    auto lines = ComposeParagraph(BodySpec(text), fonts);
    ASSERT_FALSE(lines.empty());
    // Nothing lost or added (the text has no spaces).
    std::u32string joined;
    for (const auto& l : lines) joined += LineText(l);
    ASSERT_EQ(EncodeUtf8(joined), EncodeUtf8(text));
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
      ASSERT_FALSE(lines[i].glyphs.empty());
      ASSERT_FALSE(lines[i + 1].glyphs.empty());
      char32_t last = lines[i].glyphs.back().cp, first = lines[i + 1].glyphs.front().cp;
      ++checked_breaks;
      EXPECT_FALSE(In(kNoStartSet, first)) << "line starts with a NO_START char:\n" << Dump(lines);
      EXPECT_FALSE(In(kNoEndSet, last)) << "line ends with a NO_END char:\n" << Dump(lines);
      EXPECT_FALSE(last == U'—' && first == U'—') << "—— split:\n" << Dump(lines);
      EXPECT_FALSE(last == U'…' && first == U'…') << "…… split:\n" << Dump(lines);
      bool digit_last = last >= '0' && last <= '9';
      EXPECT_FALSE(digit_last && (first == U'年' || first == U'分' || first == U'%' || (first >= '0' && first <= '9')))
          << "number split from its unit:\n" << Dump(lines);
      if (::testing::Test::HasFailure()) return;
    }
  }
  EXPECT_GT(checked_breaks, 1000u);
}

TEST(layout_LineBreaking, BreakOpportunitiesRespectStrictRules) {
  std::u32string t = U"截至2022年底，共有86分以上者——“优秀”……共30%。";
  auto can = BreakOpportunities(t);
  ASSERT_EQ(can.size(), t.size());
  EXPECT_FALSE(can[0]);
  for (size_t i = 1; i < t.size(); ++i) {
    if (In(kNoStartSet, t[i])) {
      EXPECT_FALSE(can[i]) << "break before NO_START at " << i;
    }
    if (In(kNoEndSet, t[i - 1])) {
      EXPECT_FALSE(can[i]) << "break after NO_END at " << i;
    }
  }
  size_t y = t.find(U'年');
  EXPECT_FALSE(can[y]) << "2022|年";
  EXPECT_FALSE(can[t.find(U"022")]) << "2|022";
  EXPECT_TRUE(can[t.find(U'共')]) << "an ordinary Han break was lost";
}

TEST(layout_Paragraph, PureHanFillsExactly28PerLine) {
  const auto& fonts = SharedFonts();
  const std::u32string text = Han(26 + 28 * 4 + 10);
  auto no_indent = ComposeParagraph(BodySpec(Han(28 * 5 + 10), 0), fonts);
  ASSERT_EQ(no_indent.size(), 6u);
  for (size_t i = 0; i + 1 < no_indent.size(); ++i) EXPECT_EQ(no_indent[i].glyphs.size(), 28u) << "line " << i;
  EXPECT_EQ(no_indent.back().glyphs.size(), 10u);

  auto indented = ComposeParagraph(BodySpec(text, 2), fonts);
  ASSERT_EQ(indented.size(), 6u);
  EXPECT_EQ(indented[0].glyphs.size(), 26u);
  EXPECT_NEAR(indented[0].glyphs[0].x, 2 * kPitch, 0.01);
  for (size_t i = 1; i + 1 < indented.size(); ++i) {
    EXPECT_EQ(indented[i].glyphs.size(), 28u) << "line " << i;
    EXPECT_NEAR(indented[i].glyphs[0].x, 0, 0.01);
    // On the grid: glyph k at k × pitch.
    for (size_t k = 0; k < indented[i].glyphs.size(); ++k) EXPECT_NEAR(indented[i].glyphs[k].x, k * kPitch, 0.01);
  }
  EXPECT_EQ(indented.back().glyphs.size(), 10u);
}

TEST(layout_Paragraph, JustifiedLinesEndAtTheRightEdge) {
  const auto& fonts = SharedFonts();
  size_t lines_checked = 0;
  auto texts = TrickyParagraphs();
  texts.push_back(U"根据《浙江省高级政工师评价标准(试行)》（浙宣〔2020〕26号）和2022年度通知要求，经评审委员会于2022年11月20日评审，共有86名同志通过，通过率为30%，现予公示。公示期为2022年12月1日至2022年12月7日，联系电话：0571-87052402。");
  for (const auto& text : texts) {
    ParagraphSpec ps = BodySpec(text);
    auto lines = ComposeParagraph(ps, fonts);
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
      const ComposedGlyph& g = lines[i].glyphs.back();
      double adv;
      if (In(kClosingSet, g.cp)) adv = kPitch / 2;  // line-end mark set half width
      else if (IsWide(g.cp)) adv = kPitch;
      else adv = g.face->Advance(g.cp) * ps.style.size;
      ++lines_checked;
      EXPECT_NEAR(g.x + adv, ps.width, 0.05) << "line " << i << " of\n" << Dump(lines);
      // And it starts at the left edge (or the indent).
      EXPECT_NEAR(lines[i].glyphs.front().x, i == 0 ? ps.first_indent : 0, 0.05);
      if (::testing::Test::HasFailure()) return;
    }
    // Glyphs never overlap: each starts at or after the previous one's compressed advance.
    for (const auto& l : lines)
      for (size_t k = 1; k < l.glyphs.size(); ++k)
        ASSERT_GT(l.glyphs[k].x - l.glyphs[k - 1].x, kPitch * 0.45 - 6.0) << Dump(lines);
  }
  EXPECT_GT(lines_checked, 1000u);
}

TEST(layout_Paragraph, JustifiedLinesWithSpacedLatinWordsEndAtTheRightEdge) {

  const auto& fonts = SharedFonts();
  std::u32string text;
  for (int i = 0; i < 12; ++i) text += Han(3 + i % 5, i) + U"the quick brown fox jumps over" + Han(2, i);
  ParagraphSpec ps = BodySpec(text + U"。");
  auto lines = ComposeParagraph(ps, fonts);
  ASSERT_GT(lines.size(), 4u);
  int bad = 0;
  std::string report;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    const ComposedGlyph& g = lines[i].glyphs.back();
    double adv = In(kClosingSet, g.cp) ? kPitch / 2 : IsWide(g.cp) ? kPitch : g.face->Advance(g.cp) * ps.style.size;
    if (std::fabs(g.x + adv - ps.width) > 0.05) {
      ++bad;
      report += "line " + std::to_string(i) + " ends at " + std::to_string(g.x + adv) + ": " + EncodeUtf8(LineText(lines[i])) + "\n";
    }
  }
  EXPECT_EQ(bad, 0) << report;
}

TEST(layout_Paragraph, NoSingleHanCharacterOnTheLastLine) {
  const auto& fonts = SharedFonts();
  for (const std::u32string& tail : {std::u32string(), std::u32string(U"。")}) {
    const std::u32string text = Han(26 + 28 + 1) + tail;
    ParagraphSpec loose = BodySpec(text);
    loose.avoid_orphan = false;
    auto natural = ComposeParagraph(loose, fonts);
    ASSERT_EQ(natural.size(), 3u);
    ASSERT_EQ(natural.back().glyphs.size(), 1u + tail.size()) << "the scenario must produce a 孤字 naturally";
    auto lines = ComposeParagraph(BodySpec(text), fonts);
    ASSERT_GE(lines.size(), 2u);
    size_t han = 0;
    for (const auto& g : lines.back().glyphs) han += In(kClosingSet, g.cp) ? 0 : 1;
    EXPECT_GE(han, 2u) << Dump(lines);
    std::u32string joined;
    for (const auto& l : lines) joined += LineText(l);
    EXPECT_EQ(EncodeUtf8(joined), EncodeUtf8(text));
  }
}

TEST(layout_Paragraph, QuarterEmBetweenHanAndLatin) {
  const auto& fonts = SharedFonts();
  ParagraphSpec ps = BodySpec(U"今年2月完成", 0);
  auto lines = ComposeParagraph(ps, fonts);
  ASSERT_EQ(lines.size(), 1u);
  const auto& g = lines[0].glyphs;
  ASSERT_EQ(g.size(), 6u);
  ASSERT_EQ(g[1].cp, U'年');
  ASSERT_EQ(g[2].cp, U'2');
  EXPECT_NEAR(g[2].x - (g[1].x + kPitch), kPitch / 4, 0.05) << "gap 年|2";
  const double two_w = g[2].face->Advance(U'2') * 16;
  EXPECT_GT(two_w, 5);
  EXPECT_LT(two_w, 12) << "digits are proportional, not full width";
  EXPECT_NEAR(g[3].x - (g[2].x + two_w), kPitch / 4, 0.05) << "gap 2|月";
  EXPECT_NEAR(g[4].x - g[3].x, kPitch, 0.05) << "no gap between Han";
  // No gap next to Chinese punctuation.
  auto p = ComposeParagraph(BodySpec(U"（2022）", 0), fonts)[0].glyphs;
  ASSERT_EQ(p.size(), 6u);
  EXPECT_NEAR(p[1].x - (p[0].x + kPitch), 0, 0.05);
}

DocumentSpec SpecWithParagraphs(int n) {
  DocumentSpec spec;
  for (int i = 0; i < n; ++i) {
    Block b;
    b.kind = BlockKind::kParagraph;
    b.text = Han(30 + (i * 37) % 90, i) + U"，" + Han(20, i + 5) + U"。";
    spec.blocks.push_back(b);
  }
  return spec;
}

struct PageLines {
  std::vector<double> baselines;  // body text baselines (size 16), descending
};

PageLines BodyLines(const Page& page, double min_y) {
  std::vector<double> ys;
  for (const auto& r : page.runs)
    if (std::fabs(r.size - 16) < 0.01 && r.y > min_y) ys.push_back(r.y);
  std::sort(ys.rbegin(), ys.rend());
  PageLines pl;
  for (double y : ys)
    if (pl.baselines.empty() || std::fabs(pl.baselines.back() - y) > 0.01) pl.baselines.push_back(y);
  return pl;
}

TEST(layout_Document, AtMost22GridLinesPerPage) {
  const auto& fonts = SharedFonts();
  PageGeometry g;
  LaidOutDocument doc = LayOutDocument(SpecWithParagraphs(60), fonts, g);
  ASSERT_GE(doc.pages.size(), 4u);
  for (size_t p = 0; p < doc.pages.size(); ++p) {
    PageLines pl = BodyLines(doc.pages[p], g.type_bottom());
    EXPECT_LE(pl.baselines.size(), 22u) << "page " << p + 1;
    if (p + 1 < doc.pages.size()) {
      EXPECT_GE(pl.baselines.size(), 21u) << "page " << p + 1 << " left mostly empty";
    }
    for (size_t i = 1; i < pl.baselines.size(); ++i)
      EXPECT_NEAR(pl.baselines[i - 1] - pl.baselines[i], g.line_pitch(), 0.01) << "page " << p + 1;
    for (const auto& r : doc.pages[p].runs) {
      if (r.y < g.type_bottom()) continue;  // the page number
      EXPECT_LT(r.y, g.type_top());
      for (const auto& gl : r.glyphs) {
        EXPECT_GE(gl.x, g.type_left() - 0.01);
        EXPECT_LE(gl.x + kPitch / 2, g.type_right() + 0.01);
      }
    }
  }
}

TEST(layout_Document, PageNumbersAlternateSidesBelowTheTypeArea) {
  const auto& fonts = SharedFonts();
  PageGeometry g;
  LaidOutDocument doc = LayOutDocument(SpecWithParagraphs(60), fonts, g);
  ASSERT_GE(doc.pages.size(), 2u);
  for (size_t p = 0; p < doc.pages.size(); ++p) {
    double lo = 1e9, hi = -1e9, y = 0;
    std::u32string text;
    for (const auto& r : doc.pages[p].runs) {
      if (r.y > g.type_bottom()) continue;
      EXPECT_NEAR(r.size, 14, 0.01);
      y = r.y;
      for (const auto& gl : r.glyphs) {
        text.push_back(gl.cp);
        lo = std::min(lo, gl.x);
        hi = std::max(hi, gl.x + r.face->Advance(gl.cp) * r.size);
      }
    }
    EXPECT_EQ(EncodeUtf8(text), "—" + std::to_string(p + 1) + "—") << "page " << p + 1;
    EXPECT_NEAR(y + 0.88 * 14, g.type_bottom() - Mm(7), 0.5) << "top of the number line 7 mm below the type area";
    if (p % 2 == 0) {
      EXPECT_NEAR(hi, g.type_right() - 14, 0.5) << "odd page " << p + 1;
    } else {
      EXPECT_NEAR(lo, g.type_left() + 14, 0.5) << "even page " << p + 1;
    }
  }
}

Block TableBlock(int rows) {
  Block b;
  b.kind = BlockKind::kTable;
  b.table_font_size = 12;
  b.columns = {{U"序号", 0.08, Align::kCenter}, {U"姓名", 0.14, Align::kCenter}, {U"工作单位", 0.78, Align::kLeft}};
  for (int i = 0; i < rows; ++i)
    b.rows.push_back({std::u32string(U"") + [&] { std::u32string s; for (char c : std::to_string(i + 1)) s.push_back(c); return s; }(),
                      Han(2 + i % 2, i), Han(8 + (i * 13) % 40, i + 1)});
  return b;
}

std::u32string TopLineText(const Page& page) {
  double top = -1e9;
  for (const auto& r : page.runs) top = std::max(top, r.y);
  std::vector<std::pair<double, char32_t>> gs;
  for (const auto& r : page.runs)
    if (std::fabs(r.y - top) < 0.5)
      for (const auto& g : r.glyphs) gs.push_back({g.x, g.cp});
  std::sort(gs.begin(), gs.end());
  std::u32string s;
  for (auto& [x, c] : gs) s.push_back(c);
  return s;
}

TEST(layout_Document, LongTableRepeatsItsHeaderOnEveryPage) {
  const auto& fonts = SharedFonts();
  DocumentSpec spec;
  Block p;
  p.kind = BlockKind::kParagraph;
  p.text = Han(40);
  spec.blocks.push_back(p);
  spec.blocks.push_back(TableBlock(500));
  LaidOutDocument doc = LayOutDocument(spec, fonts);
  ASSERT_GE(doc.pages.size(), 10u);
  for (size_t i = 1; i < doc.pages.size(); ++i)
    EXPECT_EQ(EncodeUtf8(TopLineText(doc.pages[i])), "序号姓名工作单位") << "page " << i + 1;
  // Every row appears exactly once: count the glyphs of the first column numbers "500".
  size_t rows_seen = 0;
  for (const auto& page : doc.pages)
    for (const auto& r : page.runs)
      if (std::fabs(r.size - 12) < 0.01 && !r.glyphs.empty() && r.glyphs[0].x < Mm(28) + 0.08 * Mm(156) &&
          r.glyphs[0].cp >= '0' && r.glyphs[0].cp <= '9')
        ++rows_seen;
  EXPECT_EQ(rows_seen, 500u);
}

TEST(layout_Document, TableCostIsRoughlyLinear) {
  const auto& fonts = SharedFonts();
  auto time_rows = [&](int rows) {
    DocumentSpec spec;
    spec.blocks.push_back(TableBlock(rows));
    // Thread CPU time, not wall time: other test processes share the CPUs and would preempt the longer run.
    auto cpu = [] {
      timespec ts;
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
      return ts.tv_sec + ts.tv_nsec * 1e-9;
    };
    double t0 = cpu();
    LaidOutDocument doc = LayOutDocument(spec, fonts);
    double t1 = cpu();
    EXPECT_GT(doc.pages.size(), 1u);
    return t1 - t0;
  };
  time_rows(50);  // warm up
  // Interleaved rounds, median of each.
  std::vector<double> smalls, larges;
  for (int k = 0; k < 7; ++k) {
    smalls.push_back(time_rows(200));
    larges.push_back(time_rows(2000));
  }
  std::sort(smalls.begin(), smalls.end());
  std::sort(larges.begin(), larges.end());
  double small = std::max(smalls[3], 1e-4), large = larges[3];
  EXPECT_LT(large, 15 * small) << "200 rows: " << small << " s, 2000 rows: " << large << " s";
}

TEST(layout_Paragraph, MissingCharacterIsInvalidInput) {
  try {
    ComposeParagraph(BodySpec(U"姓名" + std::u32string(1, 0x10FFFD)), SharedFonts());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_TRUE(Contains(e.what(), "U+10FFFD")) << e.what();
  }
}

}  // namespace
}  // namespace zhiping
