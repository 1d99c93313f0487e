// layout/line_breaker.h — where a line may break, by UAX #14 at ICU's strict level plus the clreq rules ICU lacks.
//
// ICU's BreakIterator with locale "zh@lb=strict" gives the opportunities; on top of it we forbid what the strict
// rules of W3C clreq / GB/T 15834 forbid and UAX #14 allows: a break before "——" or "……" (they never start a line
// and never split), on either side of "／", and between a number and the unit or sign that follows it ("2022年",
// "86分", "30%"). Inside an e-mail address or URL a line may break after "@", ".", "/", "-", "_", "?", "&", "=", "#"
// (never before them), so a long address need not stretch the line before it.
#pragma once

#include <string>
#include <vector>

namespace zhiping::layout {

// result[i] is true when a line may start at text[i] (result[0] is false). Size == text.size().
std::vector<bool> BreakOpportunities(const std::u32string& text);

// Character classes used by the composer.
bool IsNoStart(char32_t cp);  // must not start a line
bool IsNoEnd(char32_t cp);    // must not end a line
bool IsCjkPunctuation(char32_t cp);  // full-width mark whose advance is 1 em with a compressible half
bool IsClosingOrPause(char32_t cp);  // blank half on the right (。，、；：！？ and closing brackets)
bool IsWide(char32_t cp);            // set on the Han grid (ideographs, kana, full-width forms, CJK marks)

}  // namespace zhiping::layout
