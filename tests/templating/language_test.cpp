// templating: the one template language under PDF and roster templates — the Mustache text compiler
// (mustache_text.h), the lookup rule (scope.h), the JSON edge (json_data.h) and the field lists (template_fields.h).
#include <gtest/gtest.h>

#include <algorithm>

#include "common/json.h"
#include "templating/json_data.h"
#include "templating/mustache_text.h"
#include "templating/scope.h"
#include "templating/template_fields.h"

namespace zhiping::templating {
namespace {

Data FromJson(const std::string& json, const JsonSelection* only = nullptr) {
  return DataFromJson(ParseJson(json), only);
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

TEST(templating_JsonData, NumbersBecomeExactTextAndOnlyNamedMembersAreConverted) {
  Data d = FromJson(R"({"i": 12345678901234567, "f": 85.5, "t": true, "n": null, "l": [1, null, "s"], "o": {"x": 0.1}})");
  EXPECT_EQ(TextOf(d.get("i")), "12345678901234567");
  EXPECT_EQ(TextOf(d.get("f")), "85.5");
  EXPECT_TRUE(d.get("t")->is_true());
  EXPECT_EQ(d.get("n"), nullptr) << "null is missing";
  ASSERT_EQ(d.get("l")->list_value().size(), 3u);
  EXPECT_EQ(TextOf(&d.get("l")->list_value()[1]), "");
  EXPECT_EQ(TextOf(d.get("o")->get("x")), "0.1");
  JsonSelection only;
  for (const char* path : {"f", "o", "zz", "p.x", "p", "q.y", "l.0.a"}) only.Add(path);
  Data some = FromJson(R"({"i": 1, "f": 2, "o": {"x": 3}, "t": false, "p": {"x": 4, "y": 5}, "q": {"x": 6, "y": 7},
                           "l": [{"a": 8, "b": 9}]})", &only);
  EXPECT_EQ(some.get("i"), nullptr);
  EXPECT_EQ(some.get("t"), nullptr);
  EXPECT_EQ(TextOf(some.get("f")), "2");
  EXPECT_EQ(TextOf(some.get("o")->get("x")), "3") << "a selected value is converted whole";
  EXPECT_EQ(TextOf(some.get("p")->get("y")), "5") << "p.x, then p: p whole";
  EXPECT_EQ(TextOf(some.get("q")->get("y")), "7");
  EXPECT_EQ(some.get("q")->get("x"), nullptr) << "q.y alone";
  EXPECT_EQ(TextOf(some.get("l")->list_value()[0].get("b")), "9") << "a list is converted whole";
  EXPECT_EQ(NumberText(86), "86");
  EXPECT_EQ(NumberText(85.5), "85.5");
  EXPECT_EQ(NumberText(0.1), "0.1");
  EXPECT_EQ(NumberText(-2), "-2");
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
