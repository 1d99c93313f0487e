// fonts/subset.h — a TrueType font holding only the glyphs a document uses, renumbered 1..n.
//
// Why our own subsetter: libharu's keeps every glyph slot — full-size loca, hmtx and cmap tables (250 KB for a CJK
// face) — plus a 128 KiB CIDToGIDMap in every document, and compressing those was most of the cost of writing a
// one-page letter. Here the subset's tables are as small as its glyph count, and the PDF writer pairs it with a
// CIDToGIDMap that covers only the codes used. Composite glyphs bring their components along.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace zhiping::fonts {

struct FontSubset {
  std::string ttf;                    // the subset font program (FontFile2)
  std::map<uint16_t, uint16_t> gids;  // original glyph id -> glyph id in the subset (0 stays 0)
};

// `font` is a whole standalone TrueType file (a prepared font); `glyphs` the original glyph ids used.
// Throws zhiping::Error kFont on a malformed font.
FontSubset SubsetTrueType(const char* font, size_t size, const std::vector<uint16_t>& glyphs);

}  // namespace zhiping::fonts
