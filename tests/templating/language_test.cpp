// templating: the one template language under PDF and roster templates — the Mustache text compiler
// (mustache_text.h), the lookup rule (scope.h), the JSON edge (json_data.h) and the field lists (template_fields.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/json.h"
#include "templating/number_text.h"
#include "templating/view.h"
#include "templating/mustache_text.h"
#include "templating/scope.h"
#include "templating/template_fields.h"

namespace zhiping::templating {
namespace {

Data FromJson(const std::string& json) {
  return BuildView(ParseJson(json), AllowList{});
}

std::string Render(const std::string& text, Scope& scope) {
  MustacheText t(text);
  EXPECT_TRUE(t.valid()) << t.error();
  return t.Render(scope);
}

TEST(templating_MustacheText, ListsNamesWithKindAndSections) {
  MustacheText t("{{a.b}} {{#s}}{{x}}{{^y}}-{{/y}}{{/s}}{{! note}}{{{raw}}}{{&amp}}{{.}}");
  ASSERT_TRUE(t.valid()) << t.error();
  ASSERT_EQ(t.names().size(), 6u);
  EXPECT_EQ(t.names()[0].name, "a.b");
  EXPECT_EQ(t.names()[0].kind, NameKind::kValue);
  EXPECT_TRUE(t.names()[0].sections.empty());
  EXPECT_EQ(t.names()[1].name, "s");
  EXPECT_EQ(t.names()[1].kind, NameKind::kSection);
  EXPECT_EQ(t.names()[2].name, "x");
  EXPECT_EQ(t.names()[2].sections, std::vector<std::string>{"s"});
  EXPECT_EQ(t.names()[3].name, "y");
  EXPECT_EQ(t.names()[3].kind, NameKind::kInverted);
  EXPECT_EQ(t.names()[4].name, "raw");
  EXPECT_EQ(t.names()[5].name, "amp");
  EXPECT_TRUE(t.single_path().empty());
  EXPECT_EQ(MustacheText("{{ a.b }}").single_path(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(MustacheText("{{{a}}}").single_path(), std::vector<std::string>{"a"});
  EXPECT_TRUE(MustacheText("x{{a}}").single_path().empty());
  EXPECT_TRUE(MustacheText("{{#a}}{{/a}}").single_path().empty());
}

TEST(templating_MustacheText, BrokenTextsSayWhy) {
  MustacheText t("{{#open}}never closed");
  EXPECT_FALSE(t.valid());
  EXPECT_NE(t.error().find("open"), std::string::npos) << t.error();
  EXPECT_TRUE(MustacheText("").valid());
}

TEST(templating_MustacheText, RendersWithoutEscaping) {
  Data body = FromJson(R"({"v": "<a&b>"})");
  Scope scope(&body);
  EXPECT_EQ(Render("{{v}}|{{{v}}}", scope), "<a&b>|<a&b>");
}

TEST(templating_Scope, SectionsThenJoinsThenRowThenBody) {
  Data body = FromJson(R"({"name": "body", "batch": {"year": "2022"}, "shared": "body"})");
  Data row = FromJson(R"({"name": "row", "result": {"score": "1"}, "shared": "row"})");
  Data partner = FromJson(R"({"score": "86", "name": "partner"})");
  Scope scope(&body);
  EXPECT_EQ(Render("{{name}} {{batch.year}}", scope), "body 2022");
  scope.SetRow(&row);
  scope.AddJoin("result", &partner);
  EXPECT_EQ(Render("{{name}} {{result.score}} {{batch.year}} {{shared}}", scope), "row 86 2022 row");
  EXPECT_EQ(Render("{{#result}}{{name}}{{/result}}", scope), "partner") << "the open section comes first";
  scope.ClearJoins();
  scope.AddJoin("result", nullptr);
  EXPECT_EQ(Render("[{{result.score}}]{{^result}}none{{/result}}", scope), "[]none")
      << "a row without a partner sees the join name as missing, not its own field";
}

TEST(templating_Scope, TheFirstSegmentPicksTheFrame) {
  Data body = FromJson(R"({"a": {"b": "body"}, "list": ["x", "y"]})");
  Data row = FromJson(R"({"a": {"c": "row"}})");
  Scope scope(&body);
  scope.SetRow(&row);
  EXPECT_EQ(Render("[{{a.b}}][{{a.c}}]", scope), "[][row]") << "the row's a hides the body's a";
  EXPECT_EQ(Render("{{list.1}}{{#list}}{{.}}{{/list}}", scope), "yxy");
  EXPECT_EQ(scope.get("."), nullptr) << "no open section";
  EXPECT_EQ(TextOf(scope.Lookup({"list", "0"})), "x");
}

TEST(templating_RowView, OnlySelectedMembersAndTheirDerivedFieldsAreMade) {
  model::Applicant a;
  a.id = "A1";
  a.name = "张三";
  a.unit = "某局";
  a.birth = model::Date{1980, 1, 0};
  a.education = model::Education{};
  a.education->level = "大学本科";
  a.education->school = "浙江大学";
  a.history.resize(2);
  a.history[0].unit = "甲";
  Selection only;
  for (const char* path : {"name", "birth_cn", "education.level", "history_count", "zz"}) only.Add(path);
  Data row = RowView(a, only);
  EXPECT_EQ(TextOf(row.get("name")), "张三");
  EXPECT_EQ(row.get("id"), nullptr);
  EXPECT_EQ(row.get("unit"), nullptr);
  EXPECT_EQ(TextOf(row.get("birth_cn")), "1980年1月") << "a derived field brings its member";
  EXPECT_EQ(TextOf(row.get("education")->get("level")), "大学本科");
  EXPECT_EQ(row.get("education")->get("school"), nullptr) << "education.level alone";
  EXPECT_EQ(TextOf(row.get("history_count")), "2");
  EXPECT_EQ(row.get("history"), nullptr) << "the count alone needs no elements";
  Selection whole;
  whole.Add("education");
  EXPECT_EQ(TextOf(RowView(a, whole).get("education")->get("school")), "浙江大学") << "a selected member is whole";

  model::Result r;
  r.applicant_id = "A1";
  r.exam = model::ResultExam{};
  r.exam->score = 85.5;
  Selection score;
  score.Add("exam.score");
  EXPECT_EQ(TextOf(RowView(r, score).get("exam")->get("score")), "85.5");
  EXPECT_EQ(NumberText(86), "86");
  EXPECT_EQ(NumberText(85.5), "85.5");
  EXPECT_EQ(NumberText(0.1), "0.1");
  EXPECT_EQ(NumberText(-2), "-2");
  EXPECT_EQ(NumberText(12345678901234567.0), "12345678901234568");
}

// NumberText is printf's rule (number_text.h), written without printf: the same text for scores, whole numbers
// around 10^15, tiny and huge values, negative zero, and 200,000 doubles of every exponent.
TEST(templating_NumberText, IsPrintfsShortestRoundTrip) {
  auto printf_text = [](double value) {
    char buf[32];
    if (value == std::floor(value) && std::fabs(value) < 1e15) {
      std::snprintf(buf, sizeof buf, "%.0f", value);
      return std::string(buf);
    }
    for (int precision = 1; precision <= 17; ++precision) {
      std::snprintf(buf, sizeof buf, "%.*g", precision, value);
      if (std::strtod(buf, nullptr) == value) break;
    }
    return std::string(buf);
  };
  std::vector<double> values = {0.0, -0.0, 85.5, 0.1, 1e-5, 1e-4, 999999999999999.0, 1e15, -1e15, 1e16, 1e21,
                                0.30000000000000004, 5e-324, 1.7976931348623157e308, -2.5, 123456.789};
  for (int i = 0; i < 20000; ++i) values.push_back(60 + (i % 400) / 10.0 + (i % 7) / 100.0);
  uint64_t bits = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 200000; ++i) {
    bits ^= bits << 13, bits ^= bits >> 7, bits ^= bits << 17;  // xorshift: every exponent and sign
    double d;
    std::memcpy(&d, &bits, sizeof d);
    if (std::isfinite(d)) values.push_back(d);
  }
  for (double d : values) ASSERT_EQ(NumberText(d), printf_text(d)) << std::hexfloat << d;
}

TEST(templating_FieldCollector, NamesResolveByTheLookupRule) {
  FieldCollector fields({"batch", "applicants"});
  FieldFrame element{"applicants[].", {{"result", "results[]"}}};
  fields.AddText(MustacheText("{{name}} {{batch.title}} {{result.score}}"), element);
  fields.AddText(MustacheText("{{#votes}}{{for}}{{/votes}}{{#to}}{{to_cn}}{{/to}}{{#batch}}{{batch.year}}{{/batch}}"),
                 FieldFrame{});
  fields.AddText(MustacheText("{{#result.mid_review}}{{^passed}}x{{/passed}}{{/result.mid_review}}"), element);
  std::vector<std::string> paths;
  for (const FieldUse& u : fields.Uses()) paths.push_back(u.path + (u.value ? " v" : "") + (u.condition ? " c" : ""));
  EXPECT_EQ(paths, (std::vector<std::string>{"applicants[].name v", "batch c", "batch.title v", "batch.year v",
                                             "results[].mid_review c", "results[].mid_review.passed c",
                                             "results[].score v", "to c", "to_cn v", "votes c", "votes.for v"}));
}

}  // namespace
}  // namespace zhiping::templating
