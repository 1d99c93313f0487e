// TryParseJsonSax builds exactly the tree TryParseJson builds (the same types, the same values), or declines; it never
// accepts a text TryParseJson refuses. Each text below is parsed both ways and the trees compared with their types.
#include "common/json_sax.h"

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdio>
#include <string>
#include <vector>

#include "common/json.h"

namespace zhiping {
namespace {

using Poco::Dynamic::Var;

// The tree as text, every value with its C++ type: "{a:Int64(1),b:[string(x),null]}".
std::string Typed(const Var& v) {
  if (v.isEmpty()) return "null";
  if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
    auto o = v.extract<Poco::JSON::Object::Ptr>();
    std::string out = "{";
    for (const auto& [key, value] : *o) out += key + ":" + Typed(value) + ",";
    return out + "}";
  }
  if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
    auto a = v.extract<Poco::JSON::Array::Ptr>();
    std::string out = "[";
    for (size_t i = 0; i < a->size(); ++i) out += Typed(a->get(static_cast<unsigned>(i))) + ",";
    return out + "]";
  }
  if (v.type() == typeid(double)) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "double(%.17g)", v.extract<double>());
    return buf;
  }
  if (v.type() == typeid(Poco::Int64)) return "Int64(" + v.toString() + ")";
  if (v.type() == typeid(Poco::UInt64)) return "UInt64(" + v.toString() + ")";
  if (v.type() == typeid(bool)) return v.extract<bool>() ? "true" : "false";
  if (v.type() == typeid(std::string)) return "string(" + v.extract<std::string>() + ")";
  return std::string("other:") + v.type().name();
}

struct Outcome {
  bool sax = false, poco = false;
  std::string sax_tree, poco_tree;
};

Outcome Both(const std::string& text) {
  Outcome o;
  Var sax;
  o.sax = TryParseJsonSax(text, &sax);
  if (o.sax) o.sax_tree = Typed(sax);
  Poco::JSON::Parser parser;
  Var poco;
  Message why;
  size_t at = 0;
  o.poco = TryParseJson(parser, text, &poco, &why, &at);
  if (o.poco) o.poco_tree = Typed(poco);
  return o;
}

TEST(common_JsonSax, BuildsTheTreeTryParseJsonBuilds) {
  const std::vector<std::string> texts = {
      R"({"id": "ZG-000001", "name": "张三", "year": 2022, "score": 85.5, "passed": true, "note": null})",
      R"({"n": [0, -0, 1, -1, 3000000000, -3000000000, 123456789012345678, -12345678901234567]})",
      R"({"f": [0.0, -0.0, 1.5, 1e2, 1E2, 1e-2, 2.5e+3, 0.1, 100.0, 66, 1.5e308]})",
      R"({"s": "a\"b\\c\/d\n\t\r\b\f", "empty": "", "cjk": "浙江省人力资源和社会保障厅", "emoji": "𠀀😀"})",
      R"({"a": 1, "a": 2, "b": {"a": [1, {"c": []}, {}]}})",
      R"([1, "x", [], {}, null, false])",
      R"(  {"padded": true}  )",
      "\"a scalar\"", "42", "-7.25", "null", "true",
      R"({"key with \"quotes\"": 1, "": 2})",
  };
  for (const std::string& text : texts) {
    SCOPED_TRACE(text);
    Outcome o = Both(text);
    ASSERT_TRUE(o.poco);
    ASSERT_TRUE(o.sax) << "declined a plain text";
    EXPECT_EQ(o.sax_tree, o.poco_tree);
  }
}

// Texts TryParseJson treats specially (escapes it decodes, numbers it widens, limits) or refuses: the fast parse
// declines them all, so the caller's fallback gives TryParseJson's answer.
TEST(common_JsonSax, DeclinesWhatItCannotAnswerExactly) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  const std::vector<std::string> texts = {
      R"({"u": "\u00e9"})", R"({"lone": "\ud800"})", R"({"low": "\udc00"})",  // \u escapes
      R"({"big": 1234567890123456789})", R"({"big": 18446744073709551616})",    // 19 digits and more
      R"({"long": 0.10000000000000000000000000000000000000000001})", R"({"inf": 1e400})",
      deep,
      std::string("{\"nul\": \"a\0b\"}", 13), std::string("{\"a\": 1}\0", 9),   // NUL bytes
      "{\"overlong\": \"\xC0\x80\"}", "{\"surrogate\": \"\xED\xA0\x80\"}", "{\"past\": \"\xF4\x90\x80\x80\"}",
      "{\"gbk\": \"\xD5\xC5\xC8\xFD\"}", "{\"cut\": \"\xE5\xBC\"}",              // not UTF-8
      R"({"a": 1,})", R"([1, 2,])", R"({"a" 1})", R"({"a": 01})", R"({"a": 1.})", R"({"a": .5})", R"({"a": tru})",
      R"({"a": 1} x)", R"({"a": NaN})", "{\"ctl\": \"a\tb\"}", "", "   ", R"({"a": "unclosed)", "[1, 2",
  };
  for (const std::string& text : texts) {
    SCOPED_TRACE(text);
    Outcome o = Both(text);
    if (!o.sax) continue;  // declined: the fallback answers
    ASSERT_TRUE(o.poco) << "accepted a text TryParseJson refuses";
    EXPECT_EQ(o.sax_tree, o.poco_tree);
  }
  // The escapes, wide numbers and deep nesting are declined outright (TryParseJson accepts them differently).
  for (const char* text : {R"({"u": "\u00e9"})", R"({"big": 1234567890123456789})", R"({"inf": 1e400})"}) {
    Var v;
    EXPECT_FALSE(TryParseJsonSax(text, &v)) << text;
  }
  Var v;
  EXPECT_FALSE(TryParseJsonSax(deep, &v));
}

}  // namespace
}  // namespace zhiping
