#include "common/json_scan.h"

#include "common/utf8_sequence.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "common/text_encoding.h"

namespace zhiping {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// What was found at an error, named without echoing the input: printable ASCII is shown, anything else by value.
MessageArg Found(std::string_view text, size_t at) {
  if (at >= text.size()) return MessageArg("the end of the text", "文件末尾");
  unsigned char c = static_cast<unsigned char>(text[at]);
  char buf[32];
  if (c > 0x20 && c < 0x7F) {
    std::snprintf(buf, sizeof buf, "'%c'", c);
    return MessageArg(buf);
  }
  std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
  char zh[32];
  std::snprintf(zh, sizeof zh, "字节 0x%02X", c);
  return MessageArg(buf, zh);
}

class Scan {
 public:
  explicit Scan(std::string_view text) : t_(text), n_(text.size()) {}

  JsonScan Run() {
    if (n_ >= 3 && t_.compare(0, 3, "\xEF\xBB\xBF") == 0) i_ = 3;  // a BOM (Notepad's "UTF-8"): not part of the text
    SkipBlanks();
    if (i_ == n_) return Fail(i_, Msg::kJsonEmpty);
    out_.first = t_[i_];
    if (!Value()) return out_;
    SkipBlanks();
    if (i_ != n_) return Fail(i_, Message(Msg::kJsonTrailing, {Found(t_, i_)}));
    return out_;
  }

 private:
  JsonScan Fail(size_t at, Message why) {
    if (out_.ok) {
      out_.ok = false;
      out_.error_offset = at;
      out_.error = RenderMessage(why, Lang::kEn);
      out_.why = std::move(why);
    }
    return out_;
  }
  bool Error(size_t at, Message why) {
    Fail(at, std::move(why));
    return false;
  }

  void SkipBlanks() {
    while (i_ < n_ && IsBlank(t_[i_])) ++i_;
  }

  // One value, iteratively: containers push onto stack_ (no recursion, so depth costs no native stack).
  bool Value() {
    enum Expect { kValue, kFirstValueOrEnd, kFirstKeyOrEnd, kKey, kColon, kCommaOrEnd };
    std::vector<char> stack;
    Expect expect = kValue;
    for (;;) {
      SkipBlanks();
      const size_t at = i_;
      const char c = i_ < n_ ? t_[i_] : '\0';
      switch (expect) {
        case kFirstKeyOrEnd:
        case kKey:
          if (c == '}' && expect == kFirstKeyOrEnd) {
            ++i_;
            stack.pop_back();
            expect = kCommaOrEnd;
            break;
          }
          if (c != '"') {
            return Error(at, c == '}' ? Message(Msg::kJsonCommaBeforeBrace)
                                      : Message(Msg::kJsonMemberName, {Found(t_, at)}));
          }
          if (!String()) return false;
          expect = kColon;
          break;
        case kColon:
          if (c != ':') return Error(at, Message(Msg::kJsonColon, {Found(t_, at)}));
          ++i_;
          expect = kValue;
          break;
        case kFirstValueOrEnd:
          if (c == ']') {
            ++i_;
            stack.pop_back();
            expect = kCommaOrEnd;
            break;
          }
          [[fallthrough]];
        case kValue:
          if (c == '{' || c == '[') {
            if (stack.size() >= kMaxJsonDepth) {
              return Error(at, Message(Msg::kJsonTooDeep, {kMaxJsonDepth}));
            }
            stack.push_back(c);
            ++i_;
            expect = c == '{' ? kFirstKeyOrEnd : kFirstValueOrEnd;
            break;
          }
          if (c == ']' && !stack.empty() && stack.back() == '[') return Error(at, Msg::kJsonCommaBeforeBracket);
          if (!Scalar()) return false;
          expect = kCommaOrEnd;
          break;
        case kCommaOrEnd: {
          if (stack.empty()) return true;
          const bool object = stack.back() == '{';
          if (c == ',') {
            ++i_;
            expect = object ? kKey : kValue;
          } else if (c == (object ? '}' : ']')) {
            ++i_;
            stack.pop_back();
          } else {
            return Error(at, Message(object ? Msg::kJsonObjectComma : Msg::kJsonArrayComma, {Found(t_, at)}));
          }
          break;
        }
      }
    }
  }

  bool Scalar() {
    const size_t at = i_;
    const char c = i_ < n_ ? t_[i_] : '\0';
    if (c == '"') return String();
    if (c == '-' || IsDigit(c)) return Number();
    for (const char* word : {"true", "false", "null"}) {
      std::string_view w(word);
      if (t_.compare(i_, w.size(), w) == 0) {
        i_ += w.size();
        return true;
      }
    }
    return Error(at, Message(Msg::kJsonValue, {Found(t_, at)}));
  }

