#include "layout/line_breaker.h"

#include <string_view>

#include "layout/icu_breaks.h"

namespace zhiping::layout {

namespace {

const std::u32string kNoStart =
    U"、。，．：；！？％‰℃°′″）］｝〕】》〉」』〗〙〞’”…‥—～·・／!%),.:;?]}";
const std::u32string kNoEnd = U"（［｛〔【《〈「『〖〘〝‘“$£¥￥＄([{";
const std::u32string kCjkPunct = U"、。，．：；！？）］｝〕】》〉」』〗〙〞’”（［｛〔【《〈「『〖〘〝‘“…—～·・／％";
const std::u32string kClosing = U"、。，．：；！？）］｝〕】》〉」』〗〙〞’”";

bool In(const std::u32string& set, char32_t cp) { return set.find(cp) != std::u32string::npos; }
bool IsDigit(char32_t cp) { return (cp >= '0' && cp <= '9') || (cp >= U'０' && cp <= U'９'); }

bool IsUrlChar(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '@' || c == '.' ||
         c == '/' || c == ':' || c == '-' || c == '_' || c == '~' || c == '%' || c == '?' || c == '=' || c == '&' ||
         c == '#' || c == '+';
}
bool IsUrlBreakAfter(char32_t c) {
  return c == '@' || c == '.' || c == '/' || c == '-' || c == '_' || c == '?' || c == '&' || c == '=' || c == '#';
}

bool StartsWith(const std::u32string& t, size_t at, const std::u32string& prefix) {
  return t.compare(at, prefix.size(), prefix) == 0;
}

// Inside an e-mail address or URL the opportunities are ours alone: after @ . / - _ ? & = # (never before them, never
// between two of them, so "://" and ".." stay whole). A span is a run of URL characters holding "@" followed by a
// ".", or starting with http:// https:// ftp:// www.; trailing sentence marks (". , ; : ?") are not part of it.
void UrlBreaks(const std::u32string& text, std::vector<bool>* can) {
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    if (!IsUrlChar(text[i])) {
      ++i;
      continue;
    }
    size_t e = i;
    while (e < n && IsUrlChar(text[e])) ++e;
    size_t end = e;
    while (end > i && (text[end - 1] == '.' || text[end - 1] == ':' || text[end - 1] == '?' || text[end - 1] == '-'))
      --end;
    const std::u32string_view span(text.data() + i, end - i);
    const size_t at = span.find(U'@');
    const bool email = at != std::u32string_view::npos && at > 0 && span.find(U'.', at) != std::u32string_view::npos;
    const bool url = StartsWith(text, i, U"http://") || StartsWith(text, i, U"https://") ||
                     StartsWith(text, i, U"ftp://") || StartsWith(text, i, U"www.");
    if (email || url)
      for (size_t k = i + 1; k < end; ++k)
        (*can)[k] = IsUrlBreakAfter(text[k - 1]) && !IsUrlBreakAfter(text[k]) && text[k] != ':';
    i = e;
  }
}

}  // namespace

bool IsNoStart(char32_t cp) { return In(kNoStart, cp) || cp == U'…' || cp == U'—'; }
bool IsNoEnd(char32_t cp) { return In(kNoEnd, cp); }
bool IsCjkPunctuation(char32_t cp) { return In(kCjkPunct, cp); }
bool IsClosingOrPause(char32_t cp) { return In(kClosing, cp); }

bool IsWide(char32_t cp) {
  return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF01 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
         (cp >= 0x20000 && cp <= 0x3FFFF) || cp == U'“' || cp == U'”' || cp == U'‘' || cp == U'’' ||
         cp == U'…' || cp == U'—' || cp == U'·' || cp == 0x3000;
}

std::vector<bool> BreakOpportunities(const std::u32string& text) {
  const size_t n = text.size();
  std::vector<bool> can(n, false);
  if (n == 0) return can;
  for (size_t i : IcuBoundaries(IcuBreakKind::kLineStrict, text))
    if (i > 0 && i < n) can[i] = true;
  for (size_t i = 1; i < n; ++i) {
    char32_t prev = text[i - 1], cur = text[i];
    if (IsNoStart(cur) || IsNoEnd(prev)) can[i] = false;
    if (cur == U'／' || prev == U'／' || cur == '/' ) can[i] = false;
    if (IsDigit(prev) && !(cur == ' ' || cur == 0x3000)) can[i] = false;  // 2022年, 86分, 30%
  }
  UrlBreaks(text, &can);
  return can;
}

}  // namespace zhiping::layout
