// common/text_encoding.h — telling a body saved in the wrong encoding from one that is merely broken.
//
// Offices' Windows editors save "ANSI" text as GBK/GB18030. Such a body is not UTF-8; zhiping refuses it (it is
// not read: a guess at an encoding could misread a name) with a sentence telling to save it as UTF-8
// (encoding.gb18030 in the message catalog). Pure functions; thread-safe (iconv descriptors are per call).
#pragma once

#include <cstddef>
#include <string_view>

namespace zhiping {

// True when the bytes around `bad_offset` (where UTF-8 decoding failed) decode as GB18030 without an error:
// a window of at most 4 KiB on each side, cut at ASCII bytes so no multi-byte character is split.
bool LooksLikeGb18030(std::string_view text, size_t bad_offset);

}  // namespace zhiping