  bool String() {
    const size_t open = i_++;
    while (i_ < n_) {
      const unsigned char c = static_cast<unsigned char>(t_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c == '\\') {
        if (!Escape()) return false;
        continue;
      }
      if (c < 0x20) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "U+%04X", c);
        return Error(i_, Message(Msg::kJsonControlInString, {buf}));
      }
      if (c < 0x80) {
        ++i_;
        continue;
      }
      if (!Utf8Sequence()) {
        return Error(i_, LooksLikeGb18030(t_, i_) ? Msg::kNotUtf8File : Msg::kJsonBadUtf8);
      }
    }
    return Error(open, Msg::kJsonUnclosedString);
  }

  // A well-formed UTF-8 sequence at i_ (WellFormedUtf8Length); advances past it.
  bool Utf8Sequence() {
    const size_t len = WellFormedUtf8Length(t_, i_);
    if (len == 0) return false;
    i_ += len;
    return true;
  }

  bool Escape() {
    const size_t at = i_;
    if (i_ + 1 >= n_) return Error(at, Msg::kJsonUnclosedString);
    const char e = t_[i_ + 1];
    if (e != 'u') {
      if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
        return Error(at, Msg::kJsonBadEscape);
      }
      i_ += 2;
      return true;
    }
    unsigned unit = 0;
    if (!Hex4(i_ + 2, &unit)) return Error(at, Msg::kJsonBadHex);
    i_ += 6;
    if (unit >= 0xDC00 && unit <= 0xDFFF) return Error(at, Msg::kJsonLoneLowSurrogate);
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      unsigned low = 0;
      if (i_ + 1 < n_ && t_[i_] == '\\' && t_[i_ + 1] == 'u' && Hex4(i_ + 2, &low) && low >= 0xDC00 &&
          low <= 0xDFFF) {
        i_ += 6;
        return true;
      }
      return Error(at, Msg::kJsonLoneHighSurrogate);
    }
    return true;
  }

  bool Hex4(size_t from, unsigned* value) const {
    if (from + 4 > n_) return false;
    *value = 0;
    for (size_t k = 0; k < 4; ++k) {
      const char h = t_[from + k];
      if (!IsHex(h)) return false;
      *value = *value * 16 + static_cast<unsigned>(IsDigit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
    }
    return true;
  }

  bool Number() {
    const size_t at = i_;
    auto bad = [&] { return Error(at, Msg::kJsonBadNumber); };
    if (t_[i_] == '-') ++i_;
    if (i_ == n_ || !IsDigit(t_[i_])) return bad();
    const size_t int_begin = i_;
    if (t_[i_] == '0') {
      ++i_;
      if (i_ < n_ && IsDigit(t_[i_])) return Error(at, Msg::kJsonLeadingZero);
    } else {
      while (i_ < n_ && IsDigit(t_[i_])) ++i_;
    }
    const size_t int_digits = i_ - int_begin;
    bool fraction = false;
    if (i_ < n_ && t_[i_] == '.') {
      ++i_;
      if (i_ == n_ || !IsDigit(t_[i_])) return bad();
      while (i_ < n_ && IsDigit(t_[i_])) ++i_;
      fraction = true;
    }
    if (i_ < n_ && (t_[i_] == 'e' || t_[i_] == 'E')) {
      ++i_;
      if (i_ < n_ && (t_[i_] == '+' || t_[i_] == '-')) ++i_;
      if (i_ == n_ || !IsDigit(t_[i_])) return bad();
      while (i_ < n_ && IsDigit(t_[i_])) ++i_;
      fraction = true;
    }
    const size_t size = i_ - at;
    bool wide = false;
    if (!fraction) {
      wide = int_digits >= 19;  // Int64 holds every 18-digit number; Poco wraps some longer ones around
    } else if (size > 40) {
      wide = true;
    } else {
      std::string literal(t_.substr(at, size));
      errno = 0;
      double d = std::strtod(literal.c_str(), nullptr);
      wide = std::isinf(d);  // Poco refuses 1e400 as "not a valid floating-point number"
    }
    if (wide) out_.wide_numbers.emplace_back(at, size);
    return true;
  }

  std::string_view t_;
  size_t n_;
  size_t i_ = 0;
  JsonScan out_;
};

}  // namespace

JsonScan ScanJson(std::string_view text) { return Scan(text).Run(); }

std::string WidenNumbers(std::string_view text, const std::vector<std::pair<size_t, size_t>>& wide_numbers) {
  std::string out;
  out.reserve(text.size() + 16 * wide_numbers.size());
  size_t from = 0;
  for (const auto& [begin, size] : wide_numbers) {
    out.append(text.substr(from, begin - from));
    std::string literal(text.substr(begin, size));
    double d = std::strtod(literal.c_str(), nullptr);
    if (std::isinf(d)) d = d > 0 ? 1.7976931348623157e308 : -1.7976931348623157e308;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", d);
    out += buf;
    if (std::string_view(buf).find_first_of(".e") == std::string_view::npos) out += ".0";  // stays a double
    from = begin + size;
  }
  out.append(text.substr(from));
  return out;
}

void LineCounter::Feed(std::string_view piece) {
  if (!fed_ && piece.size() >= 3 && piece.compare(0, 3, "\xEF\xBB\xBF") == 0) piece.remove_prefix(3);  // a BOM
  fed_ = true;
  for (char ch : piece) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '\n') {
      ++at_.line;
      at_.column = 1;
    } else if ((c & 0xC0) != 0x80) {  // a continuation byte belongs to the character before it
      ++at_.column;
    }
  }
}

LineColumn LineColumnAt(std::string_view text, size_t offset) {
  LineCounter counter;
  counter.Feed(text.substr(0, offset));
  return counter.at();
}

std::string FormatLineColumn(const LineColumn& at) {
  return "line " + std::to_string(at.line) + ", column " + std::to_string(at.column);
}

MessageArg LineColumnArg(const LineColumn& at) {
  return MessageArg(FormatLineColumn(at),
                    "第 " + std::to_string(at.line) + " 行第 " + std::to_string(at.column) + " 列");
}

}  // namespace zhiping
