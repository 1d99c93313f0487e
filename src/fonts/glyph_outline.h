// fonts/glyph_outline.h — a glyph's outline as polygons, for drawing text into pixels (the development seal picture,
// sign/dev_seal_picture.h) without a rasteriser library.
//
// Reads the 'glyf' outline of a prepared face's glyph (simple glyphs; composite glyphs with x/y offsets and a
// scale, which is what CJK faces use), flattens the quadratic curves into short segments and returns closed
// contours in pixel coordinates: origin at the glyph's left edge on the baseline (`x`, `baseline`), y downwards,
// `size` pixels to the em. Contour direction is kept as in the font (fill with the non-zero rule).
// Pure; thread-safe. Throws zhiping::Error kFont for a malformed glyph; a character the face lacks is an empty list.
#pragma once

#include <vector>

namespace zhiping::fonts {

class FontFace;

struct Point {
  double x, y;
};
using Contour = std::vector<Point>;

std::vector<Contour> GlyphOutline(const FontFace& face, char32_t cp, double size, double x, double baseline);

}  // namespace zhiping::fonts
