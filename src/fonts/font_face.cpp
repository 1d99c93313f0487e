#include "fonts/font_face.h"

#include "common/json.h"
#include "fonts/truetype.h"

namespace zhiping::fonts {

FontFace::FontFace(const PreparedFont& prepared) : prepared_(prepared), bmp_glyphs_(65536, 0) {
  std::string data = ReadFile(prepared.ttf_path);
  TrueTypeFace face(data, 0, prepared.source.Describe());
  for (const auto& [cp, gid] : face.unicode_map())
    if (cp < 0x10000) bmp_glyphs_[cp] = gid;
  advances_ = face.advances();
  units_per_em_ = face.units_per_em();
  ascent_ = face.ascender() / units_per_em_;
  descent_ = -face.descender() / units_per_em_;
}

uint16_t FontFace::GlyphFor(char32_t cp) const {
  if (cp >= 0xE000 && cp <= 0xF8FF) return 0;  // private-use input is never text we can vouch for
  char32_t code = PdfCode(cp);
  return code < 0x10000 ? bmp_glyphs_[code] : 0;
}

char32_t FontFace::PdfCode(char32_t cp) const {
  if (cp < 0x10000) return cp;
  auto it = prepared_.aliases.find(cp);
  return it == prepared_.aliases.end() ? cp : it->second;
}

double FontFace::Advance(char32_t cp) const {
  uint16_t g = GlyphFor(cp);
  if (g >= advances_.size()) return 1.0;
  return advances_[g] / units_per_em_;
}

}  // namespace zhiping::fonts
