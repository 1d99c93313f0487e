// layout: a joint document (联合行文, issue 15) — the organ mark of several organs (GB/T 9704 §7.2.2), their
// signatures with one seal each (§7.3.5.2), and a table grouped by committee whose headings never stand alone at a
// page's foot. Everything is read back from the display list.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "../pdf/core_test_util.h"
#include "common/utf8.h"
#include "layout/document_layout.h"

namespace zhiping {
namespace {

using namespace coretest;
using namespace layout;

const std::u32string kLead = U"中共浙江省委宣传部";
const std::u32string kSecond = U"浙江省人力资源和社会保障厅";

// The text drawn on one baseline of a page, with its extent.
struct Drawn {
  std::u32string text;
  double y = 0, size = 0, left = 1e9, right = -1e9;
  Color color;
};

// Pieces of text on one baseline are apart when a gap wider than 1.5 characters separates them (two organs' names
// side by side are two pieces).
std::vector<Drawn> TextOf(const Page& page) {
  struct G {
    double x, right;
    char32_t cp;
  };
  std::map<long, std::vector<G>> glyphs;
  std::map<long, Drawn> info;
  for (const TextRun& r : page.runs) {
    const long key = std::lround(-r.y * 10);
    Drawn& d = info[key];
    d.y = r.y;
    d.size = r.size;
    d.color = r.color;
    for (const PlacedGlyph& g : r.glyphs) glyphs[key].push_back({g.x, g.x + r.face->Advance(g.cp) * r.size * r.hscale, g.cp});
  }
  std::vector<Drawn> out;
  for (auto& [key, gs] : glyphs) {
    std::sort(gs.begin(), gs.end(), [](const G& a, const G& b) { return a.x < b.x; });
    Drawn d = info[key];
    for (size_t i = 0; i < gs.size(); ++i) {
      if (i > 0 && gs[i].x - gs[i - 1].right > 1.5 * d.size) {
        out.push_back(d);
        d.text.clear();
        d.left = 1e9;
        d.right = -1e9;
      }
      d.text.push_back(gs[i].cp);
      d.left = std::min(d.left, gs[i].x);
      d.right = std::max(d.right, gs[i].right);
    }
    out.push_back(d);
  }
  return out;  // top to bottom, left to right
}

std::u32string Ascii(const std::string& s) { return std::u32string(s.begin(), s.end()); }

Block Para(const std::u32string& text) {
  Block b;
  b.kind = BlockKind::kParagraph;
  b.text = text;
  return b;
}

Block JointSignature(std::vector<std::u32string> organs, std::vector<std::u32string> dates) {
  Block b;
  b.kind = BlockKind::kSignature;
  b.organs = std::move(organs);
  b.dates = std::move(dates);
  return b;
}

TEST(layout_Joint, OrganMarkStacksTheNamesLeadFirstWithWenjianBeside) {
  PageGeometry g;
  DocumentSpec spec;
  Block header;
  header.kind = BlockKind::kRedHeader;
  header.organs = {kLead, kSecond};
  header.suffix = U"文件";
  header.doc_number = U"浙宣〔2023〕3号";
  spec.blocks = {header, Para(U"正文。")};
  LaidOutDocument doc = LayOutDocument(spec, SharedFonts(), g);
  std::vector<Drawn> red;
  for (const Drawn& d : TextOf(doc.pages[0]))
    if (d.color == kRed) red.push_back(d);
  ASSERT_EQ(red.size(), 3u);  // the two names, and 文件 on a baseline of its own between them
  const Drawn *lead = nullptr, *second = nullptr, *wenjian = nullptr;
  for (const Drawn& d : red) {
    if (d.text == kLead) lead = &d;
    if (d.text == kSecond) second = &d;
    if (d.text == U"文件") wenjian = &d;
  }
  ASSERT_TRUE(lead && second && wenjian);
  EXPECT_GT(lead->y, second->y);  // the lead organ above
  EXPECT_GE(lead->size, 22);
  EXPECT_NEAR(lead->left, second->left, 0.5);  // spread to one width
  EXPECT_NEAR(lead->right, second->right, 1.0);
  EXPECT_GT(wenjian->left, second->right);
  EXPECT_LT(wenjian->y, lead->y);
  EXPECT_GT(wenjian->y, second->y);
  EXPECT_GE(lead->left, g.type_left() - 0.5);
  EXPECT_LE(wenjian->right, g.type_right() + 0.5);
  // Its top 35 mm below the type area's top, as for one organ.
  EXPECT_NEAR(lead->y + 0.88 * lead->size, g.type_top() - Mm(35), 1.0);
}

TEST(layout_Joint, EveryOrganHasItsOwnSealOverItsNameAlignedAndApart) {
  PageGeometry g;
  for (bool same_day : {true, false}) {
    SCOPED_TRACE(same_day ? "one date" : "a date per organ");
    DocumentSpec spec;
    spec.blocks = {Para(U"现予公布。"),
                   JointSignature({kLead, kSecond}, {U"2023年1月9日", same_day ? U"2023年1月9日" : U"2023年1月12日"})};
    LaidOutDocument doc = LayOutDocument(spec, SharedFonts(), g);
    ASSERT_EQ(doc.seals.size(), 2u);
    const SealBox &a = doc.seals[0], &b = doc.seals[1];
    EXPECT_EQ(doc.seal.x, a.x);  // seal == seals[0]: the first signer's place
    EXPECT_EQ(doc.seal.y, a.y);
    EXPECT_EQ(a.page, b.page);
    EXPECT_EQ(a.page, static_cast<int>(doc.pages.size()) - 1);
    EXPECT_DOUBLE_EQ(a.y, b.y);  // aligned
    EXPECT_DOUBLE_EQ(a.w, b.w);
    EXPECT_LT(a.x + a.w, b.x);   // neither overlapping nor touching
    EXPECT_GE(a.x, g.type_left() - 0.5);
    EXPECT_LE(b.x + b.w, g.type_right() + 0.5);
    std::map<std::u32string, Drawn> by_text;
    for (const Drawn& d : TextOf(doc.pages[a.page])) by_text[d.text] = d;
    // Each organ's name centred under its own seal, the lead organ's left.
    for (auto [name, seal] : {std::pair<std::u32string, const SealBox*>{kLead, &a}, {kSecond, &b}}) {
      ASSERT_TRUE(by_text.count(name)) << EncodeUtf8(name);
      const Drawn& d = by_text[name];
      EXPECT_NEAR((d.left + d.right) / 2, seal->x + seal->w / 2, 2.0) << EncodeUtf8(name);
      EXPECT_GT(d.y, seal->y);
      EXPECT_LT(d.y, seal->y + seal->h);
    }
    // The dates under the names, inside the last seal (one date) or each under its own seal.
    if (same_day) {
      ASSERT_TRUE(by_text.count(U"2023年1月9日"));
      const Drawn& date = by_text[U"2023年1月9日"];
      EXPECT_NEAR(g.type_right() - date.right, 4 * g.char_pitch(), 2.0);  // right-indented 4 字
      EXPECT_NEAR((date.left + date.right) / 2, b.x + b.w / 2, 2.0);  // the last seal presses the date
      EXPECT_LT(date.y, by_text[kSecond].y);
    } else {
      // Each date under its own name, on one baseline.
      ASSERT_TRUE(by_text.count(U"2023年1月9日") && by_text.count(U"2023年1月12日"));
      const Drawn &first = by_text[U"2023年1月9日"], &second = by_text[U"2023年1月12日"];
      EXPECT_DOUBLE_EQ(first.y, second.y);
      EXPECT_NEAR((first.left + first.right) / 2, a.x + a.w / 2, 2.0);
      EXPECT_NEAR((second.left + second.right) / 2, b.x + b.w / 2, 2.0);
    }
  }
}

TEST(layout_Joint, ASingleOrganDocumentHasItsOneSealInTheList) {
  DocumentSpec spec;
  Block sig;
  sig.kind = BlockKind::kSignature;
  sig.organ = kLead;
  sig.date = U"2023年1月9日";
  spec.blocks = {Para(U"特此通知。"), sig};
  LaidOutDocument doc = LayOutDocument(spec, SharedFonts());
  ASSERT_EQ(doc.seals.size(), 1u);
  EXPECT_EQ(doc.seals[0].page, doc.seal.page);
  EXPECT_EQ(doc.seals[0].x, doc.seal.x);
  EXPECT_EQ(doc.seals[0].y, doc.seal.y);
  spec.blocks = {Para(U"没有署名。")};
  EXPECT_TRUE(LayOutDocument(spec, SharedFonts()).seals.empty());
}

// A table of `n` rows over committees of uneven size, grouped.
Block GroupedTable(int n) {
  Block t;
  t.kind = BlockKind::kTable;
  t.table_font_size = 12;
  t.columns = {{U"序号", 0.08, Align::kCenter}, {U"姓名", 0.14, Align::kCenter}, {U"工作单位", 0.78, Align::kLeft}};
  const std::u32string cities[] = {U"杭州市中评委", U"宁波市中评委", U"温州市中评委", U"嘉兴市中评委"};
  for (int i = 0; i < n; ++i) {
    const int group = n < 4 ? 0 : (i < n / 2 ? 0 : i < n * 3 / 4 ? 1 : i < n - 3 ? 2 : 3);
    if (t.groups.empty() || t.groups.back().heading != cities[group]) t.groups.push_back({cities[group], size_t(i)});
    t.rows.push_back({Ascii(std::to_string(i + 1)), U"张三", U"杭州市上城区文化和广电旅游体育局"});
  }
  return t;
}

TEST(layout_Joint, GroupedTableRepeatsItsHeaderAndNeverLeavesAHeadingAtThePageFoot) {
  PageGeometry g;
  for (int n : {1, 60, 2000}) {
    SCOPED_TRACE(n);
    DocumentSpec spec;
    spec.blocks = {Para(U"正文。"), GroupedTable(n)};
    LaidOutDocument doc = LayOutDocument(spec, SharedFonts(), g);
    int headings = 0, continued = 0;
    for (size_t p = 0; p < doc.pages.size(); ++p) {
      std::vector<Drawn> lines = TextOf(doc.pages[p]);
      for (const Drawn& d : lines) {
        if (d.text.find(U'—') != std::u32string::npos) continue;  // the page number, below the type area
        EXPECT_GE(d.left, g.type_left() - 0.5);
        EXPECT_LE(d.right, g.type_right() + 0.5);
        EXPECT_GE(d.y, g.type_bottom() - 1);
      }
      bool has_rows = false;
      for (size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].text.find(U"中评委") == std::u32string::npos) {
          has_rows = has_rows || lines[i].text.find(U"张三") != std::u32string::npos;
          continue;
        }
        ++headings;
        if (lines[i].text.find(U"（续）") != std::u32string::npos) ++continued;
        // A heading is followed on its page by a row of its group.
        bool row_below = false;
        for (size_t j = i + 1; j < lines.size(); ++j) row_below = row_below || lines[j].text.find(U"张三") != std::u32string::npos;
        EXPECT_TRUE(row_below) << "heading alone at the foot of page " << p + 1;
      }
      if (!has_rows) continue;
      // Every page with rows starts its table with the column headers.
      bool header = false;
      for (const Drawn& d : lines) header = header || d.text.find(U"工作单位") != std::u32string::npos;
      EXPECT_TRUE(header) << "page " << p + 1;
    }
    const int groups = static_cast<int>(GroupedTable(n).groups.size());
    EXPECT_EQ(headings - continued, groups);
    if (n == 2000) {
      EXPECT_GT(doc.pages.size(), 40u);
      EXPECT_GE(continued, 30);  // a group over many pages says so on each
    }
  }
}

}  // namespace
}  // namespace zhiping
