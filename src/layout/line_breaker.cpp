#include "layout/line_breaker.h"

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
  return can;
}

}  // namespace zhiping::layout
