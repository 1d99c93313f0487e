// fonts/font_face.h — one prepared font as the layout sees it: which characters it has and how wide they are.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fonts/prepared_font.h"

namespace zhiping::fonts {

class FontFace {
 public:
  // Reads metrics and coverage from the prepared file. Throws kFont.
  explicit FontFace(const PreparedFont& prepared);
  ~FontFace();
  FontFace(const FontFace&) = delete;
  FontFace& operator=(const FontFace&) = delete;

  bool Has(char32_t cp) const { return GlyphFor(cp) != 0; }
  // Advance width as a fraction of the font size (1.0 = one em).
  double Advance(char32_t cp) const;
  // The code point the PDF writer draws: `cp` itself in the BMP, its private-use alias beyond it.
  char32_t PdfCode(char32_t cp) const;
  // Glyph id of `cp` in the prepared font (0 = none).
  uint16_t Glyph(char32_t cp) const { return GlyphFor(cp); }
  // The prepared font file, mapped read-only (shared page cache; the subsetter reads glyphs from it).
  const char* data() const { return data_; }
  size_t size() const { return size_; }
  double ascent() const { return ascent_; }    // fraction of the font size, positive
  double descent() const { return descent_; }  // fraction of the font size, negative below the baseline
  // The bounding box of all glyphs (x min, y min, x max, y max) as fractions of the font size.
  const double* bbox() const { return bbox_; }
  // The prepared font's family ("AR PL SungtiL GB") and PostScript name ("gbsn00lp-fd8fdd"); "" when it has none.
  const std::string& family() const { return family_; }
  const std::string& postscript_name() const { return postscript_name_; }

  const PreparedFont& prepared() const { return prepared_; }
  const std::string& file() const { return prepared_.ttf_path; }
  const std::string& digest() const { return prepared_.digest; }

 private:
  uint16_t GlyphFor(char32_t cp) const;
  PreparedFont prepared_;
  std::vector<uint16_t> bmp_glyphs_;  // 65,536 entries: code point -> glyph (0 = none)
  std::vector<uint16_t> advances_;
  double units_per_em_ = 1000, ascent_ = 0.88, descent_ = -0.12;
  double bbox_[4] = {0, -0.12, 1, 0.88};
  std::string family_, postscript_name_;
  const char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace zhiping::fonts
