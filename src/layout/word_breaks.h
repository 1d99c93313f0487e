// layout/word_breaks.h — where a title, an organ mark or a 署名 may break: between words, in balanced lines.
//
// GB/T 9704 §7.3.1 asks for titles broken at meaning boundaries, in lines shaped as a trapezoid or a diamond. Word
// boundaries come from ICU's word BreakIterator for "zh" (dictionary based). ICU splits a word its dictionary lacks
// into single characters (政|工|师) and leaves particles alone (结果|的|公示), so a boundary next to a one-character
// Han "word" is not a place to break: the character stays with both neighbours (高级政工师, 评审结果的公示). On top of
// this, every rule of line_breaker.h (clreq strict level) still holds.
//
// Pure functions of their arguments; thread-safe (one ICU iterator per thread). Cost: the word split is linear in
// the text; the balancing looks at the word boundaries only (a title has tens of them) and is bounded.
#pragma once

#include <string>
#include <vector>

#include "fonts/font_set.h"
#include "layout/paragraph.h"

namespace zhiping::layout {

// result[i] is true when a line may start at text[i] as far as words go (result[0] is false). Size == text.size().
std::vector<bool> WordBreaks(const std::u32string& text);

// The text split into the fewest lines no wider than `width` (pt, in `style`), breaking only where both
// BreakOpportunities and WordBreaks allow; among the splits with that many lines, the one with the most equal
// line widths that is not an hourglass (a middle line shorter than both neighbours): a trapezoid or a diamond.
// A word wider than `width` on its own is broken by the line rules alone. Never returns an empty line; an empty
// text gives no lines.
std::vector<std::u32string> BalancedLines(const std::u32string& text, const TextStyle& style, double width,
                                          const fonts::FontSet& fonts);

}  // namespace zhiping::layout
