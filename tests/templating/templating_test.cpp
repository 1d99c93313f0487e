// templating: parse errors with file:line, data never changes structure, @allow, derived fields, @if/@else/@each,
// Fields().
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "../pdf/core_test_util.h"
#include "common/error.h"
#include "common/json.h"
#include "support/samples.h"
#include "common/utf8.h"
#include "model/dates.h"
#include "templating/template.h"
#include "templating/view.h"

namespace zhiping {
namespace {

using namespace coretest;
using layout::BlockKind;
using templating::PdfTemplate;

Poco::Dynamic::Var Json(const std::string& s) { return ParseJson(s); }

std::string U8(const std::u32string& s) { return EncodeUtf8(s); }

Error ParseError(const std::string& text, const std::string& path = "x.tmpl") {
  try {
    PdfTemplate::Parse(text, path);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return Error(ErrorKind::kInternal, "none");
}

TEST(templating_Parse, UnknownDirectiveNamesFileAndLine) {
  Error e = ParseError("@template pdf\n@para\n@bogus thing\n");
  EXPECT_EQ(e.kind(), ErrorKind::kTemplate);
  EXPECT_TRUE(Contains(e.what(), "x.tmpl:3:")) << e.what();
  EXPECT_TRUE(Contains(e.what(), "bogus")) << e.what();
}

TEST(templating_Parse, MustacheErrorNamesTheLine) {
  Error e = ParseError("@template pdf\n# a comment\n@title 标题\n@para\n第一段{{#list}}没有结束\n");
  EXPECT_EQ(e.kind(), ErrorKind::kTemplate);
  EXPECT_TRUE(Contains(e.what(), "x.tmpl:5:")) << e.what();
  Error e2 = ParseError("@template pdf\n@title {{#a}}x\n");
  EXPECT_TRUE(Contains(e2.what(), "x.tmpl:2:")) << e2.what();
}

TEST(templating_Parse, StructuralErrorsNameTheLine) {
  EXPECT_TRUE(Contains(ParseError("@template pdf\n@if a\n@para\nx\n").what(), "x.tmpl:2:"));  // never closed
  EXPECT_TRUE(Contains(ParseError("@template pdf\n@para\nx\n@end\n").what(), "x.tmpl:4:"));   // @end alone
  EXPECT_TRUE(Contains(ParseError("@template pdf\n@each a\n@else\n@end\n").what(), "x.tmpl:3:"));
  EXPECT_TRUE(Contains(ParseError("@para\nx\n").what(), "x.tmpl:1:"));  // no @template line
  EXPECT_TRUE(Contains(ParseError("@template pdf\n\ntext outside\n").what(), "x.tmpl:3:"));
}

TEST(templating_Bind, DataCannotChangeStructure) {
  auto t = PdfTemplate::Parse("@template pdf\n@title 标题\n@para\n{{t}}\n@para\n末段\n", "inj.tmpl");
  auto benign = t->BindJson(Json(R"({"t": "正文"})"));
  auto hostile = t->BindJson(Json(R"({"t": "正文\n@title 注入\n\n@para\n{{other}}<b>&"})"));
  ASSERT_EQ(benign.blocks.size(), 3u);
  ASSERT_EQ(hostile.blocks.size(), benign.blocks.size());
  EXPECT_EQ(hostile.blocks[0].kind, BlockKind::kTitle);
  EXPECT_EQ(hostile.blocks[1].kind, BlockKind::kParagraph);
  const std::string text = U8(hostile.blocks[1].text);
  EXPECT_TRUE(Contains(text, "@title 注入")) << text;
  EXPECT_TRUE(Contains(text, "{{other}}")) << "values are never re-parsed: " << text;
  EXPECT_TRUE(Contains(text, "<b>&")) << "values are not HTML-escaped: " << text;
  // A line break in the data stays in the paragraph's text (the layout starts a new paragraph there, issue 11);
  // it never makes a block.
  EXPECT_TRUE(Contains(text, "正文\n@title 注入")) << text;
  EXPECT_EQ(U8(hostile.blocks[2].text), "末段");
}

const char* kAllowTmpl =
    "@template pdf\n"
    "@allow applicants: name unit.name\n"
    "@para\n"
    "共{{applicants_count}}人，首位{{applicants_first.name}}{{applicants_first.id_number}}。\n"
    "@each applicants\n"
    "@para\n"
    "{{_index}}.{{name}}[{{id_number}}][{{phone}}][{{unit.name}}][{{unit.code}}]\n"
    "@end\n";

const char* kApplicants = R"({"applicants": [
  {"name": "孟雅琴", "id_number": "330602198601178700", "phone": "13586732028", "unit": {"name": "绍兴黄酒集团", "code": "X1"}},
  {"name": "吉𠮷", "id_number": "33060219790513565X", "phone": "13990330100", "unit": {"name": "浙江大学", "code": "X2"}}]})";

