// tests/layout_check/pdf_glyphs.cpp — see pdf_glyphs.h.
#include "layout_check/pdf_glyphs.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page.h>
#include <podofo/podofo.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "layout/line_breaker.h"

namespace zhiping::layout_check {
namespace {

using Matrix = std::array<double, 6>;  // a b c d e f
constexpr Matrix kIdentity{1, 0, 0, 1, 0, 0};

Matrix Multiply(const Matrix& m, const Matrix& n) {  // m then n (PDF: m × n)
  return {m[0] * n[0] + m[1] * n[2],        m[0] * n[1] + m[1] * n[3],
          m[2] * n[0] + m[3] * n[2],        m[2] * n[1] + m[3] * n[3],
          m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5]};
}
void Apply(const Matrix& m, double x, double y, double* ox, double* oy) {
  *ox = m[0] * x + m[2] * y + m[4];
  *oy = m[1] * x + m[3] * y + m[5];
}

// One text-showing operator: where it starts and how it draws.
struct ShowOp {
  double x, y, size, hscale;
  Rgb fill;
};

struct GraphicsState {
  Matrix ctm = kIdentity;
  Rgb fill, stroke;
  double line_width = 1;
};

Rgb Gray(double g) { return {g, g, g}; }
Rgb Cmyk(double c, double m, double y, double k) { return {(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)}; }

// Walks one page's content streams: show operators, stroked segments, image placements.
void ParseContents(PoDoFo::PdfPage* page, std::vector<ShowOp>* shows, Page* out) {
  PoDoFo::PdfContentsTokenizer tok(page);
  PoDoFo::EPdfContentsType type;
  const char* kw = nullptr;
  PoDoFo::PdfVariant var;
  std::vector<PoDoFo::PdfVariant> stack;
  std::vector<GraphicsState> saved;
  GraphicsState gs;
  Matrix tm = kIdentity, tlm = kIdentity;
  double font_size = 0, tz = 100, leading = 0;
  struct Pt { double x, y; };
  std::vector<std::vector<Pt>> path;  // subpaths, user space
  std::vector<std::array<double, 4>> path_rects;
  auto num = [&](size_t i) -> double {  // i-th operand from the end-relative start
    if (i >= stack.size()) return 0;
    const auto& v = stack[i];
    if (v.IsReal()) return v.GetReal();
    if (v.IsNumber()) return static_cast<double>(v.GetNumber());
    return 0;
  };
  auto emit_segment = [&](Pt a, Pt b, double width, Rgb color) {
    Segment s;
    Apply(gs.ctm, a.x, a.y, &s.x1, &s.y1);
    Apply(gs.ctm, b.x, b.y, &s.x2, &s.y2);
    s.width = width * std::sqrt(std::fabs(gs.ctm[0] * gs.ctm[3] - gs.ctm[1] * gs.ctm[2]));
    s.color = color;
    out->rules.push_back(s);
  };
  auto stroke_path = [&](bool close) {
    for (const auto& sub : path) {
      for (size_t i = 1; i < sub.size(); ++i) emit_segment(sub[i - 1], sub[i], gs.line_width, gs.stroke);
      if (close && sub.size() > 2) emit_segment(sub.back(), sub.front(), gs.line_width, gs.stroke);
    }
    for (const auto& r : path_rects) {
      Pt a{r[0], r[1]}, b{r[0] + r[2], r[1]}, c{r[0] + r[2], r[1] + r[3]}, d{r[0], r[1] + r[3]};
      emit_segment(a, b, gs.line_width, gs.stroke);
      emit_segment(b, c, gs.line_width, gs.stroke);
      emit_segment(c, d, gs.line_width, gs.stroke);
      emit_segment(d, a, gs.line_width, gs.stroke);
    }
  };
  auto fill_path = [&]() {  // a thin filled rectangle is a drawn line
    for (const auto& r : path_rects) {
      double w = std::fabs(r[2]), h = std::fabs(r[3]);
      if (h <= 2 && w > h)
        emit_segment({r[0], r[1] + r[3] / 2}, {r[0] + r[2], r[1] + r[3] / 2}, h, gs.fill);
      else if (w <= 2 && h > w)
        emit_segment({r[0] + r[2] / 2, r[1]}, {r[0] + r[2] / 2, r[1] + r[3]}, w, gs.fill);
    }
  };
  auto show = [&]() {
    Matrix trm = Multiply(tm, gs.ctm);
    ShowOp op;
    Apply(trm, 0, 0, &op.x, &op.y);
    double sy = std::hypot(trm[2], trm[3]), sx = std::hypot(trm[0], trm[1]);
    op.size = font_size * sy;
    op.hscale = (tz / 100.0) * (sy > 0 ? sx / sy : 1);
    op.fill = gs.fill;
    shows->push_back(op);
  };
  while (tok.ReadNext(type, kw, var)) {
    if (type == PoDoFo::ePdfContentsType_Variant) {
      stack.push_back(var);
      continue;
    }
    if (type != PoDoFo::ePdfContentsType_Keyword) {
      stack.clear();
      continue;
    }
    const std::string op = kw;
    if (op == "q") {
      saved.push_back(gs);
    } else if (op == "Q") {
      if (!saved.empty()) gs = saved.back(), saved.pop_back();
    } else if (op == "cm" && stack.size() >= 6) {
      gs.ctm = Multiply({num(0), num(1), num(2), num(3), num(4), num(5)}, gs.ctm);
    } else if (op == "w" && !stack.empty()) {
      gs.line_width = num(0);
    } else if (op == "rg" && stack.size() >= 3) {
      gs.fill = {num(0), num(1), num(2)};
    } else if (op == "RG" && stack.size() >= 3) {
      gs.stroke = {num(0), num(1), num(2)};
    } else if (op == "g" && !stack.empty()) {
      gs.fill = Gray(num(0));
    } else if (op == "G" && !stack.empty()) {
      gs.stroke = Gray(num(0));
    } else if (op == "k" && stack.size() >= 4) {
      gs.fill = Cmyk(num(0), num(1), num(2), num(3));
    } else if (op == "K" && stack.size() >= 4) {
      gs.stroke = Cmyk(num(0), num(1), num(2), num(3));
    } else if ((op == "sc" || op == "scn") && stack.size() == 3) {
      gs.fill = {num(0), num(1), num(2)};
    } else if ((op == "SC" || op == "SCN") && stack.size() == 3) {
      gs.stroke = {num(0), num(1), num(2)};
    } else if (op == "m" && stack.size() >= 2) {
      path.push_back({{num(0), num(1)}});
    } else if (op == "l" && stack.size() >= 2) {
      if (path.empty()) path.push_back({});
      path.back().push_back({num(0), num(1)});
    } else if (op == "re" && stack.size() >= 4) {
      path_rects.push_back({num(0), num(1), num(2), num(3)});
    } else if (op == "S" || op == "s" || op == "b" || op == "B" || op == "b*" || op == "B*" || op == "f" ||
               op == "F" || op == "f*" || op == "n") {
      if (op == "S" || op == "s" || op[0] == 'b' || op[0] == 'B') stroke_path(op == "s" || op[0] == 'b');
      if (op[0] == 'f' || op == "F") fill_path();
      path.clear();
      path_rects.clear();
    } else if (op == "BT") {
      tm = tlm = kIdentity;
    } else if (op == "Tf" && stack.size() >= 2) {
      font_size = num(1);
    } else if (op == "Tz" && !stack.empty()) {
      tz = num(0);
    } else if (op == "TL" && !stack.empty()) {
      leading = num(0);
    } else if ((op == "Td" || op == "TD") && stack.size() >= 2) {
      if (op == "TD") leading = -num(1);
      tlm = Multiply({1, 0, 0, 1, num(0), num(1)}, tlm);
      tm = tlm;
    } else if (op == "Tm" && stack.size() >= 6) {
      tlm = tm = {num(0), num(1), num(2), num(3), num(4), num(5)};
    } else if (op == "T*") {
      tlm = Multiply({1, 0, 0, 1, 0, -leading}, tlm);
      tm = tlm;
    } else if (op == "Tj" || op == "TJ") {
      show();
    } else if (op == "'" || op == "\"") {
      tlm = Multiply({1, 0, 0, 1, 0, -leading}, tlm);
      tm = tlm;
      show();
    } else if (op == "Do") {
      ImageBox box;
      double xs[4], ys[4];
      Apply(gs.ctm, 0, 0, &xs[0], &ys[0]);
      Apply(gs.ctm, 1, 0, &xs[1], &ys[1]);
      Apply(gs.ctm, 0, 1, &xs[2], &ys[2]);
      Apply(gs.ctm, 1, 1, &xs[3], &ys[3]);
      box.x0 = *std::min_element(xs, xs + 4), box.x1 = *std::max_element(xs, xs + 4);
      box.y0 = *std::min_element(ys, ys + 4), box.y1 = *std::max_element(ys, ys + 4);
      out->images.push_back(box);
    }
    stack.clear();
  }
}

std::u32string DecodeUtf8(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

// True when a vertical rule lies between the two glyphs across their baseline: they are in different cells. A
// glyph that starts before the rule (and crosses it) still belongs to the cell on the left: that is the text
// running out of its cell, which rules.h must see on one line.
bool RuleBetween(const Page& p, const Glyph& a, const Glyph& b) {
  double left = (a.x0 + a.x1) / 2, right = b.x0 + 1, y = (a.y0 + a.y1) / 2;
  for (const auto& s : p.rules) {
    if (!s.Vertical()) continue;
    if (s.x1 > left && s.x1 < right && std::min(s.y1, s.y2) <= y && std::max(s.y1, s.y2) >= y) return true;
  }
  return false;
}

void GroupLines(Page* p) {
  std::vector<int> order(p->glyphs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  auto& g = p->glyphs;
  // Top to bottom by baseline (to 0.1 pt), then left to right: a strict order. Glyphs of one line share their
  // baseline exactly in the PDFs we write; the 0.6 pt tolerance below joins what rounding in other producers splits.
  auto band = [&](int i) { return std::round(g[i].baseline * 10); };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    if (band(a) != band(b)) return band(a) > band(b);
    return g[a].x0 < g[b].x0;
  });
  std::vector<Line> lines;
  for (int idx : order) {
    const Glyph& gl = g[idx];
    Line* target = nullptr;
    for (auto it = lines.rbegin(); it != lines.rend() && it - lines.rbegin() < 8; ++it) {
      const Glyph& last = g[it->glyphs.back()];
      if (std::fabs(it->baseline - gl.baseline) <= 0.6 && std::fabs(it->size - gl.size) <= 0.3 &&
          gl.x0 >= last.x0 && gl.x0 - last.x1 < 3 * gl.size && !RuleBetween(*p, last, gl)) {
        target = &*it;
        break;
      }
    }
    if (!target) {
      lines.push_back(Line{});
      target = &lines.back();
      target->baseline = gl.baseline;
      target->size = gl.size;
      target->x0 = gl.x0;
    }
    target->glyphs.push_back(idx);
    target->x1 = std::max(target->x1, gl.x1);
  }
  std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    if (std::round(a.baseline * 10) != std::round(b.baseline * 10)) return a.baseline > b.baseline;
    return a.x0 < b.x0;
  });
  for (size_t li = 0; li < lines.size(); ++li)
    for (int gi : lines[li].glyphs) g[gi].line = static_cast<int>(li);
  p->lines = std::move(lines);
}

}  // namespace

