// tests/layout_check/rules.cpp — see rules.h and docs/layout-rules.md.
#include "layout_check/rules.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <regex>
#include <tuple>

#include "layout/geometry.h"
#include "layout/line_breaker.h"
#include "layout/word_breaks.h"

namespace zhiping::layout_check {
namespace {

const layout::PageGeometry kGeometry;

bool IsHan(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x20000 && c <= 0x3FFFF) || c == 0x3007;
}

std::string Fmt(const char* f, double a, double b = 0, double c = 0) {
  char buf[200];
  std::snprintf(buf, sizeof buf, f, a, b, c);
  return buf;
}

Violation At(const char* rule, const Page& p, const Glyph& g, std::string detail) {
  Violation v;
  v.rule = rule;
  v.page = p.index + 1;
  v.x = g.x0;
  v.y = g.baseline;
  if (g.line >= 0) v.context = Utf8(p.lines[g.line].Text(p.glyphs));
  v.detail = std::move(detail);
  return v;
}

// A violation that has no glyph to point at (something missing from a page; page 0: from the document).
Violation Missing(const char* rule, int page, std::string detail) {
  Violation v;
  v.rule = rule;
  v.page = page;
  v.detail = std::move(detail);
  return v;
}

// The ruled cell a point lies in: the nearest rules on its four sides, each crossing the point's row or column.
struct Cell {
  double left = 0, right = 0, bottom = 0, top = 0;
  bool found = false;
  bool operator<(const Cell& o) const {
    return std::tie(left, right, bottom, top) < std::tie(o.left, o.right, o.bottom, o.top);
  }
};
Cell CellAt(const Page& p, double x, double y) {
  constexpr double kSlack = 1;
  double left = -1e9, right = 1e9, bottom = -1e9, top = 1e9;
  for (const auto& s : p.rules) {
    if (s.Vertical()) {
      if (std::min(s.y1, s.y2) - kSlack > y || std::max(s.y1, s.y2) + kSlack < y) continue;
      double edge_l = s.x1 + s.width / 2, edge_r = s.x1 - s.width / 2;
      if (s.x1 <= x) left = std::max(left, edge_l);
      else right = std::min(right, edge_r);
    } else if (s.Horizontal()) {
      if (std::min(s.x1, s.x2) - kSlack > x || std::max(s.x1, s.x2) + kSlack < x) continue;
      double edge_b = s.y1 + s.width / 2, edge_t = s.y1 - s.width / 2;
      if (s.y1 <= y) bottom = std::max(bottom, edge_b);
      else top = std::min(top, edge_t);
    }
  }
  Cell c;
  c.found = left > -1e9 && right < 1e9 && bottom > -1e9 && top < 1e9;
  c.left = left, c.right = right, c.bottom = bottom, c.top = top;
  return c;
}
Cell CellOf(const Page& p, const Glyph& g) { return CellAt(p, (g.x0 + g.x1) / 2, (g.y0 + g.y1) / 2); }

// Lines grouped by the cell their first glyph is in (only lines inside a ruled cell), top to bottom.
std::map<Cell, std::vector<int>> LinesByCell(const Page& p) {
  std::map<Cell, std::vector<int>> out;
  for (size_t i = 0; i < p.lines.size(); ++i) {
    Cell c = CellOf(p, p.glyphs[p.lines[i].glyphs.front()]);
    if (c.found) out[c].push_back(static_cast<int>(i));
  }
  return out;
}

// A page number: a line of digits, dashes and spaces only (GB/T 9704 §7.5: 「—1—」), below the type area.
bool IsPageNumberLine(const Page& p, const Line& l) {
  for (int gi : l.glyphs) {
    char32_t c = p.glyphs[gi].cp;
    if (!((c >= '0' && c <= '9') || c == U'—' || c == U'－' || c == '-' || c == U'–' || c == ' ')) return false;
  }
  return true;
}

std::u32string Compact(const std::u32string& s) {
  std::u32string out;
  for (char32_t c : s)
    if (c != ' ' && c != 0x3000) out.push_back(c);
  return out;
}

// The date under a signature: a whole line 「2022年12月30日」 or 「二〇二二年十二月三十日」.
bool IsDateLine(const std::u32string& text) {
  static const std::regex re(u8"^([0-9]{4}|(〇|一|二|三|四|五|六|七|八|九|零|○){4})年.{1,9}月.{1,9}日$");
  return std::regex_match(Utf8(Compact(text)), re);
}

}  // namespace