TEST(templating_Bind, AllowListFiltersListElements) {
  auto t = PdfTemplate::Parse(kAllowTmpl, "allow.tmpl");
  auto spec = t->BindJson(Json(kApplicants));
  ASSERT_EQ(spec.blocks.size(), 3u);
  EXPECT_EQ(U8(spec.blocks[0].text), "共2人，首位孟雅琴。");
  EXPECT_EQ(U8(spec.blocks[1].text), "1.孟雅琴[][][绍兴黄酒集团][]");
  EXPECT_EQ(U8(spec.blocks[2].text), "2.吉𠮷[][][浙江大学][]");

  // The same template without @allow shows the fields: the test above is not passing by accident.
  std::string open = kAllowTmpl;
  open.replace(open.find("@allow"), open.find('\n', open.find("@allow")) - open.find("@allow") + 1, "");
  auto spec2 = PdfTemplate::Parse(open, "open.tmpl")->BindJson(Json(kApplicants));
  ASSERT_EQ(spec2.blocks.size(), 3u);
  EXPECT_EQ(U8(spec2.blocks[1].text), "1.孟雅琴[330602198601178700][13586732028][绍兴黄酒集团][X1]");
}

TEST(templating_Bind, NoticeTemplateNeverBindsPrivateFields) {
  auto t = PdfTemplate::Load(SourceDir() + "/templates/notice.tmpl");
  auto body = testing::SampleJson("notice");
  auto spec = t->BindJson(body);
  std::string all;
  for (const auto& b : spec.blocks) {
    for (const std::u32string* f : {&b.text, &b.organ, &b.doc_number, &b.signer, &b.date, &b.label, &b.title, &b.cc,
                                    &b.printer})
      all += U8(*f) + "|";
    for (const auto& i : b.items) all += U8(i) + "|";
    for (const auto& row : b.rows)
      for (const auto& c : row) all += U8(c) + "|";
  }
  auto apps = body.extract<Poco::JSON::Object::Ptr>()->getArray("applicants");
  size_t rows = 0;
  for (const auto& b : spec.blocks)
    if (b.kind == BlockKind::kTable) rows += b.rows.size();
  EXPECT_EQ(rows, apps->size());
  for (unsigned i = 0; i < apps->size(); ++i) {
    auto a = apps->getObject(i);
    EXPECT_TRUE(Contains(all, a->getValue<std::string>("name")));
    for (const char* f : {"id_number", "phone"}) EXPECT_FALSE(Contains(all, a->getValue<std::string>(f))) << f;
    EXPECT_FALSE(Contains(all, model::ChineseDateOf(a->getValue<std::string>("birth"))));
  }
}

TEST(templating_View, DerivedFields) {
  EXPECT_EQ(model::ChineseDateOf("2022-07-27"), "2022年7月27日");
  EXPECT_EQ(model::ChineseDateOf("1980-01"), "1980年1月");
  EXPECT_EQ(model::ChineseDateOf("2022-12-01"), "2022年12月1日");
  EXPECT_EQ(model::ChineseDateOf("2022-13-01"), "");
  EXPECT_EQ(model::ChineseDateOf("2022/07/27"), "");
  EXPECT_EQ(model::ChineseDateOf("20220727"), "");
  EXPECT_EQ(model::ChineseDateOf("abc"), "");

  auto t = PdfTemplate::Parse(
      "@template pdf\n@para\n{{issued_cn}}|{{p.birth_cn}}|{{items_count}}|{{items_first.v}}|{{empty_count}}|{{n}}\n"
      "@each items\n@para\n{{_index}}/{{items_count}}:{{v}}\n@end\n",
      "derived.tmpl");
  auto spec = t->BindJson(Json(R"({"issued": "2022-07-27", "p": {"birth": "1980-01"}, "items": [{"v": "甲"}, {"v": "乙"},
      {"v": "丙"}], "empty": [], "n": 60})"));
  ASSERT_EQ(spec.blocks.size(), 4u);
  EXPECT_EQ(U8(spec.blocks[0].text), "2022年7月27日|1980年1月|3|甲|0|60");
  EXPECT_EQ(U8(spec.blocks[1].text), "1/3:甲");
  EXPECT_EQ(U8(spec.blocks[3].text), "3/3:丙");
}

