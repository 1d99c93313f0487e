// common/json_scan.h — one strict pass over a JSON text before Poco's parser sees it.
//
// Poco's parser (1.11) neither says where a text breaks the grammar nor keeps every number it accepts: an integer
// of 20 digits wraps around (18446744073709551616 becomes 0), and a scalar at the top ("null", "123") fails with
// "Attempt to set value on an empty stack". ScanJson checks the whole grammar of RFC 8259 (strings must be valid
// UTF-8, nesting at most kMaxJsonDepth), and on the first error gives its byte offset and a sentence that never
// quotes the input (a text that is not UTF-8 but reads as GBK/GB18030 is told so: encoding.gb18030); a UTF-8
// byte-order mark at the start is skipped as offices' editors write one; it also lists the number literals Poco would not hold faithfully, which WidenNumbers rewrites
// as doubles (a value that is out of every range we accept stays out of range, and is reported as such).
//
// Pure functions on a byte range; no allocation beyond the result; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/messages.h"

namespace zhiping {

// Poco::JSON::Parser's default depth; deeper texts are refused with a position instead of Poco's bare message.
constexpr size_t kMaxJsonDepth = 128;

struct JsonScan {
  bool ok = true;
  size_t error_offset = 0;  // byte offset of the first error (when !ok)
  std::string error;        // "expected ',' or '}' after a member" (when !ok): why's English sentence
  Message why;              // the same as a message of the catalog (common/messages.h)
  char first = 0;           // first non-blank byte: '{', '[', or the start of a scalar
  // Byte ranges {begin, size} of number literals Poco would not hold exactly: integers of 19 digits or more
  // (beyond what Int64 surely holds), and literals whose value is beyond a double's range or very long.
  std::vector<std::pair<size_t, size_t>> wide_numbers;
};

JsonScan ScanJson(std::string_view text);

// `text` with each wide number replaced by a double literal Poco parses to the literal's value (clamped to
// ±1.7976931348623157e308). Offsets in the result differ from the original's: report positions from ScanJson.
std::string WidenNumbers(std::string_view text, const std::vector<std::pair<size_t, size_t>>& wide_numbers);

// 1-based line and column; columns count characters (UTF-8 sequences), not bytes.
struct LineColumn {
  size_t line = 1;
  size_t column = 1;
};

// Counts lines and columns over a text given in pieces (a file read chunk by chunk): Feed the bytes before the
// offset wanted, then at() is its position.
class LineCounter {
 public:
  void Feed(std::string_view piece);
  LineColumn at() const { return at_; }

 private:
  LineColumn at_;
  bool fed_ = false;  // a byte-order mark is not counted (only at the very start)
};

LineColumn LineColumnAt(std::string_view text, size_t offset);

// "line 3, column 17"
std::string FormatLineColumn(const LineColumn& at);
// The same as a message argument: "line 3, column 17" / "第 3 行第 17 列".
MessageArg LineColumnArg(const LineColumn& at);

}  // namespace zhiping
