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

// Words of the evaluation's own language that ICU's dictionary lacks (政工师 comes back as 政|工|师, and the
// one-character rule above would then allow no break in 高级政工师 at all): each is one word, and its edges are
// word boundaries. A "|" marks the place where a word too long for its line is best broken (高级|政工师 in a
// three-character table column). The layout checker (tests/layout_check) reads the same list.
const std::vector<std::u32string>& DomainWords();
// A domain word without its "|" marks.
std::u32string PlainWord(const std::u32string& word);

// result[i] is true when a line may start at text[i] as far as words go (result[0] is false). Size == text.size().
// `inside_long_words`: also at the "|" marks of the domain words (for a line too short for the whole word).
std::vector<bool> WordBreaks(const std::u32string& text, bool inside_long_words = false);
// Both of the above from one pass of ICU's iterator (the costly part).
struct WordBreakSets {
  std::vector<bool> words, long_words;
};
WordBreakSets WordBreakSetsOf(const std::u32string& text);

// The text split into the fewest lines no wider than `width` (pt, in `style`), breaking only where both
// BreakOpportunities and WordBreaks allow; among the splits with that many lines, the one with the most equal
// line widths that is not an hourglass (a middle line shorter than both neighbours): a trapezoid or a diamond.
// A word wider than `width` on its own is broken by the line rules alone. Never returns an empty line; an empty
// text gives no lines.
std::vector<std::u32string> BalancedLines(const std::u32string& text, const TextStyle& style, double width,
                                          const fonts::FontSet& fonts);

}  // namespace zhiping::layout