TEST(templating_Bind, IfElseAndEach) {
  auto t = PdfTemplate::Parse(
      "@template pdf\n@if flag\n@para\n是\n@else\n@para\n否\n@end\n"
      "@each list\n@if show\n@para\n{{v}}\n@end\n@end\n@para\n完\n",
      "flow.tmpl");
  auto texts = [&](const std::string& json) {
    std::vector<std::string> out;
    for (const auto& b : t->BindJson(Json(json)).blocks) out.push_back(U8(b.text));
    return out;
  };
  EXPECT_EQ(texts(R"({"flag": true, "list": []})"), (std::vector<std::string>{"是", "完"}));
  EXPECT_EQ(texts(R"({"flag": false})"), (std::vector<std::string>{"否", "完"}));
  EXPECT_EQ(texts(R"({})"), (std::vector<std::string>{"否", "完"}));
  EXPECT_EQ(texts(R"({"flag": "", "list": [{"v": "a", "show": true}, {"v": "b"}, {"v": "c", "show": 1}]})"),
            (std::vector<std::string>{"否", "a", "c", "完"}));
  EXPECT_EQ(texts(R"({"flag": [1], "list": [{"v": "x", "show": true}]})"), (std::vector<std::string>{"是", "x", "完"}));
}

TEST(templating_Fields, NoticeTemplateListsItsFields) {
  auto t = PdfTemplate::Load(SourceDir() + "/templates/notice.tmpl");
  std::vector<std::string> f = t->Fields();
  auto has = [&](const std::string& s) { return std::find(f.begin(), f.end(), s) != f.end(); };
  EXPECT_TRUE(has("applicants[].name"));
  EXPECT_TRUE(has("applicants[].unit"));
  EXPECT_TRUE(has("batch.year"));
  EXPECT_TRUE(has("batch.office.name"));
  EXPECT_TRUE(has("notice.issued_cn"));
  EXPECT_FALSE(has("applicants[].id_number"));
  EXPECT_FALSE(t->description().empty());
  EXPECT_EQ(templating::TemplateOutputKind(ReadAll(SourceDir() + "/templates/notice.tmpl")), "pdf");
}

TEST(templating_Load, MissingFileIsATemplateError) {
  try {
    PdfTemplate::Load(SourceDir() + "/templates/no-such.tmpl");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kTemplate);
    EXPECT_TRUE(Contains(e.what(), "no-such.tmpl"));
  }
}

// GB/T 9704 §7.3.4 / §8: the 附件说明 names every attachment that is printed, in order, with the attachment's own
// title; one attachment is 「附件」, several are 「附件1」, 「附件2」 … on their pages. Every PDF template with its sample.
TEST(templating_Samples, AttachmentListAgreesWithTheAttachmentsPrinted) {
  int with_attachments = 0;
  for (const std::string name : {"notice", "report", "letter", "review-form", "result-notice"}) {
    auto t = PdfTemplate::Load(SourceDir() + "/templates/" + name + ".tmpl");
    auto spec = t->BindJson(testing::SampleJson(name));
    std::vector<std::string> listed, labels, titles;
    for (const auto& b : spec.blocks) {
      if (b.kind == BlockKind::kAttachmentNote)
        for (const auto& item : b.items) listed.push_back(U8(item));
      if (b.kind == BlockKind::kAttachmentPage) {
        labels.push_back(U8(b.label));
        titles.push_back(U8(b.title));
      }
    }
    EXPECT_EQ(listed, titles) << name << ": the list of attachments and the attachments printed";
    for (size_t i = 0; i < labels.size(); ++i)
      EXPECT_EQ(labels[i], labels.size() == 1 ? std::string("附件") : "附件" + std::to_string(i + 1)) << name;
    with_attachments += !titles.empty();
  }
  EXPECT_GE(with_attachments, 2) << "the notice and the report print attachments";
}

}  // namespace
}  // namespace zhiping
