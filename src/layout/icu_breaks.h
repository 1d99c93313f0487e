// layout/icu_breaks.h — ICU's break iterators over UTF-32 text, for line_breaker (line opportunities) and
// word_breaks (dictionary words).
//
// One iterator of each kind per thread, made on first use (creating one costs far more than using it); thread-safe.
// Throws zhiping::Error kInternal when ICU cannot make the iterator.
#pragma once

#include <string>
#include <vector>

namespace zhiping::layout {

enum class IcuBreakKind {
  kLineStrict,  // UAX #14 line breaks at the strict level, locale "zh@lb=strict"
  kWordZh,      // word boundaries, locale "zh" (dictionary based for Han text)
};

// The boundaries ICU finds in `text`, as code point indices, ascending; 0 is left out, text.size() included.
std::vector<size_t> IcuBoundaries(IcuBreakKind kind, const std::u32string& text);

}  // namespace zhiping::layout
