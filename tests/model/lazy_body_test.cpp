// LazyBody: a body kept as text, its lists located, their elements parsed one at a time (from a string or a file).
#include "model/lazy_body.h"

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/json.h"
#include "support/samples.h"
#include "support/temp_dir.h"

namespace zhiping::model {
namespace {

using Poco::Dynamic::Var;
using zhiping::testing::FreshDir;

const std::vector<std::string> kLists = {"applicants", "results"};

std::string Stringify(const Var& v) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(v, out);
  return out.str();
}

std::string Element(const LazyBody& body, const std::string& list, size_t i) {
  LazyBody::Reader reader(body);
  return Stringify(reader.Parse(*body.Find(list), i));
}

std::string MalformedRule(const std::string& text) {
  try {
    LazyBody body = LazyBody::FromText(text, kLists);
    // Elements are checked when parsed.
    if (const LazyBody::List* list = body.Find("applicants")) {
      LazyBody::Reader reader(body);
      for (size_t i = 0; i < list->elements.size(); ++i) reader.Parse(*list, i);
    }
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].pointer, "");
    return e.problems()[0].rule;
  }
  return "<accepted>";
}

TEST(model_LazyBody, LocatesTheListsAndKeepsTheRestAsTheEnvelope) {
  LazyBody body = LazyBody::FromText(
      R"( {"batch": {"year": 2022, "tags": ["a", "b"]},
           "applicants": [ {"id": "A", "name": "x]}\"y", "n": [1, {"k": "}"}]} , 7, "s", [1,2], null ,{"id":"B"}],
           "results": [],
           "other": [1, 2]} )",
      kLists);
  const LazyBody::List* applicants = body.Find("applicants");
  ASSERT_NE(applicants, nullptr);
  ASSERT_EQ(applicants->elements.size(), 6u);
  EXPECT_EQ(Element(body, "applicants", 0), R"({"id":"A","n":[1,{"k":"}"}],"name":"x]}\"y"})");
  EXPECT_EQ(Element(body, "applicants", 1), "7");
  EXPECT_EQ(Element(body, "applicants", 2), R"("s")");
  EXPECT_EQ(Element(body, "applicants", 3), "[1,2]");
  EXPECT_EQ(Element(body, "applicants", 4), "null");
  EXPECT_EQ(Element(body, "applicants", 5), R"({"id":"B"})");
  std::string firsts;
  for (const auto& e : applicants->elements) firsts += e.first;
  EXPECT_EQ(firsts, "{7\"[n{");
  ASSERT_NE(body.Find("results"), nullptr);
  EXPECT_EQ(body.Find("results")->elements.size(), 0u);
  EXPECT_EQ(body.Find("other"), nullptr);  // not asked for: parsed with the envelope
  EXPECT_EQ(AtPointer(body.envelope(), "/other/1").convert<int>(), 2);
  EXPECT_EQ(AtPointer(body.envelope(), "/batch/tags/1").convert<std::string>(), "b");
  EXPECT_EQ(Stringify(AtPointer(body.envelope(), "/applicants")), "[]");
  EXPECT_EQ(Stringify(AtPointer(body.envelope(), "/results")), "[]");
}

TEST(model_LazyBody, ListsThatAreNotArraysStayInTheEnvelope) {
  LazyBody body = LazyBody::FromText(R"({"applicants": {"id": "A"}, "results": "none"})", kLists);
  EXPECT_EQ(body.Find("applicants"), nullptr);
  EXPECT_EQ(body.Find("results"), nullptr);
  EXPECT_EQ(StringAt(body.envelope(), "/applicants/id"), "A");
  EXPECT_EQ(StringAt(body.envelope(), "/results"), "none");
  // A repeated key: the last value wins, as with Poco's parser.
  LazyBody twice = LazyBody::FromText(R"({"applicants": [1, 2], "applicants": [3]})", kLists);
  ASSERT_NE(twice.Find("applicants"), nullptr);
  ASSERT_EQ(twice.Find("applicants")->elements.size(), 1u);
  EXPECT_EQ(Element(twice, "applicants", 0), "3");
  LazyBody last_not_list = LazyBody::FromText(R"({"applicants": [1, 2], "applicants": 5})", kLists);
  EXPECT_EQ(last_not_list.Find("applicants"), nullptr);
  EXPECT_EQ(AtPointer(last_not_list.envelope(), "/applicants").convert<int>(), 5);
  // Not an object at all: parsed whole.
  LazyBody list = LazyBody::FromText("[1, 2]", kLists);
  EXPECT_EQ(list.Find("applicants"), nullptr);
  EXPECT_EQ(Stringify(list.envelope()), "[1,2]");
}

TEST(model_LazyBody, MalformedJsonIsOneProblem) {
  EXPECT_EQ(MalformedRule(R"({"applicants": [{"id": "A"}]})"), "<accepted>");
  for (const char* text : {
           "",                                           // nothing
           "   ",                                        // blanks
           R"({"applicants": [{"id": "A"},]})",          // trailing comma
           R"({"applicants": [,{"id": "A"}]})",          // empty element
           R"({"applicants": [{"id": "A"},,{}]})",       // empty element
           R"({"applicants": [{"id": "A"]})",            // brackets that do not match
           R"({"applicants": [{"id": "A"}]} x)",         // text after the body
           R"({"applicants": [{"id": "A"}])",            // ends early
           R"({"applicants": [{"id": "A})",              // string not closed
           R"({"applicants": [{"id" "A"}]})",            // inside an element: Poco's parser says so
           R"({"applicants": [{"id": "A"} {"id": "B"}]})",  // two elements without a comma
           R"({"batch": {"year": 2022,}, "applicants": []})",  // in the envelope
           R"({"batch" {}, "applicants": []})",
       }) {
    std::string rule = MalformedRule(text);
    EXPECT_EQ(rule.rfind("malformed JSON", 0), 0u) << text << " -> " << rule;
  }
  EXPECT_NE(MalformedRule(R"({"applicants": [{}, {"id": tru}]})").find("(in /applicants/1)"), std::string::npos);
}

