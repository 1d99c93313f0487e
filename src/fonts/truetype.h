// fonts/truetype.h — just enough of the TrueType format to read metrics and coverage and to write a prepared copy.
//
// We read a face (a .ttf, or one face of a .ttc collection) from memory, and write a standalone .ttf whose tables
// we choose. Parsing is defensive: a truncated or hostile font file yields a kFont error, never an out-of-range read.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace zhiping::fonts {

struct TableRecord {
  uint32_t offset = 0;
  uint32_t length = 0;
};

class TrueTypeFace {
 public:
  // `data` (a string, or a mapped file) must outlive the face. `index` selects the face of a collection (ignored
  // for a plain .ttf).
  TrueTypeFace(std::string_view data, unsigned index, const std::string& name_for_errors);

  bool HasTable(const char* tag) const;
  // The raw bytes of a table (copy). Throws kFont if absent.
  std::string Table(const char* tag) const;
  const std::map<std::string, TableRecord>& tables() const { return tables_; }

  // The English name `name_id` of the `name` table (1: family, 6: PostScript name) as UTF-8: a Windows Unicode
  // record (US English preferred), else a Macintosh Roman one read as ASCII; "" when there is none.
  std::string Name(uint16_t name_id) const;

  uint16_t units_per_em() const { return units_per_em_; }
  uint16_t num_glyphs() const { return num_glyphs_; }
  int16_t ascender() const { return ascender_; }
  int16_t descender() const { return descender_; }  // negative below the baseline (hhea)
  // The bounding box of all glyphs (head: xMin, yMin, xMax, yMax), in font units.
  const int16_t* bbox() const { return bbox_; }
  // Advance width of every glyph, in font units.
  const std::vector<uint16_t>& advances() const { return advances_; }
  // Unicode code point -> glyph id for every mapped code point (BMP and beyond), from the best Unicode cmap
  // subtable (format 12 preferred, else format 4).
  const std::map<char32_t, uint16_t>& unicode_map() const { return unicode_map_; }

 private:
  void ParseCmap();
  std::string_view data_;
  std::string name_;
  std::map<std::string, TableRecord> tables_;
  uint16_t units_per_em_ = 1000;
  uint16_t num_glyphs_ = 0;
  int16_t ascender_ = 880;
  int16_t descender_ = -120;
  int16_t bbox_[4] = {0, -120, 1000, 880};
  std::vector<uint16_t> advances_;
  std::map<char32_t, uint16_t> unicode_map_;
};

// A format-4 cmap subtable (platform 3, encoding 1) for `bmp_map` (code point -> glyph, all < U+FFFF).
// kFewestSegments: as few segments as fit in format 4's 64 KiB limit. Few segments matter to the font libharu loads:
// it scans segments linearly for each of the 65,536 BMP code points when a font is used with UTF-8
// (libharu-notes.md, trap 1). kSmallest: only the merges that make the table smaller — for an embedded subset,
// whose bytes every reader, digest and ZIP pays for (a letter's subset of 100 glyphs: a 54 KB cmap the other way).
enum class CmapLayout { kFewestSegments, kSmallest };
std::string BuildCompactCmap(const std::map<char32_t, uint16_t>& bmp_map, size_t* segment_count = nullptr,
                             CmapLayout layout = CmapLayout::kFewestSegments);

// A whole cmap table for `map` (code point -> glyph), as small as it can be (an embedded subset's): a format-4
// subtable (3,1) for the BMP part (BuildCompactCmap, kSmallest), and when any code point lies beyond the BMP also a
// format-12 subtable (3,10) of all of them.
std::string BuildUnicodeCmap(const std::map<char32_t, uint16_t>& map);

// A standalone TrueType file from `tables` (tag -> bytes). Computes checksums, aligns tables, and fixes
// head.checkSumAdjustment. `offsets` (optional) receives where each table starts in the file.
std::string WriteTrueType(const std::map<std::string, std::string>& tables,
                          std::map<std::string, uint32_t>* offsets = nullptr);

}  // namespace zhiping::fonts
