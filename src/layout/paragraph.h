// layout/paragraph.h — breaks one paragraph into lines by the Chinese rules (clreq strict level, GB/T 15834):
// Han text on the character grid, proportional Latin with a ¼-em gap to Han, squeeze before push-out, line-end
// marks half width, adjacent marks 1.5 em, justified lines but the last, and no 孤字 (a last line holding a single
// Han character). Its cost is linear in the length of the paragraph.
//
// The text first passes layout/text_prep.h (full-width brackets beside Han, one kind of line end). A "\n" in it
// starts a new paragraph: its first line takes first_indent again (a new line in a cell, where it is 0).
// Justifying: the stretch goes first into the gaps that are word boundaries already (Han–Latin, beside a space), up
// to ½ em each, the rest evenly into the other gaps between characters; no gap ever grows by more than ½ em (the
// stretch limit) — a line that would need more is set flush left at natural spacing. A line the breaker squeezed
// (先挤进) is squeezed whatever its alignment, so no glyph passes the line's end. A name-only text (at most 8 Han
// characters) that needs a fallback face is drawn in one face that has all of it; running text moves only the
// characters the first face lacks, each cluster into one face; a word no single face has is logged as a warning on
// the Poco logger "zhiping.layout" (stderr unless a channel was set).
#pragma once

#include <string>
#include <vector>

#include "fonts/font_set.h"
#include "layout/display_list.h"

namespace zhiping::layout {

enum class Align { kJustify, kLeft, kCenter, kRight };

struct TextStyle {
  fonts::Role role = fonts::Role::kFangSong;
  double size = 16;     // pt
  double pitch = 0;     // advance of a Han character; 0 = size (the body uses the 15.79 pt grid pitch)
  Color color = kBlack;
  double pitch_or_size() const { return pitch > 0 ? pitch : size; }
};

struct ParagraphSpec {
  std::u32string text;
  TextStyle style;
  double width = 0;         // line width, pt
  double first_indent = 0;  // pt, first line only
  double hanging_indent = 0;  // pt, every line after the first (附件说明: align with the first name)
  Align align = Align::kJustify;
  bool balance = false;     // titles: lines of near equal length
  bool avoid_orphan = true;
  // Cells: break between words where a word boundary fits on the line (高级 / 政工师, not 高级政 / 工师); a word
  // wider than the line still breaks by the line rules alone. Body text keeps the grid's any-character breaks.
  bool words_whole = false;
};

struct ComposedGlyph {
  char32_t cp;
  const fonts::FontFace* face;
  double x;  // from the left edge of the line box
};

struct ComposedLine {
  std::vector<ComposedGlyph> glyphs;
  double width = 0;  // used width
};

// Throws zhiping::Error kInvalidInput naming the character when no configured font of any role has it.
std::vector<ComposedLine> ComposeParagraph(const ParagraphSpec& spec, const fonts::FontSet& fonts);

// Natural width of a single line of text (no breaking), e.g. for table columns and right-aligned dates.
double MeasureText(const std::u32string& text, const TextStyle& style, const fonts::FontSet& fonts);

}  // namespace zhiping::layout