const std::vector<std::string>& AllRules() {
  static const std::vector<std::string> all{kInkOutsidePaper,   kInkOutsideTypeArea, kInkOutsideCell,
                                            kNoStartAtLineStart, kNoEndAtLineEnd,    kJustifiedGap,
                                            kTitleBreaksInWord,  kSealPageWithoutBody, kNameSplit,
                                            kSingleCharLastLine, kOrganMarkTooSmall};
  return all;
}

Profile ProfileFor(const std::string& t) {
  Profile p;
  if (t == "notice" || t == "report" || t == "letter" || t == "result-notice") p.has_organ_mark = p.has_title = p.has_seal_page = true;
  if (t == "review-form") p.has_title = true;
  if (t == "letter") p.letter_header = true;
  return p;
}

std::vector<Violation> CheckInkOutsidePaper(const Document& d, const Tolerances& t) {
  std::vector<Violation> out;
  for (const auto& p : d.pages) {
    for (const auto& g : p.glyphs)
      if (g.x0 < -t.paper || g.y0 < -t.paper || g.x1 > p.width + t.paper || g.y1 > p.height + t.paper)
        out.push_back(At(kInkOutsidePaper, p, g, Fmt("glyph box x %.1f..%.1f pt on a %.1f pt wide page", g.x0, g.x1, p.width)));
    for (const auto& s : p.rules) {
      double hw = s.width / 2;
      if (std::min(s.x1, s.x2) - hw < -t.paper || std::max(s.x1, s.x2) + hw > p.width + t.paper ||
          std::min(s.y1, s.y2) - hw < -t.paper || std::max(s.y1, s.y2) + hw > p.height + t.paper) {
        Violation v = Missing(kInkOutsidePaper, p.index + 1,
                              Fmt("rule from (%.1f, %.1f) to (%.1f, …) leaves the paper", s.x1, s.y1, s.x2));
        v.x = s.x1, v.y = s.y1;
        out.push_back(v);
      }
    }
  }
  return out;
}

std::vector<Violation> CheckInkOutsideTypeArea(const Document& d, const Profile& prof, const Tolerances& t) {
  std::vector<Violation> out;
  const auto& G = kGeometry;
  const double left = G.type_left() - t.margin, right = G.type_right() + t.margin;
  const double bottom = G.type_bottom() - t.margin;
  // §10.1 信函格式: the organ mark's top edge is 30 mm below the paper's top edge, above the type area.
  const double top = (prof.letter_header ? G.height - layout::Mm(30) : G.type_top()) + t.margin;
  for (const auto& p : d.pages) {
    for (const auto& g : p.glyphs) {
      bool outside = g.x0 < left || g.x1 > right || g.y0 < bottom || g.y1 > top;
      if (!outside) continue;
      // Page numbers sit below the type area (§7.5), and only there.
      if (g.y1 < G.type_bottom() && g.y0 >= 0 && g.x0 >= left && g.x1 <= right && g.line >= 0 &&
          IsPageNumberLine(p, p.lines[g.line]))
        continue;
      out.push_back(At(kInkOutsideTypeArea, p, g,
                       Fmt("glyph box x %.1f..%.1f, y %.1f.. outside the type area", g.x0, g.x1, g.y0) +
                           Fmt(" (x %.1f..%.1f, y %.1f..", left, right, bottom) + Fmt("%.1f)", top)));
    }
    // Images (the form's photo) and rules (the red line, table rules, 版记 lines: all as wide as the type area at
    // most, §7.2.6, §7.4, §8). The letter's double lines are 170 mm wide and sit outside it (§10.1): checked
    // against the paper only.
    for (const auto& im : p.images)
      if (im.x0 < left || im.x1 > right || im.y0 < bottom || im.y1 > top) {
        Violation v = Missing(kInkOutsideTypeArea, p.index + 1,
                              Fmt("image x %.1f..%.1f, y %.1f.. outside the type area", im.x0, im.x1, im.y0));
        v.x = im.x0, v.y = im.y0;
        out.push_back(v);
      }
    if (prof.letter_header) continue;
    for (const auto& r : p.rules) {
      const double hw = r.width / 2;
      if (std::min(r.x1, r.x2) - hw < left || std::max(r.x1, r.x2) + hw > right ||
          std::min(r.y1, r.y2) - hw < bottom || std::max(r.y1, r.y2) + hw > top) {
        Violation v = Missing(kInkOutsideTypeArea, p.index + 1,
                              Fmt("rule from (%.1f, %.1f) to (%.1f, …) outside the type area", r.x1, r.y1, r.x2));
        v.x = r.x1, v.y = r.y1;
        out.push_back(v);
      }
    }
  }
  return out;
}

