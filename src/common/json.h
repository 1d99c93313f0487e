// common/json.h — parsing request bodies and walking them by JSON Pointer; JSON answers as text.
//
// Bodies are parsed with Poco::JSON into Poco::Dynamic::Var, after a strict scan (common/json_scan.h); a UTF-8
// byte-order mark at the start is skipped. A malformed
// body is an Error of kind kInvalidInput, message and problem "malformed JSON at line L, column C: why" (HTTP
// answers 400 for this case, not 422). Any JSON value is a body: a scalar ("null", 123) parses to that value, and
// validation then says it must be an object. Numbers Poco would wrap around are parsed as doubles (WidenNumbers).
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <optional>

#include "common/json_scan.h"
#include "common/messages.h"


namespace zhiping {

// Thrown (as zhiping::Error kInvalidInput, message starting "malformed JSON") when `text` is not JSON.
Poco::Dynamic::Var ParseJson(const std::string& text);
// Checks the syntax only (no tree is built); throws as ParseJson does.
void CheckJsonSyntax(std::string_view text);
bool IsMalformedJsonError(const std::string& message);

// For callers that report positions themselves (a roster element located inside a larger file): parses `text`
// with `parser` (reset first). On a syntax error returns false with *error ("expected ',' …") and *error_offset
// (a byte offset into `text`, or std::string_view::npos when only Poco's parser objected and cannot say where).
bool TryParseJson(Poco::JSON::Parser& parser, const std::string& text, Poco::Dynamic::Var* out, Message* error,
                  size_t* error_offset);
// The Error ParseJson throws: "malformed JSON at line L, column C: why" (no position when `where` is empty), its
// one problem json.malformed (common/messages.h) with the position and the reason as arguments, so the command
// line tells it as "data.json 第 3 行第 14 列：JSON 格式有误，…".
[[noreturn]] void ThrowMalformedJson(const std::optional<LineColumn>& where, const Message& why);

// Reads a file fully; kNotFound error naming the path when it cannot be read.
std::string ReadFile(const std::string& path);
// The same, reading at most `max_bytes`: false when the file holds more (*out then has the bytes read, at least
// max_bytes). "/dev/stdin" reads the process's standard input as it is (a pipe, a terminal, a redirected file).
bool TryReadFile(const std::string& path, size_t max_bytes, std::string* out);

// Value at an RFC 6901 pointer, or an empty Var when any step is missing.
Poco::Dynamic::Var AtPointer(const Poco::Dynamic::Var& root, const std::string& pointer);
// Convenience for optional strings: "" when missing or not a string.
std::string StringAt(const Poco::Dynamic::Var& root, const std::string& pointer);

// Appends `s` to `*out` as a JSON string literal (quotes, escapes); for writers that build JSON text themselves
// (the OCFL inventory's exact bytes, a streamed import body). `s` is taken as UTF-8 and passed through.
void AppendJsonString(const std::string& s, std::string* out);

// A JSON value (an answer built with Poco::JSON) as text: compact, or indented by `indent` spaces per level.
std::string JsonText(const Poco::Dynamic::Var& value, int indent = 0);

}  // namespace zhiping
