// layout: form grids — rows grow with their text, a row span grows its last row, a cell taller than a page is
// split by lines with the heading + "（续）" and the repeated rows on every continuation page, no glyph leaves its
// column or crosses a rule, and the photo keeps the aspect ratio of its decoded pixels; a photo that does not
// decode is bad input, never drawn.
#include <gtest/gtest.h>

#include <cmath>

#include "../pdf/core_test_util.h"
#include "common/error.h"
#include "common/utf8.h"
#include "layout/document_layout.h"
#include "test_images.h"

namespace zhiping {
namespace {

using namespace coretest;
using namespace layout;

const std::u32string kText =
    U"的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定，"
    U"行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些。";

FormCell Cell(int col, const std::u32string& text, bool label = false, int colspan = 1) {
  FormCell c;
  c.col = col;
  c.colspan = colspan;
  c.label = label;
  c.paras.push_back({text, label ? Align::kCenter : Align::kLeft, false});
  return c;
}

Block FormBlock(const std::u32string& long_text) {
  Block b;
  b.kind = BlockKind::kForm;
  b.text = U"四、主要业绩";
  b.form_columns = {0.2, 0.3, 0.5};
  b.form_font_size = 12;
  FormRow header;
  header.repeat = true;
  header.cells = {Cell(0, U"时间", true), Cell(1, U"项目", true), Cell(2, U"内容", true)};
  b.form_rows.push_back(header);
  FormRow row;
  row.cells = {Cell(0, U"2013—2022"), Cell(1, U"长篇业绩"), Cell(2, long_text)};
  b.form_rows.push_back(row);
  FormRow sign;
  sign.min_height_mm = 40;
  FormCell box = Cell(1, U"同意推荐。", false, 2);
  box.paras.push_back({U"签字：　　（盖章）", Align::kRight, true});
  box.paras.push_back({U"年　月　日", Align::kRight, true});
  sign.cells = {Cell(0, U"单位意见", true), box};
  b.form_rows.push_back(sign);
  return b;
}

std::u32string PageText(const Page& p) {
  std::u32string s;
  for (const auto& r : p.runs)
    for (const auto& g : r.glyphs) s.push_back(g.cp);
  return s;
}

TEST(layout_Form, ACellTallerThanAPageIsSplitByLines) {
  std::u32string long_text;
  for (int i = 0; i < 30; ++i) long_text += kText;  // ~3,400 characters in a 78 mm column: several pages
  DocumentSpec spec;
  spec.blocks.push_back(FormBlock(long_text));
  PageGeometry g;
  LaidOutDocument doc = LayOutDocument(spec, SharedFonts(), g);
  ASSERT_GE(doc.pages.size(), 3u);
  const double col_l[] = {g.type_left(), g.type_left() + 0.2 * g.type_width, g.type_left() + 0.5 * g.type_width};
  const double col_r[] = {col_l[1], col_l[2], g.type_right()};
  std::u32string column3;  // glyphs set in the third column, in reading order
  for (size_t p = 0; p < doc.pages.size(); ++p) {
    const Page& page = doc.pages[p];
    std::string text = EncodeUtf8(PageText(page));
    EXPECT_TRUE(Contains(text, p == 0 ? "四、主要业绩时间项目内容" : "四、主要业绩（续）时间项目内容")) << "page " << p + 1;
    for (const auto& r : page.runs) {
      if (r.y < g.type_bottom()) continue;  // page number
      EXPECT_LE(r.y + r.size, g.type_top() + 0.01) << "page " << p + 1;
      for (const auto& gl : r.glyphs) {
        if (r.size > 13) continue;  // the heading
        int c = gl.x < col_l[1] ? 0 : gl.x < col_l[2] ? 1 : 2;
        // Inside the column with the cell padding on both sides (a line-end mark is set half width).
        EXPECT_GE(gl.x, col_l[c] + 3.9) << "page " << p + 1;
        const bool closing = std::u32string(U"，。、").find(gl.cp) != std::u32string::npos;
        EXPECT_LE(gl.x + (closing ? r.size / 2 : r.size * 0.5), col_r[c] - 3.9) << "page " << p + 1;
        if (c == 2) column3.push_back(gl.cp);
        if (::testing::Test::HasFailure()) return;
      }
    }
    // No baseline lies on a horizontal rule: text sits between two rules of its column.
    for (const auto& r : page.runs)
      for (const auto& rule : page.rules)
        if (rule.y1 == rule.y2 && r.y > g.type_bottom()) {
          EXPECT_FALSE(r.y - 0.2 * r.size < rule.y1 && rule.y1 < r.y + 0.8 * r.size &&
                       rule.x1 < r.glyphs.front().x + 1 && r.glyphs.front().x < rule.x2)
              << "a rule through a line of text on page " << p + 1;
          if (::testing::Test::HasFailure()) return;
        }
  }
  // Every character of the long cell is there once, in order, between the repeated headers 内容.
  std::u32string body;
  for (size_t i = 0; i < column3.size(); ++i) {
    if (column3.compare(i, 2, U"内容") == 0) {
      ++i;
      continue;
    }
    body.push_back(column3[i]);
  }
  EXPECT_EQ(body.compare(0, long_text.size(), long_text), 0) << "nothing cut off, nothing repeated";
  // The opinion box ends the form, with its foot lines at its bottom.
  std::string last = EncodeUtf8(PageText(doc.pages.back()));
  EXPECT_TRUE(Contains(last, "年　月　日")) << last;
}

TEST(layout_Form, ARowSpanGrowsItsLastRowAndThePhotoKeepsItsShape) {
  for (auto [w, h] : {std::pair{200, 100}, std::pair{90, 160}}) {
    Block b;
    b.kind = BlockKind::kForm;
    b.form_columns = {0.25, 0.45, 0.3};
    FormRow r1, r2;
    r1.min_height_mm = 8;
    r2.min_height_mm = 8;
    FormCell photo;
    photo.col = 2;
    photo.rowspan = 2;
    photo.photo = true;
    photo.image_bytes = w > h ? testimages::MakeJpeg({w, h}) : testimages::MakePng({w, h});
    r1.cells = {Cell(0, U"姓名", true), Cell(1, U"张三"), photo};
    r2.cells = {Cell(0, U"性别", true), Cell(1, U"男")};
    b.form_rows = {r1, r2};
    DocumentSpec spec;
    spec.blocks.push_back(b);
    LaidOutDocument doc = LayOutDocument(spec, SharedFonts());
    ASSERT_EQ(doc.pages.size(), 1u);
    ASSERT_EQ(doc.pages[0].images.size(), 1u);
    const ImageBox& img = doc.pages[0].images[0];
    ASSERT_TRUE(img.image);
    EXPECT_EQ(img.image->width, w);
    EXPECT_NEAR(img.w / img.h, double(w) / h, 1e-6);
    EXPECT_TRUE(std::fabs(img.w - Mm(25)) < 0.01 || std::fabs(img.h - Mm(35)) < 0.01) << img.w << " x " << img.h;
    EXPECT_LE(img.w, Mm(25) + 0.01);
    EXPECT_LE(img.h, Mm(35) + 0.01);
    // The grid is tall enough for the photo: the lowest horizontal rule is at least 35 mm + padding below the top.
    double top = -1e9, bottom = 1e9;
    for (const auto& r : doc.pages[0].rules)
      if (r.y1 == r.y2) top = std::max(top, r.y1), bottom = std::min(bottom, r.y1);
    EXPECT_GE(top - bottom, Mm(35) + 6 - 0.01);
    EXPECT_GE(img.y, bottom);
    EXPECT_LE(img.y + img.h, top);
  }
}

// A one-row form: a name cell and a photo cell holding `image_bytes` ("" for none).
DocumentSpec PhotoForm(const std::string& image_bytes) {
  Block b;
  b.kind = BlockKind::kForm;
  b.form_columns = {0.7, 0.3};
  FormRow r;
  FormCell photo;
  photo.col = 1;
  photo.photo = true;
  photo.image_bytes = image_bytes;
  r.cells = {Cell(0, U"姓名"), photo};
  b.form_rows = {r};
  DocumentSpec spec;
  spec.page_numbers = false;
  spec.blocks.push_back(b);
  return spec;
}

TEST(layout_Form, NoPhotoGivesAnEmptyBoxSayingPhoto) {
  LaidOutDocument doc = LayOutDocument(PhotoForm(""), SharedFonts());
  EXPECT_TRUE(doc.pages[0].images.empty());
  EXPECT_TRUE(Contains(EncodeUtf8(PageText(doc.pages[0])), "照片"));
}

TEST(layout_Form, APhotoThatDoesNotDecodeIsBadInput) {
  const DocumentSpec spec = PhotoForm(testimages::CorruptPngs()[0].second);
  try {
    LayOutDocument(spec, SharedFonts());
    FAIL() << "laid out a corrupt photo";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("CRC error"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace zhiping
