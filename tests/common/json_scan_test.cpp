// ParseJson and its strict scan (common/json_scan.h): where a malformed text breaks (line and column), numbers
// kept by value instead of wrapped around, scalar bodies, and the text helpers that keep messages valid UTF-8.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "common/error.h"
#include "common/json.h"
#include "common/json_scan.h"
#include "common/problem.h"
#include "common/utf8.h"

namespace zhiping {
namespace {

bool IsValidUtf8(const std::string& s) {
  std::u32string ignored;
  return DecodeUtf8(s, &ignored);
}

std::string MalformedMessage(const std::string& text) {
  try {
    ParseJson(text);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_TRUE(IsMalformedJsonError(e.what())) << e.what();
    EXPECT_EQ(e.problems().size(), 1u);
    return e.what();
  }
  ADD_FAILURE() << "parsed: " << text;
  return "";
}

TEST(common_ParseJson, MalformedTextsSayLineAndColumn) {
  struct Case {
    std::string text;
    std::string at;    // "line L, column C"
    std::string says;  // part of the sentence
  };
  const Case cases[] = {
      {"{\"batch\": ", "line 1, column 11", "expected a value"},
      {"{\n  \"a\": 1\n  \"b\": 2\n}", "line 3, column 3", "expected ',' or '}' after a member"},
      {"{\"a\": [1, 2,]}", "line 1, column 13", "a comma before ']'"},
      {"{\"a\": 1,}", "line 1, column 9", "a comma before '}'"},
      {"{\"名字\": \"张三\" x}", "line 1, column 13", "found 'x'"},  // columns count characters, not bytes
      {"{\"a\": 01}", "line 1, column 7", "must not start with 0"},
      {"{\"a\": 1.}", "line 1, column 7", "a number is not written as JSON requires"},
      {"{\"a\": \"x\ty\"}", "line 1, column 9", "control character (U+0009)"},
      {"{\"a\": \"\\q\"}", "line 1, column 8", "unknown escape"},
      {"{\"a\": \"\\ud800\"}", "line 1, column 8", "lone high surrogate"},
      {"{\"a\": \"abc}", "line 1, column 7", "not closed"},
      {"{\"a\": tru}", "line 1, column 7", "expected a value"},
      {"{} {}", "line 1, column 4", "after the end of the JSON value"},
      {"", "line 1, column 1", "empty"},
      {"\xEF\xBB\xBF{} x", "line 1, column 4", "after the end"},  // a BOM is read past (messages_test.cpp)
      {"{\"a\": \"\xC3\x28\"}", "line 1, column 8", "invalid UTF-8"},
      {std::string(200, '[') + std::string(200, ']'), "line 1, column 129", "nested deeper than 128"},
  };
  for (const Case& c : cases) {
    std::string message = MalformedMessage(c.text);
    EXPECT_EQ(message.rfind("malformed JSON at " + c.at + ": ", 0), 0u) << c.text << " -> " << message;
    EXPECT_NE(message.find(c.says), std::string::npos) << c.text << " -> " << message;
    EXPECT_TRUE(IsValidUtf8(message)) << c.text;
  }
}

TEST(common_ParseJson, MessagesNeverQuoteRawBytes) {
  for (const std::string text : {"{\"a\": \xFF}", "{\xFE: 1}", "{\"a\": 1}\x80", "[\x01]"}) {
    std::string message = MalformedMessage(text);
    EXPECT_TRUE(IsValidUtf8(message)) << message;
    EXPECT_NE(message.find("byte 0x"), std::string::npos) << message;
  }
}

TEST(common_ParseJson, ScalarBodiesParseToTheirValue) {
  EXPECT_TRUE(ParseJson("null").isEmpty());
  EXPECT_EQ(ParseJson(" 123 ").convert<int>(), 123);
  EXPECT_EQ(ParseJson("\"s\"").convert<std::string>(), "s");
  EXPECT_TRUE(ParseJson("true").convert<bool>());
}

TEST(common_ParseJson, NumbersKeepTheirValue) {
  // Poco alone turns 18446744073709551616 into 0 and 99999999999999999999999 into a parse error.
  struct Case {
    const char* literal;
    double value;
  };
  const Case cases[] = {
      {"18446744073709551616", 18446744073709551616.0},
      {"18446744073709551615", 18446744073709551615.0},
      {"-9223372036854775809", -9223372036854775809.0},
      {"99999999999999999999999", 1e23},
      {"1e400", 1.7976931348623157e308},
      {"-1e400", -1.7976931348623157e308},
      {"1234567890123456789012345678901234567890123.5", std::strtod("1234567890123456789012345678901234567890123.5", nullptr)},
  };
  for (const Case& c : cases) {
    Poco::Dynamic::Var v = ParseJson(std::string("{\"n\": ") + c.literal + "}");
    Poco::Dynamic::Var n = v.extract<Poco::JSON::Object::Ptr>()->get("n");
    EXPECT_FALSE(n.isInteger()) << c.literal;
    EXPECT_DOUBLE_EQ(n.convert<double>(), c.value) << c.literal;
  }
  // Ordinary numbers are untouched: integers stay integers.
  Poco::Dynamic::Var small = ParseJson("[123456789012345678, -5, 2.5]");
  auto list = small.extract<Poco::JSON::Array::Ptr>();
  EXPECT_TRUE(list->get(0).isInteger());
  EXPECT_EQ(list->get(0).convert<Poco::Int64>(), 123456789012345678LL);
  EXPECT_EQ(list->get(1).convert<int>(), -5);
  EXPECT_DOUBLE_EQ(list->get(2).convert<double>(), 2.5);
}

TEST(common_ParseJson, NumbersInsideStringsAreNotTouched) {
  Poco::Dynamic::Var v = ParseJson("{\"phone\": \"18446744073709551616\"}");
  EXPECT_EQ(StringAt(v, "/phone"), "18446744073709551616");
}

TEST(common_Text, SanitizeKeepsMessagesVisibleUtf8) {
  struct Case {
    std::string in, out;
  };
  const Case cases[] = {
      {"张三", "张三"},
      {"a\xFF" "b", "a\xEF\xBF\xBD" "b"},                       // invalid byte -> U+FFFD
      {"\xE5\xBC", "\xEF\xBF\xBD\xEF\xBF\xBD"},                  // cut sequence
      {"x\ny", "x\\ny"},
      {"\xE2\x80\xAE" "evil", "\\u202Eevil"},                    // right-to-left override
      {"a\xE2\x80\x8B" "b", "a\\u200Bb"},                        // zero-width space
      {"\xE3\x85\xA4", "\\u3164"},                               // Hangul filler
      {"\xF3\xA0\x80\x81", "\\U000E0001"},                       // language tag
  };
  for (const Case& c : cases) EXPECT_EQ(SanitizeText(c.in), c.out);
  EXPECT_EQ(FormatProblem({"/a", "bad \xFF"}), "/a: bad \xEF\xBF\xBD");
}

TEST(common_Text, InvisibleCharactersByUnicodeCategory) {
  for (char32_t cp : {0x00u, 0x1Fu, 0x7Fu, 0x85u, 0xADu, 0x115Fu, 0x1160u, 0x180Eu, 0x200Bu, 0x200Cu, 0x200Du,
                      0x200Eu, 0x200Fu, 0x2028u, 0x2029u, 0x202Au, 0x202Eu, 0x2060u, 0x2066u, 0x2069u, 0x3164u,
                      0xFE0Fu, 0xFEFFu, 0xFFA0u, 0xE0001u, 0xE0100u}) {
    EXPECT_TRUE(IsInvisible(cp)) << DescribeCodePoint(cp);
  }
  for (char32_t cp : {0x41u, 0x20u, 0x3000u, 0x5F20u, 0x20BB7u, 0x301u, 0xB7u}) {
    EXPECT_FALSE(IsInvisible(cp)) << DescribeCodePoint(cp);
  }
  EXPECT_TRUE(IsCombiningMark(0x301));   // combining acute
  EXPECT_TRUE(IsCombiningMark(0x20DD));  // enclosing circle
  EXPECT_FALSE(IsCombiningMark(0x5F20));
  // Shown by value only: an invisible character is never pasted into a message.
  EXPECT_EQ(DescribeCodePoint(0x202E), "U+202E");
  EXPECT_EQ(DescribeCodePoint(0x20BB7), "U+20BB7 (\xF0\xA0\xAE\xB7)");
}

TEST(common_Problems, ListsAreCutAfterTheCap) {
  Problems ps;
  for (size_t i = 0; i < kMaxProblems + 2500; ++i) AddProblem(&ps, {"/x/" + std::to_string(i), "bad"});
  ASSERT_EQ(ps.size(), kMaxProblems + 1);
  EXPECT_EQ(ps[kMaxProblems - 1].pointer, "/x/" + std::to_string(kMaxProblems - 1));
  EXPECT_EQ(OmittedProblems(ps), 2500u);
  EXPECT_EQ(ProblemTotal(ps), kMaxProblems + 2500);
  EXPECT_EQ(ps.back().rule, "… and 2,500 more problems (only the first 100 are listed)");
  EXPECT_EQ(FormatProblem(ps.back()), "(body): … and 2,500 more problems (only the first 100 are listed)");
}

}  // namespace
}  // namespace zhiping
