// JsonDom gives the values ParseJson gives (common/json_dom.h): parsed from text, or copied from TryParseJson's
// Poco tree, a body reads the same — the same types, the same values, a repeated key's last value — and TryParse
// declines wherever TryParseJsonSax does, so a caller's fallback always gives TryParseJson's answer.
#include "common/json_dom.h"

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdio>
#include <map>
#include <string>

#include "common/json.h"
#include "common/json_sax.h"
#include "support/json_corpus.h"

namespace zhiping {
namespace {

// The value as text, each number with its type; an object's members by name, the last of a repeated name only
// (as JsonMember reads it): "{a:Int64(1),b:[string(x),null,]}".
std::string Typed(const JsonValue& v) {
  if (v.IsNull()) return "null";
  if (v.IsObject()) {
    std::map<std::string, const JsonValue*> members;
    for (const auto& m : v.GetObject()) members[std::string(JsonString(m.name))] = JsonMember(v, JsonString(m.name));
    std::string out = "{";
    for (const auto& [key, value] : members) out += key + ":" + Typed(*value) + ",";
    return out + "}";
  }
  if (v.IsArray()) {
    std::string out = "[";
    for (const JsonValue& e : v.GetArray()) out += Typed(e) + ",";
    return out + "]";
  }
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsString()) return "string(" + std::string(JsonString(v)) + ")";
  if (v.IsInt64()) return "Int64(" + std::to_string(v.GetInt64()) + ")";
  if (v.IsUint64()) return "UInt64(" + std::to_string(v.GetUint64()) + ")";
  char buf[40];
  std::snprintf(buf, sizeof buf, "double(%.17g)", v.GetDouble());
  return buf;
}

// TryParseJson's tree, copied into a dom: the reference every fast parse is compared with.
bool PocoTyped(const std::string& text, std::string* typed) {
  Poco::JSON::Parser parser;
  Poco::Dynamic::Var tree;
  Message why;
  size_t at = 0;
  if (!TryParseJson(parser, text, &tree, &why, &at)) return false;
  JsonDom dom;
  dom.Assign(tree);
  *typed = Typed(dom.root());
  return true;
}

TEST(common_JsonDom, ParsesTheValuesTryParseJsonGives) {
  JsonDom dom;  // one dom for all: each parse replaces the last
  for (const std::string& text : testing::PlainJsonTexts()) {
    SCOPED_TRACE(text);
    std::string expected;
    ASSERT_TRUE(PocoTyped(text, &expected));
    ASSERT_TRUE(dom.TryParse(text)) << "declined a plain text";
    EXPECT_EQ(Typed(dom.root()), expected);
  }
}

TEST(common_JsonDom, DeclinesWhereTheSaxParserDeclines) {
  JsonDom dom;
  for (const std::string& text : testing::SpecialJsonTexts()) {
    SCOPED_TRACE(text);
    Poco::Dynamic::Var sax;
    EXPECT_EQ(dom.TryParse(text), TryParseJsonSax(text, &sax));
    if (!dom.root().IsNull()) {
      std::string expected;
      ASSERT_TRUE(PocoTyped(text, &expected)) << "accepted a text TryParseJson refuses";
      EXPECT_EQ(Typed(dom.root()), expected);
    }
  }
  for (const std::string& text : testing::DeclinedJsonTexts()) {
    EXPECT_FALSE(dom.TryParse(text)) << text;
    EXPECT_TRUE(dom.root().IsNull()) << "a declined parse leaves no value behind";
  }
}

TEST(common_JsonDom, CopiesAPocoTreeBuiltInCode) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("year", 2022);                                    // int
  body->set("big", Poco::UInt64(18446744073709551615ull));    // past int64
  body->set("score", 85.5);
  body->set("name", std::string("张三"));
  body->set("none", Poco::Dynamic::Var());
  Poco::JSON::Object inner;
  inner.set("passed", true);
  body->set("by_value", inner);                               // an object held by value
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  list->add(1);
  list->add(std::string("x"));
  body->set("list", list);
  JsonDom dom;
  dom.Assign(body);
  EXPECT_EQ(Typed(dom.root()),
            "{big:UInt64(18446744073709551615),by_value:{passed:true,},list:[Int64(1),string(x),],name:string(张三),"
            "none:null,score:double(85.5),year:Int64(2022),}");
}

TEST(common_JsonDom, AMemberIsTheLastOfItsName) {
  JsonDom dom;
  ASSERT_TRUE(dom.TryParse(R"({"a": 1, "b": 2, "a": "last"})"));
  const JsonValue* a = JsonMember(dom.root(), "a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(Typed(*a), "string(last)");
  EXPECT_EQ(JsonMember(dom.root(), "c"), nullptr);
  EXPECT_EQ(JsonMember(*JsonMember(dom.root(), "b"), "a"), nullptr) << "a number has no members";
}

// A dom is reused element after element (LazyBody::Reader): a large element must not leave the next one reading
// stale values, and strings survive until the next parse.
TEST(common_JsonDom, EachParseReplacesTheLast) {
  JsonDom dom;
  std::string big = R"({"names": [)";
  for (int i = 0; i < 5000; ++i) big += (i ? ",\"" : "\"") + std::string("名字") + std::to_string(i) + "\"";
  big += "]}";
  ASSERT_TRUE(dom.TryParse(big));
  EXPECT_EQ(JsonMember(dom.root(), "names")->Size(), 5000u);
  ASSERT_TRUE(dom.TryParse(R"({"id": "ZG-1"})"));
  EXPECT_EQ(Typed(dom.root()), "{id:string(ZG-1),}");
  EXPECT_FALSE(dom.TryParse(R"({"id": )"));
  EXPECT_TRUE(dom.root().IsNull());
}

}  // namespace
}  // namespace zhiping
