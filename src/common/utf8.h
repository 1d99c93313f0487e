// common/utf8.h — UTF-8 <-> code points. Input text is UTF-8 everywhere; the layout works on code points so that a
// character outside the BMP (𠮷, U+20BB7) is one unit, never two surrogates.
#pragma once

#include <string>
#include <string_view>

namespace zhiping {

// Decodes UTF-8. Returns false (and leaves `out` partial) at the first malformed sequence; `bad_offset` tells where.
bool DecodeUtf8(std::string_view in, std::u32string* out, size_t* bad_offset = nullptr);
void AppendUtf8(char32_t cp, std::string* out);
std::string EncodeUtf8(std::u32string_view in);
// "U+20BB7 (𠮷)" — how a character is named in error messages.
std::string DescribeCodePoint(char32_t cp);

}  // namespace zhiping
