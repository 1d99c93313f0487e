// RosterValidation: a roster body checked one element at a time (its lists counted, not held) reports exactly what
// ValidateRequest reports for the whole body — the same problems, pointers and order.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <functional>

#include "common/error.h"
#include "common/json.h"
#include "test_body.h"

namespace zhiping::model::testing {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

Array::Ptr ArrayOf(const Object::Ptr& body, const char* key) {
  if (!body->has(key)) return nullptr;
  Var v = body->get(key);
  return v.type() == typeid(Array::Ptr) ? v.extract<Array::Ptr>() : nullptr;
}

// The order elements are handed over in: lists in order; each result beside the applicant it names (as render
// does when it writes roster-results), then the rest; results backwards, before the applicants.
enum class Order { kInOrder, kResultBesideApplicant, kResultsBackwardsFirst };

// As render does it: the envelope holds the lists empty, elements are handed over one by one.
Problems ElementWise(const std::string& kind, const Var& body, Order order = Order::kInOrder,
                     const std::string& today = "2022-12-31") {
  Object::Ptr whole = body.extract<Object::Ptr>();
  Object::Ptr envelope = new Object(*whole);
  Array::Ptr applicants = ArrayOf(whole, "applicants");
  Array::Ptr results = ArrayOf(whole, "results");
  if (applicants) envelope->set("applicants", Array::Ptr(new Array));
  if (results) envelope->set("results", Array::Ptr(new Array));
  RosterValidation v(kind, ValidationContext{today});
  v.Envelope(envelope, applicants ? std::optional<size_t>(applicants->size()) : std::nullopt);
  const size_t result_count = results ? results->size() : 0;
  std::vector<bool> done(result_count, false);
  auto result = [&](size_t j) {
    if (!done[j]) v.Result(j, results->get(unsigned(j)));
    done[j] = true;
  };
  if (order == Order::kResultsBackwardsFirst) {
    v.Results(results ? std::optional<size_t>(result_count) : std::nullopt);
    for (size_t j = result_count; j > 0; --j) result(j - 1);
  }
  for (size_t i = 0; applicants && i < applicants->size(); ++i) {
    Var a = applicants->get(unsigned(i));
    v.Applicant(i, a);
    if (order != Order::kResultBesideApplicant || a.type() != typeid(Object::Ptr)) continue;
    Var id = a.extract<Object::Ptr>()->get("id");
    for (size_t j = 0; j < result_count; ++j) {
      Var r = results->get(unsigned(j));
      if (r.type() == typeid(Object::Ptr) && !id.isEmpty() && r.extract<Object::Ptr>()->get("applicant_id") == id) {
        result(j);
        break;
      }
    }
  }
  if (order != Order::kResultsBackwardsFirst)
    v.Results(results ? std::optional<size_t>(result_count) : std::nullopt);
  for (size_t j = 0; j < result_count; ++j) result(j);
  return v.Finish();
}

void ExpectSame(const std::string& kind, const Var& body, const std::string& what) {
  Problems whole = Validate(kind, body);
  EXPECT_FALSE(whole.empty()) << kind << ": " << what;  // each case breaks a rule
  for (Order order : {Order::kInOrder, Order::kResultBesideApplicant, Order::kResultsBackwardsFirst}) {
    Problems elements = ElementWise(kind, body, order);
    EXPECT_EQ(Describe(elements), Describe(whole)) << kind << ": " << what << " (order " << int(order) << ")";
  }
}

// A fresh copy of the sample, changed by `change`.
Var Changed(const std::string& kind, const std::function<void(const Var&)>& change) {
  Var body = SampleJson(kind);
  change(body);
  return body;
}

TEST(model_RosterValidation, SamplesAreValidElementWise) {
  for (const char* kind : {"roster-summary", "roster-qualification", "roster-results"}) {
    Problems ps = ElementWise(kind, SampleJson(kind));
    EXPECT_TRUE(ps.empty()) << kind << ": " << Describe(ps);
  }
}

TEST(model_RosterValidation, SameProblemsAsTheWholeBody) {
  for (const char* kind : {"roster-summary", "roster-qualification", "roster-results"}) {
    ExpectSame(kind, Changed(kind, [](const Var& b) {
                 SetAt(b, "/applicants/0/gender", Var(std::string("X")));
                 RemoveAt(b, "/applicants/2/name");
                 SetAt(b, "/applicants/3/id", AtPointer(b, "/applicants/1/id"));  // repeated id
                 SetAt(b, "/applicants/4/birth", Var(std::string("1980-02-30")));
                 RemoveAt(b, "/batch/id");
               }),
               "fields, a repeated id, the batch");
    ExpectSame(kind, Changed(kind, [](const Var& b) { SetAt(b, "/applicants/1", Var(7)); }), "not an object");
    ExpectSame(kind, Changed(kind, [](const Var& b) { SetAt(b, "/applicants", Var(Array::Ptr(new Array))); }),
               "empty list");
    ExpectSame(kind, Changed(kind, [](const Var& b) { RemoveAt(b, "/applicants"); }), "no list");
    ExpectSame(kind, Changed(kind, [](const Var& b) { SetAt(b, "/applicants", Var(std::string("x"))); }),
               "not a list");
  }
  const std::string kind = "roster-results";
  ExpectSame(kind, Changed(kind, [](const Var& b) {
               SetAt(b, "/results/1/applicant_id", Var(std::string("NOBODY")));
               SetAt(b, "/results/2/applicant_id", AtPointer(b, "/results/0/applicant_id"));
               SetAt(b, "/results/3/exam/score", Var(101));
               SetAt(b, "/results/4", Var(std::string("r")));
             }),
             "results");
  ExpectSame(kind, Changed(kind, [](const Var& b) {
               SetAt(b, "/results/3/applicant_id", AtPointer(b, "/results/0/applicant_id"));
               SetAt(b, "/results/4/applicant_id", AtPointer(b, "/results/0/applicant_id"));
               SetAt(b, "/applicants/2/name", Var(7));
               SetAt(b, "/results/2/applicant_id", Var(std::string("NOBODY")));
               SetAt(b, "/results/2/exam/score", Var(-1));
             }),
             "one applicant_id three times, and problems on both lists");
  ExpectSame(kind, Changed(kind, [](const Var& b) { RemoveAt(b, "/results"); }), "no results");
  ExpectSame(kind, Changed(kind, [](const Var& b) { RemoveAt(b, "/applicants"); }), "results without applicants");
  ExpectSame(kind, Changed(kind, [](const Var& b) { SetAt(b, "/results", Var(5)); }), "results not a list");
}

TEST(model_RosterValidation, RostersMayHoldMoreThan20000Applicants) {
  Var body = SampleJson("roster-summary");
  Array::Ptr list = AtPointer(body, "/applicants").extract<Array::Ptr>();
  Var first = list->get(0);
  Array::Ptr big = new Array;
  for (int i = 0; i < 20001; ++i) {
    Object::Ptr a = new Object(*first.extract<Object::Ptr>());
    a->set("id", "ZG-" + std::to_string(i));
    big->add(a);
  }
  SetAt(body, "/applicants", Var(big));
  Problems valid = Validate("roster-summary", body);
  EXPECT_TRUE(valid.empty()) << Describe(valid);

  // Beyond kMaxRosterRows: reported once at the list, counted without being held.
  Object::Ptr envelope = new Object(*body.extract<Object::Ptr>());
  envelope->set("applicants", Array::Ptr(new Array));
  RosterValidation v("roster-summary", ValidationContext{"2022-12-31"});
  v.Envelope(envelope, kMaxRosterRows + 1);
  Problems ps = v.Finish();
  ASSERT_EQ(ps.size(), 1u) << Describe(ps);
  EXPECT_EQ(ps[0].pointer, "/applicants");
  EXPECT_NE(ps[0].rule.find("at most 100000 entries (has 100001)"), std::string::npos) << ps[0].rule;
}

TEST(model_RosterValidation, OnlyRosterKinds) {
  EXPECT_TRUE(RosterValidation::IsRosterKind("roster-results"));
  EXPECT_FALSE(RosterValidation::IsRosterKind("notice"));
  try {
    RosterValidation v("notice", ValidationContext{});
    FAIL() << "notice accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  }
  // Not an object: one problem, nothing else.
  RosterValidation v("roster-summary", ValidationContext{});
  v.Envelope(Var(5), std::nullopt);
  v.Applicant(0, Var(1));
  Problems ps = v.Finish();
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].pointer, "");
}

}  // namespace
}  // namespace zhiping::model::testing
