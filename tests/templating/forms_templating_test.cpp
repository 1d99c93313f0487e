// templating: the form grid (@form / @row / @rows / cells / @photo) — errors name file:line, column and row spans
// are resolved when the file is read, @rows repeats a row per element, data never adds a line or a cell, and the
// repository's report and review-form templates bind their samples.
#include <gtest/gtest.h>

#include "../pdf/core_test_util.h"
#include "common/error.h"
#include "common/json.h"
#include "support/samples.h"
#include "common/utf8.h"
#include "templating/template.h"

namespace zhiping {
namespace {

using namespace coretest;
using layout::Align;
using layout::BlockKind;
using templating::PdfTemplate;

std::string U8(const std::u32string& s) { return EncodeUtf8(s); }

std::string FormError(const std::string& form_lines) {
  const std::string text = "@template pdf\n@para\n正文\n" + form_lines;
  try {
    PdfTemplate::Parse(text, "form.tmpl");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kTemplate);
    return e.what();
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return "";
}

TEST(templating_Form, ErrorsNameFileAndLine) {
  // Line numbers: the form starts on line 4.
  struct Case {
    const char* lines;
    const char* where;
    const char* says;
  };
  const Case cases[] = {
      {"@form columns=\"50% 50%\"\n@row\n| a |\n@end\n", "form.tmpl:6:", "1 of the form's 2 columns"},
      {"@form columns=\"50% 50%\"\n@row\n| a | b | c |\n@end\n", "form.tmpl:6:", "columns"},
      {"@form\n@row\n| a |\n@end\n", "form.tmpl:4:", "columns="},
      {"@form columns=\"60% 50%\"\n@row\n| a | b |\n@end\n", "form.tmpl:4:", "100%"},
      {"@form columns=\"50 50\"\n@row\n| a | b |\n@end\n", "form.tmpl:4:", "percentage"},
      {"@form columns=\"50% 50%\"\n@row\n| a | b |\n", "form.tmpl:4:", "never closed"},
      {"@row height=10\n| a |\n", "form.tmpl:4:", "inside @form"},
      {"@rows applicants\n| a |\n", "form.tmpl:4:", "inside @form"},
      {"@form columns=\"50% 50%\"\n@row tall\n| a | b |\n@end\n", "form.tmpl:5:", "tall"},
      {"@form columns=\"50% 50%\"\n@row height=-3\n| a | b |\n@end\n", "form.tmpl:5:", "millimetres"},
      {"@form columns=\"50% 50%\"\n| a | b |\n@end\n", "form.tmpl:5:", "follow @row"},
      {"@form columns=\"50% 50%\"\n@row\n| a colspan=0 | b |\n@end\n", "form.tmpl:6:", "colspan"},
      {"@form columns=\"50% 50%\"\n@row\n| a | b rowspan=2 |\n@end\n", "form.tmpl:6:", "runs past the last row"},
      {"@form columns=\"50% 50%\"\n@row\n| a | b rowspan=2 |\n@rows list\n| c |\n@end\n", "form.tmpl:7:", "@rows"},
      {"@form columns=\"50% 50%\"\n@rows list\n| a | b rowspan=2 |\n@row\n| c |\n@end\n", "form.tmpl:6:", "rowspan"},
      {"@form columns=\"50% 50%\"\n@row\n| a | @photo |\n@end\n", "form.tmpl:6:", "@photo FIELD"},
      {"@form columns=\"50% 50%\"\n@row\n| a | @picture x |\n@end\n", "form.tmpl:6:", "@picture"},
      {"@form columns=\"50% 50%\"\n@row\n| {{#a}}x | b |\n@end\n", "form.tmpl:6:", "Mustache"},
      {"@form columns=\"50% 50%\"\n@row\n| a | b |\n@form columns=\"100%\"\n@end\n", "form.tmpl:7:", "nested"},
      {"@form columns=\"50% 50%\"\n@row\n| a | b |\n@para\n@end\n", "form.tmpl:7:", "@para"},
      {"@form columns=\"50% 50%\"\n@row\n@row\n| a | b |\n@end\n", "form.tmpl:5:", "line of cells"},
      {"@form columns=\"50% 50%\" font-size=80\n@row\n| a | b |\n@end\n", "form.tmpl:4:", "font-size"},
      {"@form columns=\"50% 50%\" rules=some\n@row\n| a | b |\n@end\n", "form.tmpl:4:", "rules="},
      {"@form columns=\"50% 50%\" border=no\n@row\n| a | b |\n@end\n", "form.tmpl:4:", "border"},
      {"@form columns=\"50% 50%\"\n@row\n| a | b\n@end\n", "form.tmpl:6:", "ends with '|'"},
      {"@form columns=\"50% 50%\"\n@row repeat\n| a rowspan=2 | b |\n@row\n| c |\n@end\n", "form.tmpl:6:", "repeat"},
  };
  for (const Case& c : cases) {
    std::string what = FormError(c.lines);
    EXPECT_TRUE(Contains(what, c.where)) << c.lines << "\n=> " << what;
    EXPECT_TRUE(Contains(what, c.says)) << c.lines << "\n=> " << what;
  }
}

const char* kGrid =
    "@template pdf\n"
    "@form columns=\"20% 30% 20% 30%\" heading=\"{{h}}\" font-size=10.5\n"
    "@row height=10\n"
    "| 姓名 label | {{name}} | 性别 label | @photo photo rowspan=2 |\n"
    "@row grow\n"
    "| 经历 label | {{text}} colspan=2 top |\n"
    "@row repeat\n"
    "| 起 label | 止 label | 单位 colspan=2 label |\n"
    "@rows list\n"
    "| {{from}} center | {{to}} right | {{unit}}\\n>{{post}}\\f>签字：\\n^{{date}} colspan=2 |\n"
    "@end\n";

TEST(templating_Form, CellsSpansAndRepeatedRows) {
  auto t = PdfTemplate::Parse(kGrid, "grid.tmpl");
  auto spec = t->BindJson(ParseJson(R"({"h": "一、经历", "name": "张三", "text": "很长\n@row", "list": [
      {"from": "2001", "to": "2002", "unit": "甲单位", "post": "科员", "date": "2002年"},
      {"from": "2003", "to": "2004", "unit": "乙单位\\n>注入", "date": ""}]})"));
  ASSERT_EQ(spec.blocks.size(), 1u);
  const auto& b = spec.blocks[0];
  ASSERT_EQ(b.kind, BlockKind::kForm);
  EXPECT_EQ(U8(b.text), "一、经历");
  EXPECT_DOUBLE_EQ(b.form_font_size, 10.5);
  ASSERT_EQ(b.form_columns.size(), 4u);
  EXPECT_DOUBLE_EQ(b.form_columns[1], 0.3);
  ASSERT_EQ(b.form_rows.size(), 5u) << "2 rows + header + one per list element";
  // Row 1: the photo cell spans two rows in column 3; row 2's cells skip it.
  const auto& r0 = b.form_rows[0];
  ASSERT_EQ(r0.cells.size(), 4u);
  EXPECT_DOUBLE_EQ(r0.min_height_mm, 10);
  EXPECT_TRUE(r0.cells[0].label);
  EXPECT_EQ(r0.cells[0].paras[0].align, Align::kCenter) << "labels are centred";
  EXPECT_EQ(U8(r0.cells[1].paras[0].text), "张三");
  EXPECT_TRUE(r0.cells[3].photo);
  EXPECT_EQ(r0.cells[3].col, 3);
  EXPECT_EQ(r0.cells[3].rowspan, 2);
  EXPECT_TRUE(r0.cells[3].image_bytes.empty()) << "no photo in the data";
  const auto& r1 = b.form_rows[1];
  ASSERT_EQ(r1.cells.size(), 2u);
  EXPECT_EQ(r1.cells[1].col, 1);
  EXPECT_EQ(r1.cells[1].colspan, 2);
  EXPECT_TRUE(r1.cells[1].top);
  ASSERT_EQ(r1.cells[1].paras.size(), 1u) << "a value never adds a template line (no > ^ \\f marks read from it)";
  // Its line break stays in the text: the layout starts a new line of the cell there (issue 11).
  EXPECT_EQ(U8(r1.cells[1].paras[0].text), "很长\n@row");
  EXPECT_TRUE(b.form_rows[2].repeat);
  // @rows: one row per element; \n, \f, > and ^ come from the template only.
  const auto& r3 = b.form_rows[3];
  ASSERT_EQ(r3.cells.size(), 3u);
  EXPECT_EQ(r3.cells[0].paras[0].align, Align::kCenter);
  EXPECT_EQ(r3.cells[1].paras[0].align, Align::kRight);
  ASSERT_EQ(r3.cells[2].paras.size(), 4u);
  EXPECT_EQ(U8(r3.cells[2].paras[0].text), "甲单位");
  EXPECT_EQ(U8(r3.cells[2].paras[1].text), "科员");
  EXPECT_EQ(r3.cells[2].paras[1].align, Align::kRight);
  EXPECT_FALSE(r3.cells[2].paras[1].foot);
  EXPECT_EQ(U8(r3.cells[2].paras[2].text), "签字：");
  EXPECT_TRUE(r3.cells[2].paras[2].foot);
  EXPECT_EQ(r3.cells[2].paras[3].align, Align::kCenter);
  EXPECT_EQ(U8(r3.cells[2].paras[3].text), "2002年");
  const auto& r4 = b.form_rows[4];
  ASSERT_EQ(r4.cells[2].paras.size(), 4u);
  EXPECT_EQ(U8(r4.cells[2].paras[0].text), "乙单位\\n>注入") << "a value's backslash-n is text";
}

TEST(templating_Form, PhotoBytesAndFields) {
  auto t = PdfTemplate::Parse(kGrid, "grid.tmpl");
  // "iVBORw0KGgo=" is the PNG signature in base64.
  auto spec = t->BindJson(ParseJson(R"({"photo": {"media_type": "image/png", "data": "iVBORw0KGgo="}, "list": []})"));
  ASSERT_EQ(spec.blocks[0].form_rows.size(), 3u) << "an empty list gives no rows";
  EXPECT_EQ(spec.blocks[0].form_rows[0].cells[3].image_bytes, std::string("\x89PNG\r\n\x1a\n", 8));
  auto fields = t->Fields();
  for (const char* f : {"h", "name", "text", "photo", "list[]", "list[].unit", "list[].post", "list[].date"})
    EXPECT_NE(std::find(fields.begin(), fields.end(), f), fields.end()) << f;
}

TEST(templating_Form, RepositoryTemplatesBindTheirSamples) {
  auto form = PdfTemplate::Load(SourceDir() + "/templates/review-form.tmpl");
  auto spec = form->BindJson(testing::SampleJson("review-form"));
  int forms = 0;
  bool photo = false;
  std::string all;
  for (const auto& b : spec.blocks) {
    if (b.kind != BlockKind::kForm) continue;
    ++forms;
    all += U8(b.text) + "|";
    for (const auto& r : b.form_rows)
      for (const auto& c : r.cells) {
        photo |= c.photo && !c.image_bytes.empty();
        for (const auto& p : c.paras) all += U8(p.text) + "|";
      }
  }
  EXPECT_GE(forms, 8);
  EXPECT_TRUE(photo) << "the sample's photo reaches the photo cell";
  EXPECT_TRUE(Contains(all, "杭州师范大学政治经济学院"));
  EXPECT_TRUE(Contains(all, "2020年1月—至今")) << all;
  EXPECT_TRUE(Contains(all, "表决结果：赞成11票，反对0票，弃权1票。"));

  auto report = PdfTemplate::Load(SourceDir() + "/templates/report.tmpl");
  auto rs = report->BindJson(testing::SampleJson("report"));
  ASSERT_FALSE(rs.blocks.empty());
  EXPECT_EQ(rs.blocks[0].kind, BlockKind::kRedHeader);
  EXPECT_EQ(U8(rs.blocks[0].signer), "陈建华") << "签发人";
  EXPECT_EQ(U8(rs.blocks[0].doc_number), "杭政职评〔2022〕5号");
}

}  // namespace
}  // namespace zhiping
