// common/json_sax.h — the tree TryParseJson builds (common/json.h), built faster: ParseJson tries it first, and the
// elements of a roster or bulk body are parsed with it by the thousand (model/lazy_body.h).
//
// RapidJSON's SAX Reader reads the text (in place, in a per-thread copy) and the Poco tree is built straight from its events, without Poco's own
// parser (its character-by-character state machine, its copies of every token). The tree is the one Poco 1.11's
// parser makes of the same text: objects (Poco::JSON::Object, no key order kept; a repeated key: the last wins) and
// arrays as Ptr values, std::string, bool, an empty Var for null, and numbers typed as Poco types them — an integer
// literal as Int64, a literal with '.', 'e' or 'E' through Poco::NumberParser::parseFloat.
//
// It declines (returns false, *out unspecified) whenever its answer could differ from TryParseJson's, and the
// caller then parses with TryParseJson, so the outcome (value, or message and position of a syntax error) is always
// the one TryParseJson gives:
//   - any syntax error, or text that is not strict UTF-8 (no overlong forms, surrogates, or values past U+10FFFF);
//   - a NUL byte or a \u escape anywhere (lone surrogates are ScanJson's to refuse, with its own message);
//   - a number ScanJson would widen (19 characters or more, or beyond a double's range);
//   - nesting deeper than kMaxSaxDepth.
// Pure function; thread-safe.
#pragma once

#include <Poco/Dynamic/Var.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace zhiping {

constexpr size_t kMaxSaxDepth = 64;

bool TryParseJsonSax(std::string_view text, Poco::Dynamic::Var* out);

// The rules above, for the other fast parser (common/json_dom.h), which must decline exactly where this one does.
// FastParsable: no NUL byte, no \u escape, strict UTF-8 — false means decline.
bool FastParsable(std::string_view text);
// A number literal typed as Poco's parser types it: an integer literal as int64, one with '.', 'e' or 'E' as a
// double (Poco::NumberParser::parseFloat); false (decline) for 19 characters or more, or beyond a double's range.
struct JsonNumber {
  bool integer = false;
  int64_t i = 0;
  double d = 0;
};
bool TypeJsonNumber(std::string_view literal, JsonNumber* out);

}  // namespace zhiping
