#include "layout/icu_breaks.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <memory>

#include "common/error.h"

namespace zhiping::layout {

namespace {

icu::BreakIterator* ThreadIterator(IcuBreakKind kind) {
  thread_local std::unique_ptr<icu::BreakIterator> line, word;
  std::unique_ptr<icu::BreakIterator>& it = kind == IcuBreakKind::kLineStrict ? line : word;
  if (!it) {
    UErrorCode status = U_ZERO_ERROR;
    if (kind == IcuBreakKind::kLineStrict)
      it.reset(icu::BreakIterator::createLineInstance(icu::Locale("zh@lb=strict"), status));
    else
      it.reset(icu::BreakIterator::createWordInstance(icu::Locale("zh"), status));
    if (U_FAILURE(status) || !it) throw Error(ErrorKind::kInternal, "ICU break iterator unavailable");
  }
  return it.get();
}

}  // namespace

std::vector<size_t> IcuBoundaries(IcuBreakKind kind, const std::u32string& text) {
  std::vector<size_t> out;
  const size_t n = text.size();
  if (n == 0) return out;
  // ICU works in UTF-16: remember which UTF-16 offset starts which code point.
  icu::UnicodeString u16;
  std::vector<size_t> cp_at_u16;
  for (size_t i = 0; i < n; ++i) {
    int32_t before = u16.length();
    u16.append(static_cast<UChar32>(text[i]));
    for (int32_t k = before; k < u16.length(); ++k) cp_at_u16.push_back(i);
  }
  cp_at_u16.push_back(n);
  icu::BreakIterator* it = ThreadIterator(kind);
  it->setText(u16);
  for (int32_t b = it->next(); b != icu::BreakIterator::DONE; b = it->next()) out.push_back(cp_at_u16[b]);
  return out;
}

}  // namespace zhiping::layout
