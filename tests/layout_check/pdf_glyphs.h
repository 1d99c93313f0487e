// tests/layout_check/pdf_glyphs.h — every glyph and every ruled line of a PDF, read back from the file, for the
// layout checker (rules.h). Test code only: it reads PDFs this project writes (libharu: one Tj per run of equally
// spaced glyphs, rules as m/l/S) and any other simple PDF well enough to check a layout.
//
// Where the numbers come from:
//  - glyphs: poppler-cpp's text_list() (poppler's TextOutputDev), one entry per character with its character, font
//    name and size. The box is poppler's glyph box: the advance width across, the font's ascent to descent
//    vertically. That is the "ink box" the rules use; it is a little larger than the true outline of most Han
//    glyphs and never smaller, so "no ink outside X" is checked conservatively (never misses real ink, may flag a
//    glyph whose advance box — not its outline — crosses a rule; tolerances in rules.h allow for the side bearings).
//    One exception: CJK punctuation (layout::IsCjkPunctuation) is narrowed to its inked half — the left half of
//    a closing or pause mark (。，：）), the right half of an opening one (（《) — since its blank half is what the
//    composer compresses or lets hang at a line end.
//  - fill colour, horizontal scaling (Tz), the exact size and the baseline: from the page content streams parsed
//    with PoDoFo (already a dependency of src/sign): each text-showing operator's starting point, size, colour and
//    Tz. A glyph takes them from the show operator on its baseline that starts at or left of it, nearest.
//  - rules: every stroked segment of the content streams (m/l/re then S/s/b/B), in page space (cm applied), and
//    filled rectangles (re then f) as four segments when they are thin (≤ 2 pt: a drawn line).
// Coordinates: PDF points, origin bottom-left, y upwards (as layout/geometry.h).
// Errors: ReadPdf throws std::runtime_error for bytes poppler or PoDoFo cannot open. Not thread-safe (PoDoFo).
#pragma once

#include <string>
#include <vector>

namespace zhiping::layout_check {

struct Rgb {
  double r = 0, g = 0, b = 0;
  bool IsRed() const { return r > 0.5 && g < 0.35 && b < 0.35; }
};

struct Glyph {
  char32_t cp = 0;
  std::string font;         // as poppler names it (subset prefix included)
  double size = 0;          // font size in points (Tf size × text matrix scale; without Tz)
  double hscale = 1;        // horizontal scaling (Tz / 100) × the text matrix's x/y ratio: < 1 is narrowed glyphs
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // ink box (x0 < x1, y0 < y1): see above
  double adv_x0 = 0, adv_x1 = 0;          // the advance box across (poppler's box): gaps are measured between these
  double baseline = 0;      // from the show operator; poppler's box bottom + 0.12 em when none matched
  Rgb fill;                 // fill colour of the show operator (black when none matched)
  int line = -1;            // index into Page::lines once GroupLines has run
};

struct Segment {  // a stroked straight line
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  double width = 0;
  Rgb color;
  bool Horizontal() const { return y1 == y2 || (y2 - y1 < 0.01 && y1 - y2 < 0.01); }
  bool Vertical() const { return x1 == x2 || (x2 - x1 < 0.01 && x1 - x2 < 0.01); }
};

struct ImageBox {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

// Glyphs of one line: the same baseline (±0.6 pt) and size (±0.3 pt), joined left to right while the gap between
// neighbours is less than 3 em; glyphs in different ruled cells (a vertical rule between them) are never joined.
struct Line {
  std::vector<int> glyphs;  // indices into Page::glyphs, left to right
  double baseline = 0, size = 0;
  double x0 = 0, x1 = 0;
  std::u32string Text(const std::vector<Glyph>& all) const;
};

struct Page {
  int index = 0;  // 0-based
  double width = 0, height = 0;
  std::vector<Glyph> glyphs;
  std::vector<Segment> rules;
  std::vector<ImageBox> images;
  std::vector<Line> lines;  // filled by ReadPdf
};

struct Document {
  std::vector<Page> pages;
};

Document ReadPdf(const std::string& bytes);
Document ReadPdfFile(const std::string& path);

std::string Utf8(const std::u32string& s);
std::string Utf8(char32_t cp);

}  // namespace zhiping::layout_check
