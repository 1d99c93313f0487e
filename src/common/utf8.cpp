#include "common/utf8.h"

#include <unicode/uchar.h>

#include <cstdio>

namespace zhiping {

bool DecodeUtf8(std::string_view in, std::u32string* out, size_t* bad_offset) {
  size_t i = 0;
  const size_t n = in.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    char32_t cp;
    int len;
    if (c < 0x80) { cp = c; len = 1; }
    else if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; len = 2; }
    else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; len = 3; }
    else if ((c & 0xF8) == 0xF0) { cp = c & 0x07; len = 4; }
    else { if (bad_offset) *bad_offset = i; return false; }
    if (i + len > n) { if (bad_offset) *bad_offset = i; return false; }
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(in[i + k]);
      if ((cc & 0xC0) != 0x80) { if (bad_offset) *bad_offset = i; return false; }
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF: they are never valid text.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    out->push_back(cp);
    i += len;
  }
  return true;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string EncodeUtf8(std::u32string_view in) {
  std::string out;
  out.reserve(in.size() * 3);
  for (char32_t cp : in) AppendUtf8(cp, &out);
  return out;
}

std::string DescribeCodePoint(char32_t cp) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  std::string s(buf);
  if (!IsInvisible(cp) && !IsCombiningMark(cp) && !IsBlankCharacter(cp)) {
    s += " (";
    AppendUtf8(cp, &s);
    s += ")";
  }
  return s;
}

// U+3400–U+9FFF: CJK ideographs (Extension A, the Yijing hexagrams between, the unified block) — letters and
// symbols, never controls, marks or blanks. Nearly every character of a Chinese body is one, and each text of a
// 100,000-row roster passes through the three tests below; this answers them without ICU's property tables.
static bool IsIdeographBlock(char32_t cp) { return cp >= 0x3400 && cp <= 0x9FFF; }

bool IsInvisible(char32_t cp) {
  if (cp < 0x80) return cp < 0x20 || cp == 0x7F;  // the common case, without a table look-up
  if (IsIdeographBlock(cp)) return false;
  return IsInvisibleByTables(cp);
}

bool IsInvisibleByTables(char32_t cp) {
  const UChar32 c = static_cast<UChar32>(cp);
  switch (u_charType(c)) {
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
      return true;
    default:
      return u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
  }
}

// The kinds, in the order they are tested, in English and Chinese.
static int InvisibleKindIndex(char32_t cp) {
  const UChar32 c = static_cast<UChar32>(cp);
  if (cp < 0x80 || u_charType(c) == U_CONTROL_CHAR) return 0;
  if (u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL)) return 1;
  if (u_charType(c) == U_LINE_SEPARATOR || u_charType(c) == U_PARAGRAPH_SEPARATOR) return 2;
  if (u_hasBinaryProperty(c, UCHAR_VARIATION_SELECTOR)) return 3;
  if (u_charType(c) == U_FORMAT_CHAR) return 4;
  return 5;
}

std::string InvisibleKind(char32_t cp) {
  static const char* const kKinds[] = {"a control character", "a text direction control",
                                       "a line or paragraph separator", "a variation selector",
                                       "an invisible format character (zero-width or similar)",
                                       "an invisible filler character"};
  return kKinds[InvisibleKindIndex(cp)];
}

std::string InvisibleKindZh(char32_t cp) {
  static const char* const kKinds[] = {"控制字符", "文字方向控制符", "行或段落分隔符", "变体选择符",
                                       "不可见的格式字符（零宽字符之类）", "不可见的填充字符"};
  return kKinds[InvisibleKindIndex(cp)];
}

bool IsCombiningMark(char32_t cp) { return cp >= 0x300 && !IsIdeographBlock(cp) && IsCombiningMarkByTables(cp); }

bool IsCombiningMarkByTables(char32_t cp) {
  const int8_t type = u_charType(static_cast<UChar32>(cp));
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK;
}

bool IsBlankCharacter(char32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
  return !IsIdeographBlock(cp) && IsBlankCharacterByTables(cp);
}

bool IsBlankCharacterByTables(char32_t cp) { return u_isUWhiteSpace(static_cast<UChar32>(cp)); }

namespace {

// Decodes the sequence at text[*i] and moves past it; an invalid one is a single U+FFFD for its first byte, and
// decoding resumes after that byte.
char32_t NextCodePoint(std::string_view text, size_t* i) {
  std::u32string one;
  size_t len = 1;
  const unsigned char c = static_cast<unsigned char>(text[*i]);
  if (c >= 0xC0) len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  if (*i + len > text.size() || !DecodeUtf8(text.substr(*i, len), &one) || one.size() != 1) {
    ++*i;
    return 0xFFFD;
  }
  *i += len;
  return one[0];
}

}  // namespace

std::string ValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) AppendUtf8(NextCodePoint(text, &i), &out);
  return out;
}

std::string SanitizeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const char32_t cp = NextCodePoint(text, &i);
    if (!IsInvisible(cp)) {
      AppendUtf8(cp, &out);
      continue;
    }
    char buf[16];
    if (cp == '\n') std::snprintf(buf, sizeof buf, "\\n");
    else if (cp == '\t') std::snprintf(buf, sizeof buf, "\\t");
    else if (cp == '\r') std::snprintf(buf, sizeof buf, "\\r");
    else if (cp <= 0xFFFF) std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
    else std::snprintf(buf, sizeof buf, "\\U%08X", static_cast<unsigned>(cp));
    out += buf;
  }
  return out;
}

}  // namespace zhiping