std::vector<Violation> CheckInkOutsideCell(const Document& d, const Tolerances& t) {
  std::vector<Violation> out;
  // A line belongs to the cell its first glyph is in; every glyph of the line must stay inside that cell.
  for (const auto& p : d.pages)
    for (const auto& g : p.glyphs) {
      Cell c = g.line >= 0 ? CellOf(p, p.glyphs[p.lines[g.line].glyphs.front()]) : CellOf(p, g);
      if (!c.found) continue;
      double over = std::max({c.left - g.x0, g.x1 - c.right, c.bottom - g.y0, g.y1 - c.top});
      if (over > t.cell)
        out.push_back(At(kInkOutsideCell, p, g,
                         "「" + Utf8(g.cp) +
                             Fmt("」 crosses its cell's rule by %.1f pt (cell x %.1f..%.1f)", over, c.left, c.right)));
    }
  return out;
}

std::vector<Violation> CheckNoStartNoEnd(const Document& d) {
  std::vector<Violation> out;
  for (const auto& p : d.pages)
    for (const auto& l : p.lines) {
      if (IsPageNumberLine(p, l)) continue;  // 「—1—」: the dashes are the page number's frame
      const Glyph& first = p.glyphs[l.glyphs.front()];
      const Glyph& last = p.glyphs[l.glyphs.back()];
      if (layout::IsNoStart(first.cp))
        out.push_back(At(kNoStartAtLineStart, p, first, "line starts with 「" + Utf8(first.cp) + "」"));
      if (layout::IsNoEnd(last.cp))
        out.push_back(At(kNoEndAtLineEnd, p, last, "line ends with 「" + Utf8(last.cp) + "」"));
    }
  return out;
}

std::vector<Violation> CheckJustifiedGap(const Document& d, const Tolerances& t) {
  std::vector<Violation> out;
  for (const auto& p : d.pages)
    for (const auto& l : p.lines) {
      // A short all-Han label spread over its cell (姓　　名) is set that way on purpose (分散对齐); so are the red
      // names of a joint document's organ mark, spread to the longest name's width (GB/T 9704 §7.2.2).
      bool label = l.glyphs.size() <= 4;
      bool organ_mark = !l.glyphs.empty();
      for (int gi : l.glyphs) {
        label = label && IsHan(p.glyphs[gi].cp);
        organ_mark = organ_mark && p.glyphs[gi].fill.IsRed() && IsHan(p.glyphs[gi].cp);
      }
      if (label || organ_mark) continue;
      for (size_t k = 1; k < l.glyphs.size(); ++k) {
        const Glyph& a = p.glyphs[l.glyphs[k - 1]];
        const Glyph& b = p.glyphs[l.glyphs[k]];
        double gap = b.adv_x0 - a.adv_x1;
        // 0.01 pt: positions in the content stream are rounded to 1/1000 pt, so a gap of exactly half an em (the
        // space in 「— 2 —」) reads back a hair either side of it.
        if (gap <= t.gap_em * b.size + 0.01) continue;
        // Whole ems are ideographic spaces (U+3000) of the text — blanks left for handwriting (赞成　　票), a space
        // between two fields — which text extraction does not return; justification never adds exactly n em.
        const double em = gap / b.size;
        if (em > 0.97 && std::fabs(em - std::round(em)) < 0.03) continue;
        // A column boundary without a rule: a label and its value in different faces (the form cover's 工作单位
        // in 黑体, the unit in 宋体 beside it) at least 1.5 em apart. A justified line is still caught on its
        // same-face gaps, which justification stretches alike.
        if (em >= 1.5 && a.font != b.font) continue;
        out.push_back(At(kJustifiedGap, p, b,
                         Fmt("gap %.2f em between 「", gap / b.size) + Utf8(a.cp) + "」 and 「" + Utf8(b.cp) + "」"));
      }
    }
  return out;
}

