// layout/text_prep.h — the one place where text from the data is made ready for composition.
//
// Every string the composer sets (ComposeParagraph, MeasureText) passes through PrepareText first, so the rules
// hold for body text, titles, tables, forms and signatures alike:
//   - line ends: "\r\n" and a lone "\r" become "\n" (ComposeParagraph starts a new paragraph at each "\n");
//   - ASCII brackets beside Han text become full-width (GB/T 15834 4.5; clreq §3.1): a pair "(" ")" / "[" "]" /
//     "{" "}" of which either bracket touches a wide character (Han, kana, CJK marks) on either side is replaced by
//     （）［］｛｝, and the ASCII spaces right outside and inside such a pair go (the full-width bracket carries its
//     own blank half). "标准 (试行)》" → "标准（试行）》". Brackets inside Latin text ("f(x)", "Tel (86)") stay.
//     An unpaired bracket is converted when it touches a wide character itself.
// Pure function; thread-safe; linear in the length of the text.
#pragma once

#include <string>

namespace zhiping::layout {

std::u32string PrepareText(const std::u32string& text);

}  // namespace zhiping::layout
