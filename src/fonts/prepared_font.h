// fonts/prepared_font.h — a configured font, made ready for libharu once and cached on disk.
//
// Why: libharu maps all 65,536 BMP code points through a font's format-4 cmap with a linear segment scan every time
// a font is used in a document (35 ms for AR PL SungtiL GB), and it cannot encode code points beyond the BMP at all
// (𠮷 silently vanishes). The prepared copy fixes both:
//   - its only cmap is a format-4 subtable with as few segments as fit in 64 KiB (same glyphs, fewer segments);
//   - every glyph mapped from outside the BMP is also mapped from a private-use code point U+E000..U+F8FF (an
//     "alias"); the layout draws the alias and the PDF writer's ToUnicode map restores the real character;
//   - tables libharu never embeds (bitmaps, OpenType layout) are dropped and `post` loses its glyph names, so the
//     file is smaller and what libharu embeds compresses faster;
//   - its PostScript name gets "-" and the first 6 hex digits of the source's digest ("SungtiLGB-3f9a1c"). libharu
//     keeps one font per PostScript name in a document and silently hands back the first for a second file of the
//     same name (two versions of one face, two vendors' "FangSong"), drawing the second with the first's glyphs.
//     The suffix keeps them apart, and the PDF's font names say which font file drew a document.
// The cache file name is the SHA-256 of the source bytes (+ face index + preparation version): changing the source
// font, or this code, makes a new entry; a stat memo avoids re-hashing unchanged files at every start.
#pragma once

#include <map>
#include <string>

namespace zhiping::fonts {

struct FontSource {
  std::string path;    // resolved absolute path of a .ttf or .ttc
  unsigned index = 0;  // face within a .ttc
  std::string Describe() const { return index ? path + "#" + std::to_string(index) : path; }
};

struct PreparedFont {
  FontSource source;
  std::string ttf_path;                   // the prepared standalone .ttf in the cache
  std::string digest;                     // source digest (hex), the cache key
  std::map<char32_t, char32_t> aliases;   // non-BMP code point -> private-use BMP code point
  size_t cmap_segments = 0;
  bool from_cache = false;                // true when nothing had to be prepared now
};

// Prepares `source` into `cache_dir` (created if needed) or returns the cached result. Thread- and process-safe:
// files are written to a temp name and renamed. Throws zhiping::Error kFont naming the font on any failure.
PreparedFont PrepareFont(const FontSource& source, const std::string& cache_dir);

}  // namespace zhiping::fonts
