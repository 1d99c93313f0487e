#include "pdf/cid_font.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <vector>

#include "fonts/font_face.h"

namespace zhiping::pdf {
namespace {

void AppendHex4(std::string* out, unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04X", v & 0xFFFF);
  *out += buf;
}

}  // namespace

std::string ToUnicodeCMap(const UsedCodes& used) {
  std::string s =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  auto it = used.begin();
  while (it != used.end()) {
    size_t chunk = 0;
    std::string body;
    for (; it != used.end() && chunk < 100; ++it, ++chunk) {
      body += "<";
      AppendHex4(&body, it->first);
      body += "> <";
      char32_t cp = it->second;
      if (cp >= 0x10000) {
        char32_t v = cp - 0x10000;
        AppendHex4(&body, 0xD800 + (v >> 10));
        AppendHex4(&body, 0xDC00 + (v & 0x3FF));
      } else {
        AppendHex4(&body, cp);
      }
      body += ">\n";
    }
    s += std::to_string(chunk) + " beginbfchar\n" + body + "endbfchar\n";
  }
  s += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  return s;
}

EmbeddedGlyphs EmbedGlyphs(const fonts::FontFace& face, const UsedCodes& used) {
  std::vector<uint16_t> glyphs;
  char32_t max_code = 0;
  for (const auto& [code, cp] : used) {
    glyphs.push_back(face.Glyph(cp));
    max_code = std::max(max_code, code);
  }
  EmbeddedGlyphs out;
  out.subset = fonts::SubsetTrueType(face.data(), face.size(), glyphs);
  out.cid_to_gid.assign(2 * (static_cast<size_t>(max_code) + 1), '\0');
  for (const auto& [code, cp] : used) {
    auto it = out.subset.gids.find(face.Glyph(cp));
    const uint16_t gid = it == out.subset.gids.end() ? 0 : it->second;
    out.cid_to_gid[2 * code] = static_cast<char>(gid >> 8);
    out.cid_to_gid[2 * code + 1] = static_cast<char>(gid & 0xFF);
  }
  return out;
}

std::string HexCodes(const fonts::FontFace& face, const std::u32string& text, UsedCodes* used) {
  std::string hex = "<";
  for (char32_t cp : text) {
    const char32_t code = face.PdfCode(cp);
    (*used)[code] = cp;
    AppendHex4(&hex, code);
  }
  return hex + ">";
}

int WidthInThousandths(const fonts::FontFace& face, char32_t cp) {
  return static_cast<int>(std::lround(face.Advance(cp) * 1000));
}

std::map<char32_t, int> Widths(const fonts::FontFace& face, const UsedCodes& used) {
  std::map<char32_t, int> widths;
  for (const auto& [code, cp] : used) widths[code] = WidthInThousandths(face, cp);
  return widths;
}

DescriptorNumbers DescriptorFor(const fonts::FontFace& face) {
  auto em = [](double v) { return static_cast<int>(std::lround(v * 1000)); };
  DescriptorNumbers n;
  n.ascent = em(face.ascent());
  n.descent = em(face.descent());
  n.cap_height = n.ascent;
  for (int i = 0; i < 4; ++i) n.bbox[i] = em(face.bbox()[i]);
  return n;
}

std::string SubsetFontName(const std::string& tag, const fonts::FontFace& face) {
  std::string stem = face.postscript_name();
  if (stem.empty()) {
    stem = face.prepared().source.path;
    stem = stem.substr(stem.find_last_of('/') + 1);
    stem = stem.substr(0, stem.find('.'));
  }
  std::string name = tag + "+";
  for (char c : stem)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') name += c;
  return name;
}

}  // namespace zhiping::pdf
