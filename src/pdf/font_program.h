// pdf/font_program.h — a subset font program (FontFile2) as FlateDecode bytes, most of them compressed only once.
//
// Why: compressing the subset font program was half the time to write a one-page letter (~48 KB of glyph outlines
// for a hundred Han characters, deflated afresh in every letter although the same glyphs recur in every letter).
// A deflate stream may be cut into pieces that each end on a byte boundary (a sync flush) and that never refer back
// across a cut; such pieces can be concatenated. So each glyph's bytes are deflated once per process, standalone, and
// kept; a document's font program is the zlib header, freshly compressed pieces for the tables around and between
// the cached glyphs, the cached glyph pieces in file order, a final block, and the Adler-32 of the whole program.
// The price is size: a glyph compressed alone loses what it shared with its neighbours (~+45% for the glyph data
// of a typical letter, ~12 KB). Readers see an ordinary FlateDecode stream.
//
// Thread-safe (the glyph cache is shared; each caller brings its own Deflater). The cache holds at most kMaxCachedBytes; past that, glyphs are compressed per document (same bytes
// out, only slower). Errors: zhiping::Error kInternal if zlib fails (it does not, short of memory).
#pragma once

#include <cstddef>
#include <string>

#include "fonts/subset.h"
#include "pdf/deflater.h"

namespace zhiping::pdf {

constexpr size_t kMaxCachedBytes = 64u << 20;

// `font_key` names the font the subset was cut from (its prepared file's digest): glyph pieces are kept per font and
// glyph id. `level` is zlib's level for the pieces compressed per document; `deflater` compresses them.
std::string DeflateFontProgram(const std::string& font_key, const fonts::FontSubset& subset, int level,
                               Deflater* deflater);

// Bytes held by the process's glyph cache (for tests and the benchmark).
size_t CachedGlyphBytes();

}  // namespace zhiping::pdf
