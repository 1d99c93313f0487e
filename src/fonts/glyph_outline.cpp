#include "fonts/glyph_outline.h"

#include <map>
#include <string>

#include "common/error.h"
#include "fonts/big_endian.h"
#include "fonts/font_face.h"

namespace zhiping::fonts {
namespace {

struct FontPoint {
  double x, y;
  bool on;
};

class Outliner {
 public:
  explicit Outliner(const FontFace& face)
      : r_{reinterpret_cast<const unsigned char*>(face.data()), face.size(), "glyph outline"} {
    const uint16_t num_tables = r_.U16(4);
    for (uint16_t i = 0; i < num_tables; ++i) {
      const size_t rec = 12 + 16 * static_cast<size_t>(i);
      tables_[std::string(reinterpret_cast<const char*>(r_.p) + rec, 4)] = {r_.U32(rec + 8), r_.U32(rec + 12)};
    }
    for (const char* need : {"head", "loca", "glyf"})
      if (!tables_.count(need)) throw Error(ErrorKind::kFont, std::string("glyph outline: no '") + need + "' table");
    units_per_em_ = r_.U16(tables_["head"].first + 18);
    long_loca_ = r_.U16(tables_["head"].first + 50) == 1;
    if (units_per_em_ == 0) throw Error(ErrorKind::kFont, "glyph outline: unitsPerEm is 0");
  }
  double units_per_em() const { return units_per_em_; }

  // Contours of glyph `g` in font units, each a list of on/off-curve points; `depth` bounds composite nesting.
  void Glyph(uint16_t g, double dx, double dy, double scale, std::vector<std::vector<FontPoint>>* out, int depth = 0) {
    if (depth > 8) throw Error(ErrorKind::kFont, "glyph outline: composites nested too deep");
    const uint32_t loca = tables_["loca"].first, glyf = tables_["glyf"].first;
    uint32_t a, b;
    if (long_loca_) a = r_.U32(loca + 4u * g), b = r_.U32(loca + 4u * g + 4);
    else a = 2u * r_.U16(loca + 2u * g), b = 2u * r_.U16(loca + 2u * g + 2);
    if (b <= a) return;  // no outline (a space)
    size_t p = glyf + a;
    const int16_t contours = r_.S16(p);
    p += 10;
    if (contours < 0) {  // composite
      for (;;) {
        const uint16_t flags = r_.U16(p), component = r_.U16(p + 2);
        p += 4;
        double ox = 0, oy = 0;
        if (flags & 0x0001) ox = r_.S16(p), oy = r_.S16(p + 2), p += 4;
        else ox = static_cast<int8_t>(r_.U8(p)), oy = static_cast<int8_t>(r_.U8(p + 1)), p += 2;
        double s = 1;
        if (flags & 0x0008) s = r_.S16(p) / 16384.0, p += 2;
        else if (flags & 0x0040) s = r_.S16(p) / 16384.0, p += 4;      // x scale (y assumed equal)
        else if (flags & 0x0080) s = r_.S16(p) / 16384.0, p += 8;      // 2×2: its xx only
        if (!(flags & 0x0002)) ox = oy = 0;                             // point matching: not used by our faces
        Glyph(component, dx + ox * scale, dy + oy * scale, scale * s, out, depth + 1);
        if (!(flags & 0x0020)) break;
      }
      return;
    }
    std::vector<uint16_t> ends(contours);
    for (int i = 0; i < contours; ++i) ends[i] = r_.U16(p + 2 * i);
    p += 2 * static_cast<size_t>(contours);
    const size_t points = contours ? static_cast<size_t>(ends.back()) + 1 : 0;
    p += 2 + r_.U16(p);  // instructions
    std::vector<uint8_t> flags;
    flags.reserve(points);
    while (flags.size() < points) {
      const uint8_t f = r_.U8(p++);
      flags.push_back(f);
      if (f & 8) {
        for (uint8_t k = r_.U8(p++); k > 0 && flags.size() < points; --k) flags.push_back(f);
      }
    }
    std::vector<FontPoint> pts(points);
    int v = 0;
    for (size_t i = 0; i < points; ++i) {  // x
      const uint8_t f = flags[i];
      if (f & 2) v += (f & 16) ? r_.U8(p) : -r_.U8(p), p += 1;
      else if (!(f & 16)) v += r_.S16(p), p += 2;
      pts[i].x = v;
      pts[i].on = f & 1;
    }
    v = 0;
    for (size_t i = 0; i < points; ++i) {  // y
      const uint8_t f = flags[i];
      if (f & 4) v += (f & 32) ? r_.U8(p) : -r_.U8(p), p += 1;
      else if (!(f & 32)) v += r_.S16(p), p += 2;
      pts[i].y = v;
    }
    size_t start = 0;
    for (int c = 0; c < contours; ++c) {
      if (ends[c] < start || ends[c] >= points) throw Error(ErrorKind::kFont, "glyph outline: bad contour end");
      std::vector<FontPoint> contour;
      for (size_t i = start; i <= ends[c]; ++i)
        contour.push_back({dx + pts[i].x * scale, dy + pts[i].y * scale, pts[i].on});
      out->push_back(std::move(contour));
      start = ends[c] + 1u;
    }
  }

 private:
  BigEndianReader r_;
  std::map<std::string, std::pair<uint32_t, uint32_t>> tables_;
  double units_per_em_ = 1000;
  bool long_loca_ = false;
};

}  // namespace

std::vector<Contour> GlyphOutline(const FontFace& face, char32_t cp, double size, double x, double baseline) {
  const uint16_t g = face.Glyph(cp);
  if (g == 0) return {};
  Outliner outliner(face);
  std::vector<std::vector<FontPoint>> raw;
  outliner.Glyph(g, 0, 0, 1, &raw);
  const double k = size / outliner.units_per_em();
  auto px = [&](double fx, double fy) { return Point{x + fx * k, baseline - fy * k}; };
  std::vector<Contour> out;
  for (const auto& c : raw) {
    if (c.size() < 2) continue;
    // Start at an on-curve point (or the midpoint of two off-curve ones), then walk the quadratic B-splines.
    const size_t n = c.size();
    size_t first = 0;
    while (first < n && !c[first].on) ++first;
    FontPoint start = first < n ? c[first] : FontPoint{(c[0].x + c[1].x) / 2, (c[0].y + c[1].y) / 2, true};
    if (first == n) first = 0;
    Contour poly{px(start.x, start.y)};
    FontPoint prev = start;
    for (size_t step = 1; step <= n; ++step) {
      const FontPoint& cur = c[(first + step) % n];
      if (cur.on) {
        poly.push_back(px(cur.x, cur.y));
        prev = cur;
        continue;
      }
      const FontPoint& next = c[(first + step + 1) % n];
      const FontPoint end = next.on ? next : FontPoint{(cur.x + next.x) / 2, (cur.y + next.y) / 2, true};
      for (int t = 1; t <= 8; ++t) {  // 8 segments a curve: smooth at seal sizes
        const double u = t / 8.0, a = (1 - u) * (1 - u), b = 2 * u * (1 - u), d = u * u;
        poly.push_back(px(a * prev.x + b * cur.x + d * end.x, a * prev.y + b * cur.y + d * end.y));
      }
      prev = end;
      if (next.on) ++step;  // the curve ended on it
    }
    out.push_back(std::move(poly));
  }
  return out;
}

}  // namespace zhiping::fonts
