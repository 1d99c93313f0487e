#include "sign/dev_seal_picture.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "common/error.h"
#include "fonts/font_face.h"
#include "fonts/font_set.h"
#include "fonts/glyph_outline.h"
#include "image/png_encoder.h"

namespace zhiping::sign {
namespace {

using fonts::Contour;
using fonts::Point;

constexpr int kSamples = 4;  // sub-scanlines a pixel, and sub-steps across

// Coverage (0…1 a pixel) of `contours` filled with the non-zero winding rule.
std::vector<float> Fill(const std::vector<Contour>& contours, int size) {
  std::vector<float> cover(static_cast<size_t>(size) * size, 0.f);
  std::vector<std::pair<double, int>> crossings;
  for (int row = 0; row < size; ++row) {
    for (int s = 0; s < kSamples; ++s) {
      const double y = row + (s + 0.5) / kSamples;
      crossings.clear();
      for (const Contour& c : contours) {
        for (size_t i = 0; i < c.size(); ++i) {
          const Point& a = c[i];
          const Point& b = c[(i + 1) % c.size()];
          if ((a.y <= y) == (b.y <= y)) continue;
          const double x = a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y);
          crossings.push_back({x, b.y > a.y ? 1 : -1});
        }
      }
      std::sort(crossings.begin(), crossings.end());
      int winding = 0;
      for (size_t i = 0; i + 1 < crossings.size(); ++i) {
        winding += crossings[i].second;
        if (winding == 0) continue;
        // Span [x0, x1) is inside: add its horizontal coverage, pixel by pixel.
        const double x0 = std::max(0.0, crossings[i].first), x1 = std::min<double>(size, crossings[i + 1].first);
        for (int px = static_cast<int>(x0); px < x1 && px < size; ++px) {
          const double part = std::min<double>(px + 1, x1) - std::max<double>(px, x0);
          if (part > 0) cover[static_cast<size_t>(row) * size + px] += static_cast<float>(part / kSamples);
        }
      }
    }
  }
  for (float& c : cover) c = std::min(c, 1.f);
  return cover;
}

Contour Circle(double cx, double cy, double r, bool clockwise) {
  Contour c;
  const int n = 256;
  for (int i = 0; i < n; ++i) {
    const double t = (clockwise ? -1 : 1) * 2 * M_PI * i / n;
    c.push_back({cx + r * std::cos(t), cy + r * std::sin(t)});
  }
  return c;
}

Contour Star(double cx, double cy, double r) {
  Contour c;
  const double inner = r * 0.382;  // a regular pentagram's inner radius
  for (int i = 0; i < 10; ++i) {
    const double t = -M_PI / 2 + i * M_PI / 5, rr = i % 2 ? inner : r;
    c.push_back({cx + rr * std::cos(t), cy + rr * std::sin(t)});
  }
  return c;
}

// `text` centred on `cx`, its glyphs `size` pixels to the em, baseline at `baseline`, `gap` em between glyphs.
void Text(const fonts::FontFace& face, const std::u32string& text, double size, double cx, double baseline,
          double gap, std::vector<Contour>* out) {
  double width = 0;
  for (char32_t cp : text) width += (face.Advance(cp) + gap) * size;
  width -= gap * size;
  double x = cx - width / 2;
  for (char32_t cp : text) {
    if (cp != U' ' && !face.Has(cp))
      throw Error(ErrorKind::kFont, "the development seal's face has no glyph for U+" + std::to_string(cp));
    for (Contour& c : fonts::GlyphOutline(face, cp, size, x, baseline)) out->push_back(std::move(c));
    x += (face.Advance(cp) + gap) * size;
  }
}

}  // namespace

std::string DrawDevelopmentSealPng(const fonts::FontFace& face, int d) {
  if (d < 64 || d > 2048) throw Error(ErrorKind::kInternal, "development seal size out of range");
  const double c = d / 2.0;
  // The ring: outer circle one way, inner the other, so the non-zero rule leaves the inside empty.
  const std::vector<float> ring = Fill({Circle(c, c, d * 0.48, false), Circle(c, c, d * 0.44, true)}, d);
  const std::vector<float> star = Fill({Star(c, d * 0.34, d * 0.13)}, d);
  std::vector<Contour> big, small;
  Text(face, U"样章", d * 0.22, c, d * 0.70, 0.08, &big);
  Text(face, U"开发用 非正式", d * 0.075, c, d * 0.83, 0.02, &small);
  const std::vector<float> big_cover = Fill(big, d), small_cover = Fill(small, d);
  std::string rgba(static_cast<size_t>(d) * d * 4, '\0');
  for (size_t i = 0; i < static_cast<size_t>(d) * d; ++i) {
    const float a = std::max({ring[i], star[i], big_cover[i], small_cover[i]});
    unsigned char* p = reinterpret_cast<unsigned char*>(&rgba[i * 4]);
    p[0] = 220, p[1] = 20, p[2] = 20;
    p[3] = static_cast<unsigned char>(std::lround(a * 235));  // stamp ink: a little of the paper shows through
  }
  return image::EncodePngRgba(reinterpret_cast<const unsigned char*>(rgba.data()), d, d);
}

const fonts::FontFace* DevelopmentSealFace(const fonts::FontSet& fonts) {
  for (fonts::Role role : {fonts::Role::kHei, fonts::Role::kXiaobiaoSong, fonts::Role::kSong})
    for (const fonts::FontFace* face : fonts.chain(role)) {
      bool all = true;
      for (const char32_t* c = kDevelopmentSealText; *c; ++c) all = all && face->Has(*c);
      if (all) return face;
    }
  return nullptr;
}

}  // namespace zhiping::sign