std::u32string Line::Text(const std::vector<Glyph>& all) const {
  std::u32string s;
  for (int i : glyphs) s.push_back(all[i].cp);
  return s;
}

std::string Utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
  return out;
}

std::string Utf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) out += Utf8(c);
  return out;
}

Document ReadPdf(const std::string& bytes) {
  std::unique_ptr<poppler::document> pd(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!pd) throw std::runtime_error("poppler cannot open the PDF");
  PoDoFo::PdfError::EnableDebug(false);
  PoDoFo::PdfError::EnableLogging(false);
  PoDoFo::PdfMemDocument md;
  try {
    md.LoadFromBuffer(bytes.data(), static_cast<long>(bytes.size()));
  } catch (const PoDoFo::PdfError& e) {
    throw std::runtime_error(std::string("PoDoFo cannot open the PDF: ") + e.what());
  }
  Document doc;
  const int n = pd->pages();
  for (int i = 0; i < n; ++i) {
    Page page;
    page.index = i;
    std::unique_ptr<poppler::page> pp(pd->create_page(i));
    poppler::rectf box = pp->page_rect(poppler::media_box);
    page.width = box.width();
    page.height = box.height();
    std::vector<ShowOp> shows;
    try {
      ParseContents(md.GetPage(i), &shows, &page);
    } catch (const PoDoFo::PdfError& e) {
      throw std::runtime_error("PoDoFo cannot read page " + std::to_string(i + 1) + ": " + e.what());
    }
    for (auto& tb : pp->text_list(poppler::page::text_list_include_font)) {
      const poppler::byte_array u8 = tb.text().to_utf8();
      const std::u32string cps = DecodeUtf8(std::string(u8.begin(), u8.end()));
      for (size_t k = 0; k < cps.size(); ++k) {
        poppler::rectf r = tb.char_bbox(k);
        Glyph g;
        g.cp = cps[k];
        g.font = tb.get_font_name(static_cast<int>(k));
        g.size = tb.get_font_size();
        g.x0 = r.left();
        g.x1 = r.right();
        g.y0 = page.height - r.bottom();
        g.y1 = page.height - r.top();
        // The show operator this glyph came from: on its baseline (inside its box vertically), starting at or
        // left of it, nearest.
        const ShowOp* best = nullptr;
        for (const auto& op : shows) {
          if (op.y < g.y0 - 0.1 || op.y > g.y1 + 0.1 || op.x > g.x0 + 0.5) continue;
          if (std::fabs(op.size - g.size) > 0.6 * std::max(1.0, g.size)) continue;
          if (!best || op.x > best->x || (op.x == best->x && std::fabs(op.y - g.y0) < std::fabs(best->y - g.y0)))
            best = &op;
        }
        if (best) {
          g.baseline = best->y;
          g.size = best->size;
          g.hscale = best->hscale;
          g.fill = best->fill;
        } else {
          g.baseline = g.y0 + 0.12 * g.size;
        }
        // poppler's box is the glyph's full advance (1 em for CJK punctuation). A closing or pause mark (。，：）)
        // has its ink in the left half and a blank right half (compressed at a line end, where it may reach past the
        // edge); an opening mark (（《“) the reverse. Their ink box is that half.
        g.adv_x0 = g.x0;
        g.adv_x1 = g.x1;
        if (layout::IsCjkPunctuation(g.cp) && g.x1 - g.x0 > 0.75 * g.size * g.hscale) {
          const double half = (g.x1 - g.x0) / 2;
          if (layout::IsClosingOrPause(g.cp)) g.x1 -= half;
          else if (layout::IsNoEnd(g.cp)) g.x0 += half;
        }
        page.glyphs.push_back(std::move(g));
      }
    }
    GroupLines(&page);
    doc.pages.push_back(std::move(page));
  }
  return doc;
}

Document ReadPdfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ReadPdf(ss.str());
}

}  // namespace zhiping::layout_check
