// fonts/subset.h — a TrueType font holding only the glyphs a document uses, renumbered 1..n.
//
// Why our own subsetter: libharu's keeps every glyph slot — full-size loca, hmtx and cmap tables (250 KB for a CJK
// face) — plus a 128 KiB CIDToGIDMap in every document, and compressing those was most of the cost of writing a
// one-page letter. Here the subset's tables are as small as its glyph count, and the PDF writer pairs it with a
// CIDToGIDMap that covers only the codes used. Composite glyphs bring their components along.
//
// PDF finds a subset's glyphs through the CIDToGIDMap; OFD readers (ofd/ofd_writer.h) look them up by character,
// through the font's own cmap: `unicode` gives the subset a real cmap of those characters.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace zhiping::fonts {

struct FontSubset {
  std::string ttf;                    // the subset font program (FontFile2)
  std::map<uint16_t, uint16_t> gids;  // original glyph id -> glyph id in the subset (0 stays 0)
  // Where each kept glyph's bytes lie in `ttf` (its 4-byte padding included), in file order. A glyph that is not
  // `renumbered` is byte for byte the original font's glyph: the same bytes in every subset, which lets a writer
  // compress it once (pdf/font_program.h). A composite's component ids are renumbered per subset.
  struct GlyphBytes {
    uint16_t original = 0;
    uint32_t offset = 0, length = 0;
    bool renumbered = false;
  };
  std::vector<GlyphBytes> glyphs;
};

// `font` is a whole standalone TrueType file (a prepared font); `glyphs` the original glyph ids used. `unicode`
// (optional: character -> original glyph id, each glyph also in `glyphs`) becomes the subset's cmap, mapping each
// character to the glyph's new id (format 4 for the BMP; with any character beyond it also format 12); without it the
// cmap maps nothing. Throws zhiping::Error kFont on a malformed font.
FontSubset SubsetTrueType(const char* font, size_t size, const std::vector<uint16_t>& glyphs,
                          const std::map<char32_t, uint16_t>* unicode = nullptr);

}  // namespace zhiping::fonts
