// The typed model: one function per request type gives a value or problems, never both; the member names listed
// in model/request_fields.h agree with the parser's (every sample survives parse → JSON unchanged, so a member the
// parser reads but the listing forgets, or the reverse, fails here); each template's sample parses.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cmath>
#include <string>

#include "common/error.h"
#include "common/json.h"
#include "model/parse.h"
#include "model/request_json.h"
#include "model/sample.h"
#include "support/samples.h"

namespace zhiping::model {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

const char* const kTemplates[] = {"notice",         "report",         "letter",          "review-form",
                                  "roster-summary", "roster-results", "roster-qualification", "result-notice"};

ValidationContext Today() { return ValidationContext("2023-06-30"); }

// Deep equality of two JSON values; numbers by value (60 and 60.0 are the same member), null as absent, an absent
// list as an empty one. On a difference, *where says which pointer.
bool SameJson(const Var& a, const Var& b, const std::string& at, std::string* where) {
  auto fail = [&] {
    *where = at.empty() ? "/" : at;
    return false;
  };
  if (a.type() == typeid(Object::Ptr) || b.type() == typeid(Object::Ptr)) {
    if (a.type() != typeid(Object::Ptr) || b.type() != typeid(Object::Ptr)) return fail();
    Object::Ptr x = a.extract<Object::Ptr>(), y = b.extract<Object::Ptr>();
    for (const auto& [k, v] : *x) {
      if (v.isEmpty()) continue;  // null: the same as absent
      if (!y->has(k)) return (*where = at + "/" + k + " (lost)"), false;
      if (!SameJson(v, y->get(k), at + "/" + k, where)) return false;
    }
    for (const auto& [k, v] : *y) {
      // An empty list is what an absent one becomes (typed lists are never absent).
      const bool empty_list = v.type() == typeid(Array::Ptr) && v.extract<Array::Ptr>()->size() == 0;
      if (!x->has(k) && !v.isEmpty() && !empty_list) return (*where = at + "/" + k + " (added)"), false;
    }
    return true;
  }
  if (a.type() == typeid(Array::Ptr) || b.type() == typeid(Array::Ptr)) {
    if (a.type() != typeid(Array::Ptr) || b.type() != typeid(Array::Ptr)) return fail();
    Array::Ptr x = a.extract<Array::Ptr>(), y = b.extract<Array::Ptr>();
    if (x->size() != y->size()) return fail();
    for (unsigned i = 0; i < x->size(); ++i)
      if (!SameJson(x->get(i), y->get(i), at + "/" + std::to_string(i), where)) return false;
    return true;
  }
  if (a.isNumeric() && b.isNumeric() && !a.isBoolean() && !b.isBoolean())
    return std::fabs(a.convert<double>() - b.convert<double>()) < 1e-9 || fail();
  if (a.isBoolean() != b.isBoolean() || a.isString() != b.isString()) return fail();
  return a.convert<std::string>() == b.convert<std::string>() || fail();
}

TEST(model_Request, EverySampleSurvivesParseAndBackUnchanged) {
  for (const char* name : kTemplates) {
    SCOPED_TRACE(name);
    const Var body = zhiping::testing::SampleJson(name);
    Parsed<Request> parsed = ParseRequest(name, body, Today());
    ASSERT_TRUE(parsed.ok()) << FormatProblem(parsed.TakeProblems().at(0));
    EXPECT_EQ(TemplateOf(parsed.value()), name);
    std::string where;
    EXPECT_TRUE(SameJson(body, ToJson(parsed.value()), "", &where)) << "differs at " << where;
  }
}

TEST(model_Request, EachTemplatesSampleIsMadeByTheModelAndParses) {
  for (const char* name : kTemplates) {
    SCOPED_TRACE(name);
    const Request sample = SampleRequest(name);
    EXPECT_EQ(TemplateOf(sample), name);
    const std::string text = ToJsonText(sample);
    Parsed<Request> again = ParseRequest(name, ParseJson(text), Today());
    ASSERT_TRUE(again.ok()) << FormatProblem(again.TakeProblems().at(0));
    EXPECT_EQ(ToJsonText(again.value()), text);  // nothing lost or added on the way
  }
  EXPECT_THROW(SampleRequest("certificate"), Error);
}

TEST(model_Request, AValueOrProblemsNeverBoth) {
  Var body = zhiping::testing::SampleJson("letter");
  body.extract<Object::Ptr>()->getObject("applicant")->set("id_number", "330102197903141793");
  Parsed<LetterRequest> bad = ParseLetter(body, Today());
  EXPECT_FALSE(bad.ok());
  EXPECT_THROW(bad.value(), std::bad_variant_access);
  const Problems problems = bad.TakeProblems();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].pointer, "/applicant/id_number");

  Parsed<LetterRequest> good = ParseLetter(zhiping::testing::SampleJson("letter"), Today());
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(good.TakeProblems().empty());
  const LetterRequest letter = good.TakeValue();
  EXPECT_EQ(letter.applicant.id, letter.result.applicant_id);
  ASSERT_TRUE(letter.batch.office);
  ASSERT_TRUE(letter.applicant.birth);
  EXPECT_EQ(FormatDate(*letter.applicant.birth), "1979-03");
  EXPECT_EQ(letter.letter.issued.day, 30);
}

TEST(model_Request, ValueOrThrowCarriesEveryProblem) {
  try {
    ParseNotice(ParseJson(R"({"batch": {}})"), Today()).ValueOrThrow("notice data");
    FAIL() << "an empty notice parsed";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(std::string(e.what()).rfind(std::to_string(e.problems().size()) + " problem(s) in the notice data", 0),
              0u)
        << e.what();
    EXPECT_GE(e.problems().size(), 5u);  // batch.id, year, title, office, notice, applicants
  }
  EXPECT_THROW(ParseRequest("certificate", ParseJson("{}"), Today()), Error);
}

TEST(model_Request, ABulkItemIsCheckedAsTheLetterItStandsFor) {
  Var envelope = ParseJson(R"({"batch": {"id": "b", "year": 2022, "title": "t", "office": {"name": "o"}},
                               "letter": {"issued": "2022-12-30"}, "items": []})");
  Var item = ParseJson(R"({"applicant": {"id": "a1", "name": "张三"}, "letter_no": "1号",
                           "result": {"applicant_id": "a1", "senior_review": {"passed": false}}})");
  Parsed<LetterRequest> letter = ParseBulkLetter(envelope, item, Today());
  ASSERT_TRUE(letter.ok()) << FormatProblem(letter.TakeProblems().at(0));
  EXPECT_EQ(*letter.value().letter.no, "1号");
  EXPECT_EQ(FormatDate(letter.value().letter.issued), "2022-12-30");

  Parsed<BulkLettersEnvelope> env = ParseBulkEnvelope(envelope, size_t{3}, 2, Today());
  ASSERT_FALSE(env.ok());
  const Problems p = env.TakeProblems();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].pointer, "/items");
  EXPECT_EQ(p[0].rule, "must have at most 2 entries (has 3)");
}

}  // namespace
}  // namespace zhiping::model
