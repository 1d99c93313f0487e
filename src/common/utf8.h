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
// "U+20BB7 (𠮷)" — how a character is named in error messages. The character itself is shown only when it is
// visible on its own (not IsInvisible, not a combining mark): "U+202E" alone for a direction override.
std::string DescribeCodePoint(char32_t cp);

// Characters that print nothing, or change how their neighbours print, by Unicode's general rules (ICU): controls
// (Cc), format characters (Cf: zero-width spaces and joiners, direction marks, embeddings, overrides and isolates,
// the BOM), line and paragraph separators (Zl, Zp), and every Default_Ignorable_Code_Point (the Hangul fillers
// U+115F, U+1160, U+3164, U+FFA0, variation selectors, tags). Names and texts must not hold them.
bool IsInvisible(char32_t cp);
// What kind of invisible character `cp` is, for a message: "a control character", "a text direction control", ...
std::string InvisibleKind(char32_t cp);
std::string InvisibleKindZh(char32_t cp);  // the same in Chinese: "控制字符", "文字方向控制符", ...
// Combining marks (Mn, Mc, Me): fine after a letter, meaningless at the start of a text or after a blank.
bool IsCombiningMark(char32_t cp);
// Unicode White_Space (U+0020, U+3000 ideographic space, U+00A0, ...).
bool IsBlankCharacter(char32_t cp);
// The three above answered only by ICU's property tables. The functions above answer ASCII and the CJK ideographs
// (U+3400–U+9FFF, nearly every character of a Chinese body) without them; tests compare the two.
bool IsInvisibleByTables(char32_t cp);
bool IsCombiningMarkByTables(char32_t cp);
bool IsBlankCharacterByTables(char32_t cp);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD (one per bad byte), everything else kept as it is:
// what a JSON writer needs before it escapes (a log line's path holds whatever bytes a client sent).
std::string ValidUtf8(std::string_view text);

// Text that is safe to show in a message or a JSON answer: invalid UTF-8 becomes U+FFFD, and invisible characters
// (IsInvisible, line breaks included) are written as escapes ("\u202E", "\n"), so a message is one visible line
// of valid UTF-8 whatever the input held.
std::string SanitizeText(std::string_view text);

}  // namespace zhiping
