// pdf/cid_font.h — the parts of an embedded Type0/CIDFontType2 font (Identity-H) that every writer of zhiping's PDFs
// needs the same way: the subset font program, a CIDToGIDMap covering only the codes used, widths, and a correct
// ToUnicode CMap. The page writer (pdf_writer.cpp, libharu) uses them for the page fonts; the signing step
// (sign/pdf_signature.cpp, PoDoFo) builds the visible signature's font from them.
//
// Codes are FontFace::PdfCode of each character (the character itself in the BMP, its private-use alias beyond),
// two bytes each in the content stream. Pure functions; thread-safe; kFont errors of the subsetter pass through.
#pragma once

#include <map>
#include <string>

#include "fonts/subset.h"

namespace zhiping::fonts {
class FontFace;
}

namespace zhiping::pdf {

// code drawn -> the real character it stands for.
using UsedCodes = std::map<char32_t, char32_t>;

// <code> <UTF-16BE of the real character> for exactly the codes used (poppler accepts it; libharu's does not).
std::string ToUnicodeCMap(const UsedCodes& used);

// The subset of `face` holding the glyphs of `used`, and the CIDToGIDMap (2 bytes a code, 0 … max code) into it.
struct EmbeddedGlyphs {
  fonts::FontSubset subset;
  std::string cid_to_gid;
};
EmbeddedGlyphs EmbedGlyphs(const fonts::FontFace& face, const UsedCodes& used);

// The text's codes as a PDF hex string "<4E2D6587>", recording each in `used`.
std::string HexCodes(const fonts::FontFace& face, const std::u32string& text, UsedCodes* used);

// Each used code's advance in 1/1000 em (the embedded glyph's own width, rounded: what /W must say).
std::map<char32_t, int> Widths(const fonts::FontFace& face, const UsedCodes& used);

}  // namespace zhiping::pdf
