// support/json_corpus.h — JSON texts the fast parsers are checked with against TryParseJson (common/json_sax.h,
// common/json_dom.h): both must give TryParseJson's values for the plain ones and decline the special ones alike.
#pragma once

#include <string>
#include <vector>

namespace zhiping::testing {

// Texts every parser takes: both fast parsers must accept them and give TryParseJson's values.
inline std::vector<std::string> PlainJsonTexts() {
  return {
      R"({"id": "ZG-000001", "name": "张三", "year": 2022, "score": 85.5, "passed": true, "note": null})",
      R"({"n": [0, -0, 1, -1, 3000000000, -3000000000, 123456789012345678, -12345678901234567]})",
      R"({"f": [0.0, -0.0, 1.5, 1e2, 1E2, 1e-2, 2.5e+3, 0.1, 100.0, 66, 1.5e308]})",
      R"({"s": "a\"b\\c\/d\n\t\r\b\f", "empty": "", "cjk": "浙江省人力资源和社会保障厅", "emoji": "𠀀😀"})",
      R"({"a": 1, "a": 2, "b": {"a": [1, {"c": []}, {}]}})",
      R"([1, "x", [], {}, null, false])",
      R"(  {"padded": true}  )",
      "\"a scalar\"", "42", "-7.25", "null", "true",
      R"({"key with \"quotes\"": 1, "": 2})",
      R"({"path": "C:\\users\\u1\\", "tail": "\\"})",  // escaped backslashes before a u: no \u escape
  };
}

// 100 nested arrays: past the fast parsers' depth limit.
inline std::string DeepJsonText() { return std::string(100, '[') + std::string(100, ']'); }

// Texts TryParseJson treats specially (escapes it decodes, numbers it widens, limits) or refuses: a fast parser
// declines them or, where it answers, gives TryParseJson's answer.
inline std::vector<std::string> SpecialJsonTexts() {
  return {
      R"({"u": "\u00e9"})", R"({"lone": "\ud800"})", R"({"low": "\udc00"})",  // \u escapes
      R"({"big": 1234567890123456789})", R"({"big": 18446744073709551616})",    // 19 digits and more
      R"({"long": 0.10000000000000000000000000000000000000000001})", R"({"inf": 1e400})",
      DeepJsonText(),
      std::string("{\"nul\": \"a\0b\"}", 13), std::string("{\"a\": 1}\0", 9),   // NUL bytes
      "{\"overlong\": \"\xC0\x80\"}", "{\"surrogate\": \"\xED\xA0\x80\"}", "{\"past\": \"\xF4\x90\x80\x80\"}",
      "{\"gbk\": \"\xD5\xC5\xC8\xFD\"}", "{\"cut\": \"\xE5\xBC\"}",              // not UTF-8
      R"({"a": 1,})", R"([1, 2,])", R"({"a" 1})", R"({"a": 01})", R"({"a": 1.})", R"({"a": .5})", R"({"a": tru})",
      R"({"a": 1} x)", R"({"a": NaN})", "{\"ctl\": \"a\tb\"}", "", "   ", R"({"a": "unclosed)", "[1, 2",
  };
}

// Of those, the ones TryParseJson accepts but a fast parser must decline outright (it would answer differently).
inline std::vector<std::string> DeclinedJsonTexts() {
  return {R"({"u": "\u00e9"})", R"({"big": 1234567890123456789})", R"({"inf": 1e400})", DeepJsonText()};
}

}  // namespace zhiping::testing