namespace {

// Titles: runs of non-red lines of one size ≥ 18 pt (2号 22 pt, 小二 18 pt; the red organ mark is excluded)
// outside ruled cells, each line following the previous within 2.2 line heights — the document title on page 1,
// an attachment's title (附件 …名单) on its page.
std::vector<std::vector<const Line*>> Titles(const Page& p) {
  std::vector<std::vector<const Line*>> out;
  std::vector<const Line*> run;
  auto flush = [&] {
    if (run.size() >= 2) out.push_back(run);
    run.clear();
  };
  for (const auto& l : p.lines) {
    const Glyph& g = p.glyphs[l.glyphs.front()];
    if (g.fill.IsRed() || l.size < 18 || CellOf(p, g).found) continue;
    if (!run.empty() && std::fabs(run.back()->baseline - l.baseline) < 0.6) continue;  // same baseline: a tab
    if (!run.empty() && (std::fabs(run.back()->size - l.size) > 0.3 || run.back()->baseline - l.baseline > 2.2 * l.size))
      flush();
    run.push_back(&l);
  }
  flush();
  return out;
}

// Terms of this domain that are one word in a title although ICU's dictionary splits them (高级|政工师 is a
// boundary to ICU; the issue counts 「高级 / 政工师」 as a break inside a word). Only whole professional titles
// and organ short names: a break inside one is never between words.
// The domain's words (layout/word_breaks.h: the list the layout itself keeps whole).
bool InsideTerm(const std::u32string& text, size_t at) {
  for (const auto& marked : layout::DomainWords()) {
    const std::u32string term = layout::PlainWord(marked);
    for (size_t pos = text.find(term); pos != std::u32string::npos; pos = text.find(term, pos + 1))
      if (pos < at && at < pos + term.size()) return true;
  }
  return false;
}

void CheckTitle(const Page& p, const std::vector<const Line*>& title, std::vector<Violation>* out) {
  std::u32string text;
  std::vector<size_t> ends;  // code-point offsets where a line ends (not the last)
  for (size_t i = 0; i < title.size(); ++i) {
    text += Compact(title[i]->Text(p.glyphs));
    if (i + 1 < title.size()) ends.push_back(text.size());
  }
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> words(icu::BreakIterator::createWordInstance(icu::Locale("zh"), status));
  if (U_FAILURE(status)) throw std::runtime_error("ICU word break iterator");
  icu::UnicodeString u = icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(text.data()),
                                                       static_cast<int32_t>(text.size()));
  words->setText(u);
  for (size_t i = 0; i < ends.size(); ++i) {
    int32_t utf16 = u.moveIndex32(0, static_cast<int32_t>(ends[i]));
    if (InsideTerm(text, ends[i])) {
      // a term of the domain (layout::DomainWords) is one word, whatever ICU's dictionary says
    } else if (words->isBoundary(utf16)) {
      // ICU's dictionary does not know every term (政工师 comes back as 政|工|师): a boundary between two
      // one-character Han words is taken as inside an unknown word. Breaking there is what the issue saw
      // (「高级政 / 工师」).
      const int32_t before = words->preceding(utf16), after = words->following(utf16);
      const bool single_before = before != icu::BreakIterator::DONE && u.countChar32(before, utf16 - before) == 1 &&
                                 IsHan(u.char32At(before));
      const bool single_after = after != icu::BreakIterator::DONE && u.countChar32(utf16, after - utf16) == 1 &&
                                IsHan(u.char32At(utf16));
      if (!(single_before && single_after)) continue;
    }
    const Line& l = *title[i];
    Violation v = At(kTitleBreaksInWord, p, p.glyphs[l.glyphs.back()], "");
    v.context = Utf8(text.substr(0, ends[i])) + " / " + Utf8(text.substr(ends[i]));
    v.detail = "title line " + std::to_string(i + 1) + " ends inside a word: 「" +
               Utf8(text.substr(ends[i] >= 2 ? ends[i] - 2 : 0, std::min<size_t>(ends[i], 2))) + " / " +
               Utf8(text.substr(ends[i], 2)) + "」";
    out->push_back(v);
  }
}

}  // namespace

