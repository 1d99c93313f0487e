// tests/layout_check/rules.h — the layout rules of issue 11, each a function from a read-back PDF (pdf_glyphs.h) to
// the places it is broken. docs/layout-rules.md explains each rule, the GB/T 9704 clause behind it and the
// tolerances; the numbers are kept here, in one place.
//
// A rule never changes the document and keeps no state; all functions are thread-safe. Rules that concern one
// kind of document (the organ mark, the title, the seal page) use Profile, chosen from the template name.
#pragma once

#include <string>
#include <vector>

#include "layout_check/pdf_glyphs.h"

namespace zhiping::layout_check {

// Rule ids, as printed.
inline constexpr const char* kInkOutsidePaper = "ink-outside-paper";
inline constexpr const char* kInkOutsideTypeArea = "ink-outside-type-area";
inline constexpr const char* kInkOutsideCell = "ink-outside-cell";
inline constexpr const char* kNoStartAtLineStart = "no-start-at-line-start";
inline constexpr const char* kNoEndAtLineEnd = "no-end-at-line-end";
inline constexpr const char* kJustifiedGap = "justified-gap-over-half-em";
inline constexpr const char* kTitleBreaksInWord = "title-breaks-inside-word";
inline constexpr const char* kSealPageWithoutBody = "seal-page-without-body-text";
inline constexpr const char* kNameSplit = "name-split-over-lines";
inline constexpr const char* kSingleCharLastLine = "single-char-last-line-in-cell";
inline constexpr const char* kOrganMarkTooSmall = "organ-mark-under-22pt";
const std::vector<std::string>& AllRules();

struct Violation {
  std::string rule;
  int page = 0;           // 1-based
  double x = 0, y = 0;    // PDF points, origin bottom-left
  std::string context;    // the text around the place (its line)
  std::string detail;     // what is wrong, with the measured numbers
};

// What the document is expected to have. ProfileFor("notice") etc.; unknown names get the defaults (no organ mark,
// title or seal page required; every generic rule applies).
struct Profile {
  bool has_organ_mark = false;   // red 发文机关标志 at the top of page 1 (notice, report, letter)
  bool has_title = true;         // titles (lines ≥ 18 pt, any page) must break between words
  bool has_seal_page = false;    // a 署名 + date the seal goes on (notice, report, letter)
  bool letter_header = false;    // 信函格式 (§10.1): the header starts 30 mm from the top edge, above the type area
};
Profile ProfileFor(const std::string& template_name);

// The numbers (GB/T 9704-2012 §5.2.1 A4; layout/geometry.h): type area 156 × 225 mm, top margin 37 ± 1 mm, left
// margin 28 ± 1 mm.
struct Tolerances {
  double margin = 2.835;          // 1 mm: the standard's ± on the margins
  double paper = 0;               // ink must be on the paper, exactly
  double cell = 0.5;              // a glyph box may touch its cell's rule, not cross it by more than this (pt)
  double gap_em = 0.5;            // largest gap beyond the natural advance between neighbours on a justified line
  double tab_em = 3;              // a gap of this many em or more is a deliberate tab (two lines on one baseline)
  double min_organ_mark_pt = 22;  // the organ mark is not smaller than the 2号 title
};

std::vector<Violation> CheckInkOutsidePaper(const Document& d, const Tolerances& t = {});
std::vector<Violation> CheckInkOutsideTypeArea(const Document& d, const Profile& p, const Tolerances& t = {});
std::vector<Violation> CheckInkOutsideCell(const Document& d, const Tolerances& t = {});
std::vector<Violation> CheckNoStartNoEnd(const Document& d);  // both kNoStartAtLineStart and kNoEndAtLineEnd
std::vector<Violation> CheckJustifiedGap(const Document& d, const Tolerances& t = {});
std::vector<Violation> CheckTitleBreaks(const Document& d, const Profile& p);
std::vector<Violation> CheckSealPageBody(const Document& d, const Profile& p);
std::vector<Violation> CheckNamesWhole(const Document& d);
std::vector<Violation> CheckSingleCharLastLine(const Document& d);
std::vector<Violation> CheckOrganMark(const Document& d, const Profile& p, const Tolerances& t = {});

// Every rule, in AllRules() order.
std::vector<Violation> CheckAll(const Document& d, const Profile& p, const Tolerances& t = {});

// "page 2 (x 120.5, y 431.0) no-end-at-line-end: … | 「…」"
std::string Describe(const Violation& v);
std::string ToJson(const std::vector<Violation>& vs);

}  // namespace zhiping::layout_check
