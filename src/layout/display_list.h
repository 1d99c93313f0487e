// layout/display_list.h — what the layout hands to the PDF writer: positioned glyphs, rules and images per page.
// Nothing here knows about templates or data; the PDF writer knows nothing about typesetting rules.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "image/decode.h"

namespace zhiping::fonts {
class FontFace;
}

namespace zhiping::layout {

struct Color {
  double r = 0, g = 0, b = 0;
  bool operator==(const Color& o) const { return r == o.r && g == o.g && b == o.b; }
};
constexpr Color kBlack{0, 0, 0};
constexpr Color kRed{0.9, 0, 0};  // 公文 red (版头, separator lines)

struct PlacedGlyph {
  char32_t cp;   // the real character (for ToUnicode); the writer draws face->PdfCode(cp)
  double x;      // left edge of the glyph's advance box
};

// Glyphs of one face, size and colour on one baseline.
struct TextRun {
  const fonts::FontFace* face = nullptr;
  double size = 16;
  double y = 0;          // baseline
  Color color = kBlack;
  double bold = 0;       // emulated weight: stroke width in em (0 = none)
  std::vector<PlacedGlyph> glyphs;
  // Horizontal scaling of the glyphs (PDF Tz; 1 = none): a long organ mark is narrowed, never set smaller. The
  // glyphs' x already include it: glyph k+1 sits at least hscale × advance(k) × size right of glyph k.
  double hscale = 1;
};

struct Rule {
  double x1, y1, x2, y2;
  double width;
  Color color = kBlack;
};

struct ImageBox {
  std::shared_ptr<const image::DecodedImage> image;  // decoded and checked by the image stage, never raw bytes
  double x, y, w, h;  // bottom-left and size
};

struct Page {
  std::vector<TextRun> runs;
  std::vector<Rule> rules;
  std::vector<ImageBox> images;
};

struct SealBox {  // where a seal / visible signature goes (sign/), page index and rectangle
  int page = -1;
  double x = 0, y = 0, w = 0, h = 0;
};

struct LaidOutDocument {
  std::vector<Page> pages;
  std::string title;
  SealBox seal;
  std::vector<SealBox> seals;  // every organ's seal place, in signing order; seal == seals[0]
};

}  // namespace zhiping::layout