std::vector<Violation> CheckTitleBreaks(const Document& d, const Profile& prof) {
  std::vector<Violation> out;
  if (!prof.has_title) return out;
  for (const auto& p : d.pages)
    for (const auto& t : Titles(p)) CheckTitle(p, t, &out);
  return out;
}

std::vector<Violation> CheckSealPageBody(const Document& d, const Profile& prof) {
  std::vector<Violation> out;
  if (!prof.has_seal_page) return out;
  // The seal page: the last page with a date line (outside ruled cells) — the 成文日期 the seal covers.
  const Page* seal = nullptr;
  const Line* date = nullptr;
  for (const auto& p : d.pages)
    for (const auto& l : p.lines)
      if (IsDateLine(l.Text(p.glyphs)) && !CellOf(p, p.glyphs[l.glyphs.front()]).found) seal = &p, date = &l;
  if (!seal) {
    out.push_back(Missing(kSealPageWithoutBody, 0, "no signature date line found"));
    return out;
  }
  // Body text: a line above the date, outside cells, that starts at the type area's left edge or at the 2-em
  // paragraph indent and is not the attachment note (附件：…) or a signature line.
  const double left = kGeometry.type_left();
  for (const auto& l : seal->lines) {
    if (l.baseline <= date->baseline + 1) continue;
    const Glyph& g = seal->glyphs[l.glyphs.front()];
    if (g.fill.IsRed() || CellOf(*seal, g).found) continue;
    bool at_left = std::fabs(l.x0 - left) < 3 || std::fabs(l.x0 - (left + 2 * l.size)) < 3;
    std::u32string text = Compact(l.Text(seal->glyphs));
    if (at_left && text.rfind(U"附件", 0) != 0) return out;
  }
  Violation v = At(kSealPageWithoutBody, *seal, seal->glyphs[date->glyphs.front()],
                   "the page with the signature and date carries no line of body text");
  out.push_back(v);
  return out;
}

std::vector<Violation> CheckNamesWhole(const Document& d) {
  std::vector<Violation> out;
  for (const auto& p : d.pages) {
    auto cells = LinesByCell(p);
    // The 姓名 column: cells under a header cell whose text is 姓名, sharing its left and right rules.
    // A 姓名 cell heads a column when the cell to its right is set in the same face (a header row: 姓名 性别 …);
    // in a form, the cell to the right of the 姓名 label holds the name, in the value face.
    auto first_font = [&](const std::vector<int>& lines) { return p.glyphs[p.lines[lines.front()].glyphs.front()].font; };
    std::vector<Cell> name_headers;
    for (const auto& [cell, lines] : cells) {
      std::u32string text;
      for (int li : lines) text += Compact(p.lines[li].Text(p.glyphs));
      if (text != U"姓名") continue;
      // A column header has data below it in another face; a form's row label 姓名 has more labels below it in its
      // own face (申报专业职务, 毕业院校及专业), which are not names.
      bool label_below = false;
      for (const auto& [below, blines] : cells)
        label_below = label_below || (std::fabs(below.left - cell.left) < 1 && std::fabs(below.right - cell.right) < 1 &&
                                      std::fabs(below.top - cell.bottom) < 2 && first_font(blines) == first_font(lines));
      if (label_below) continue;
      for (const auto& [right, rlines] : cells)
        if (std::fabs(right.left - cell.right) < 2 && std::fabs(right.top - cell.top) < 2 &&
            first_font(rlines) == first_font(lines))
          name_headers.push_back(cell);
    }
    for (const auto& [cell, lines] : cells) {
      if (lines.size() < 2) continue;
      std::u32string text;
      bool han = true;
      for (int li : lines) {
        std::u32string t = Compact(p.lines[li].Text(p.glyphs));
        for (char32_t c : t) han = han && IsHan(c);
        text += t;
      }
      bool in_name_column = false;
      for (const auto& h : name_headers)
        in_name_column = in_name_column || (std::fabs(h.left - cell.left) < 1 && std::fabs(h.right - cell.right) < 1 &&
                                            cell.top <= h.bottom + 1);
      if (!in_name_column && !(han && text.size() <= 4)) continue;
      const Line& first = p.lines[lines.front()];
      Violation v = At(kNameSplit, p, p.glyphs[first.glyphs.front()], "");
      std::u32string shown;
      for (size_t i = 0; i < lines.size(); ++i) shown += (i ? U" / " : U"") + p.lines[lines[i]].Text(p.glyphs);
      v.context = Utf8(shown);
      v.detail = "a name split over " + std::to_string(lines.size()) + " lines";
      out.push_back(v);
    }
  }
  return out;
}