TEST(model_LazyBody, FileAndTextAgree) {
  std::string dir = FreshDir("body-file");
  std::string text = zhiping::testing::Sample("roster-results");
  std::ofstream(dir + "/body.json") << text;
  LazyBody from_text = LazyBody::FromText(text, kLists);
  LazyBody from_file = LazyBody::FromFile(dir + "/body.json", kLists);
  EXPECT_EQ(Stringify(from_text.envelope()), Stringify(from_file.envelope()));
  for (const char* list : {"applicants", "results"}) {
    ASSERT_EQ(from_text.Find(list)->elements.size(), from_file.Find(list)->elements.size());
    for (size_t i = 0; i < from_text.Find(list)->elements.size(); ++i) {
      EXPECT_EQ(Element(from_text, list, i), Element(from_file, list, i));
    }
  }
  // Each element is what the whole-body parser sees.
  Var whole = ParseJson(text);
  EXPECT_EQ(Element(from_file, "applicants", 1), Stringify(AtPointer(whole, "/applicants/1")));
  try {
    LazyBody::FromFile(dir + "/missing.json", kLists);
    FAIL() << "a missing file was read";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
    EXPECT_NE(std::string(e.what()).find("missing.json"), std::string::npos);
  }
}

// One reader walking two lists of a file side by side (each applicant, then its result, now and then a jump), as
// the roster validator does: every element read is the element, whichever window of the file it comes from.
TEST(model_LazyBody, OneReaderWalksTwoListsOfAFileSideBySide) {
  constexpr size_t kRows = 3000;  // ~200 KB a list: several read-aheads each
  std::string text = R"({"batch": {"year": 2022}, "applicants": [)";
  for (size_t i = 0; i < kRows; ++i) {
    text += (i ? "," : "") + std::string(R"({"id": "A)") + std::to_string(i) + R"(", "name": "申报人)" +
            std::to_string(i) + R"(", "unit": "杭州市某某局办公室"})";
  }
  text += R"(], "results": [)";
  for (size_t i = 0; i < kRows; ++i) {
    text += (i ? "," : "") + std::string(R"({"applicant_id": "A)") + std::to_string(i) +
            R"(", "mid_review": {"passed": true, "score": 80.5}})";
  }
  text += "]}";
  std::string dir = FreshDir("body-two-lists");
  std::ofstream(dir + "/body.json") << text;
  LazyBody body = LazyBody::FromFile(dir + "/body.json", kLists);
  const LazyBody::List& applicants = *body.Find("applicants");
  const LazyBody::List& results = *body.Find("results");
  LazyBody::Reader reader(body);
  auto id_of = [&](const LazyBody::List& list, size_t i, const char* key) {
    const JsonValue* id = JsonMember(reader.ParseValue(list, i), key);
    return id && id->IsString() ? std::string(JsonString(*id)) : "<none>";
  };
  for (size_t i = 0; i < kRows; ++i) {
    ASSERT_EQ(id_of(applicants, i, "id"), "A" + std::to_string(i));
    ASSERT_EQ(id_of(results, i, "applicant_id"), "A" + std::to_string(i));
    if (i % 97 == 0) ASSERT_EQ(id_of(results, kRows - 1 - i, "applicant_id"), "A" + std::to_string(kRows - 1 - i));
  }
  // And the Poco tree of the same reader agrees with a body held in memory.
  LazyBody in_memory = LazyBody::FromText(text, kLists);
  EXPECT_EQ(Stringify(reader.Parse(results, 1234)), Element(in_memory, "results", 1234));
  EXPECT_EQ(Stringify(reader.Parse(applicants, 2)), Element(in_memory, "applicants", 2));
}

TEST(model_LazyBody, PlainMemberReadsJoinKeysWithoutParsing) {
  LazyBody body = LazyBody::FromText(
      R"({"results": [{"x": {"applicant_id": "inner"}, "applicant_id": "A-1"}, {"applicant_id": "B\"2"},
                      {"applicant_id": 5}, {"other": 1}, 7]})",
      kLists);
  const LazyBody::List& list = *body.Find("results");
  LazyBody::Reader reader(body);
  std::string text;
  ASSERT_TRUE(reader.PlainMember(list, 0, "applicant_id", &text));
  EXPECT_EQ(text, "A-1");
  EXPECT_FALSE(reader.PlainMember(list, 1, "applicant_id", &text));  // escapes: parse it
  EXPECT_FALSE(reader.PlainMember(list, 2, "applicant_id", &text));  // a number: parse it
  ASSERT_TRUE(reader.PlainMember(list, 3, "applicant_id", &text));
  EXPECT_EQ(text, "");
  EXPECT_FALSE(reader.PlainMember(list, 4, "applicant_id", &text));  // not an object
}

}  // namespace
}  // namespace zhiping::model
