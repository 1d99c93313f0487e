// common/utf8_sequence.h — the one rule for a well-formed UTF-8 sequence, shared by the strict JSON scan
// (common/json_scan.h) and the fast element parser (common/json_sax.h), which must refuse exactly the same bytes,
// and by the roster writer's check of every cell (xlsx/roster.cpp). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace zhiping {

// The length of the well-formed UTF-8 sequence at text[at] (1 for ASCII; no overlong forms, surrogates or values
// past U+10FFFF), or 0 when there is none. Requires at < text.size().
size_t WellFormedUtf8Length(std::string_view text, size_t at);

// Whether all of `text` is well-formed UTF-8 (the rule above; the same answer as DecodeUtf8 in common/utf8.h) —
// without decoding it: ASCII is passed eight bytes at a time, so a mostly-ASCII or short text costs a few loads.
bool IsWellFormedUtf8(std::string_view text);

}  // namespace zhiping