std::vector<Violation> CheckSingleCharLastLine(const Document& d) {
  std::vector<Violation> out;
  for (const auto& p : d.pages)
    for (const auto& [cell, lines] : LinesByCell(p)) {
      if (lines.size() < 2) continue;
      const Line& last = p.lines[lines.back()];
      if (Compact(last.Text(p.glyphs)).size() != 1) continue;
      Violation v = At(kSingleCharLastLine, p, p.glyphs[last.glyphs.front()], "");
      v.context = Utf8(p.lines[lines[lines.size() - 2]].Text(p.glyphs)) + " / " + Utf8(last.Text(p.glyphs));
      v.detail = "the cell's last line is one character";
      out.push_back(v);
    }
  return out;
}

std::vector<Violation> CheckOrganMark(const Document& d, const Profile& prof, const Tolerances& t) {
  std::vector<Violation> out;
  if (d.pages.empty()) return out;
  const Page& p = d.pages.front();
  // The organ mark: red text in the top 40 % of page 1 (GB/T 9704 §7.2.2: 发文机关标志, red, above the red line).
  bool any = false;
  for (const auto& l : p.lines) {
    const Glyph& g0 = p.glyphs[l.glyphs.front()];
    if (!g0.fill.IsRed() || l.baseline < p.height * 0.6) continue;
    any = true;
    double smallest = 1e9, hscale = 1;
    for (int gi : l.glyphs)
      if (p.glyphs[gi].size < smallest) smallest = p.glyphs[gi].size, hscale = p.glyphs[gi].hscale;
    if (smallest + 0.05 < t.min_organ_mark_pt)
      out.push_back(At(kOrganMarkTooSmall, p, g0,
                       Fmt("red organ mark at %.1f pt (horizontal scale %.2f), under %.0f pt", smallest, hscale,
                           t.min_organ_mark_pt)));
  }
  if (prof.has_organ_mark && !any) out.push_back(Missing(kOrganMarkTooSmall, 1, "no red organ mark at the top of page 1"));
  return out;
}

std::vector<Violation> CheckAll(const Document& d, const Profile& p, const Tolerances& t) {
  std::vector<Violation> all;
  auto add = [&](std::vector<Violation> v) { all.insert(all.end(), v.begin(), v.end()); };
  add(CheckInkOutsidePaper(d, t));
  add(CheckInkOutsideTypeArea(d, p, t));
  add(CheckInkOutsideCell(d, t));
  add(CheckNoStartNoEnd(d));
  add(CheckJustifiedGap(d, t));
  add(CheckTitleBreaks(d, p));
  add(CheckSealPageBody(d, p));
  add(CheckNamesWhole(d));
  add(CheckSingleCharLastLine(d));
  add(CheckOrganMark(d, p, t));
  return all;
}

std::string Describe(const Violation& v) {
  return "page " + std::to_string(v.page) + Fmt(" (x %.1f, y %.1f) ", v.x, v.y) + v.rule + ": " + v.detail +
         (v.context.empty() ? "" : " | 「" + v.context + "」");
}

namespace {
std::string JsonString(const std::string& s) {
  std::string o = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') o += '\\', o += static_cast<char>(c);
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      o += buf;
    }
    else o += static_cast<char>(c);
  }
  return o + "\"";
}
}  // namespace

std::string ToJson(const std::vector<Violation>& vs) {
  std::string o = "[";
  for (size_t i = 0; i < vs.size(); ++i) {
    const auto& v = vs[i];
    o += (i ? ",\n " : "\n ") + std::string("{\"rule\":") + JsonString(v.rule) + ",\"page\":" + std::to_string(v.page) +
         Fmt(",\"x\":%.2f,\"y\":%.2f", v.x, v.y) + ",\"context\":" + JsonString(v.context) +
         ",\"detail\":" + JsonString(v.detail) + "}";
  }
  return o + (vs.empty() ? "]" : "\n]");
}

}  // namespace zhiping::layout_check
