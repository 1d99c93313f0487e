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
#include "support/json_corpus.h"

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
  for (const std::string& text : testing::PlainJsonTexts()) {
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
  for (const std::string& text : testing::SpecialJsonTexts()) {
    SCOPED_TRACE(text);
    Outcome o = Both(text);
    if (!o.sax) continue;  // declined: the fallback answers
    ASSERT_TRUE(o.poco) << "accepted a text TryParseJson refuses";
    EXPECT_EQ(o.sax_tree, o.poco_tree);
  }
  // The escapes, wide numbers and deep nesting are declined outright (TryParseJson accepts them differently).
  for (const std::string& text : testing::DeclinedJsonTexts()) {
    Var v;
    EXPECT_FALSE(TryParseJsonSax(text, &v)) << text;
  }
}

}  // namespace
}  // namespace zhiping
