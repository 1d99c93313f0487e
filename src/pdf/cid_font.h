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

// The advance of `cp` in 1/1000 em (the glyph's own width, rounded: what /W must say).
int WidthInThousandths(const fonts::FontFace& face, char32_t cp);
// Each used code's WidthInThousandths.
std::map<char32_t, int> Widths(const fonts::FontFace& face, const UsedCodes& used);

// The FontDescriptor's numbers for `face` (PDF 32000 §9.8), in 1/1000 em, from the font's own hhea and head tables.
// Flags is 4 (symbolic): the glyphs are reached through the CIDToGIDMap, never through a standard encoding.
struct DescriptorNumbers {
  int ascent = 880, descent = -120, cap_height = 880;
  int bbox[4] = {0, -120, 1000, 880};
  int flags = 4, italic_angle = 0, stem_v = 80;
};
DescriptorNumbers DescriptorFor(const fonts::FontFace& face);

// A subset font's name: the six-letter tag (§9.6.4) + "+" + the face's PostScript name, kept to the characters a
// PDF name carries without escapes.
std::string SubsetFontName(const std::string& tag, const fonts::FontFace& face);

}  // namespace zhiping::pdf
