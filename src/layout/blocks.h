// layout/blocks.h — the document structure the template stage produces and the layout consumes.
// Blocks carry final text (data already bound); the layout decides where everything goes on the page.
#pragma once

#include <string>
#include <vector>

#include "layout/paragraph.h"

namespace zhiping::layout {

enum class PageStyle { kOfficial, kLetter };

enum class BlockKind {
  kRedHeader,       // 版头: organ mark (text), document number (text2), optional signer (text3, 上行文)
  kTitle,           // 2号小标宋, centred, balanced lines
  kAddressee,       // 主送机关, flush left
  kParagraph,       // 正文 paragraph, 2-character indent
  kHeading,         // level 1..4: 一、黑体 /（一）楷体 / 1. 仿宋 /（1）仿宋
  kRightLine,       // a line set flush right (a letter number, 编号)
  kCenterLine,      // a line set centred
  kAttachmentNote,  // 附件说明: items
  kSignature,       // organ (text), date (text2), sealed or not
  kNote,            // 附注 "（…）"
  kTable,
  kPageBreak,
  kAttachmentPage,  // new page, "附件N" (text), title (text2)
  kEndMatter,       // 版记: cc (text), printer (text2), print date (text3)
  kSpacer,          // `lines` blank grid lines
  kImage,
  kForm,            // a ruled form grid (评审表): form_* fields; optional section heading (text)
};

struct TableColumn {
  std::u32string header;
  double width_fraction = 0.1;  // of the type area's width
  Align align = Align::kLeft;
};

// ---- forms (@form … @end, docs/templates.md) ----------------------------------------------------------------------
struct FormPara {            // one forced line of a cell's text (it still wraps inside the cell)
  std::u32string text;
  Align align = Align::kLeft;
  bool foot = false;         // set at the bottom of the cell (签字 / 盖章 / 日期 lines)
};

struct FormCell {
  int col = 0, colspan = 1, rowspan = 1;
  std::vector<FormPara> paras;
  bool label = false;        // 黑体, centred
  bool top = false;          // vertical alignment: top (default: middle)
  bool underline = false;    // a rule under the cell even when the form has no rules (cover page)
  bool photo = false;        // one-inch photo cell: image_bytes, or "照片" in an empty box when there is none
  std::string image_bytes;
};

struct FormRow {
  double min_height_mm = 0;  // the row is at least this tall and grows with its text
  bool repeat = false;       // repeated (after the heading + "（续）") on every continuation page
  std::vector<FormCell> cells;
};

struct Block {
  BlockKind kind = BlockKind::kParagraph;
  std::u32string text, text2, text3;
  std::vector<std::u32string> items;  // attachment note items
  int level = 1;                      // heading level; spacer lines
  bool sealed = true;
  // tables
  std::vector<TableColumn> columns;
  std::vector<std::vector<std::u32string>> rows;
  double table_font_size = 14;
  bool repeat_header = true;
  // images
  std::string image_bytes;  // JPEG or PNG file bytes, decoded by layout (image/decode_memo.h)
  double image_w_mm = 0, image_h_mm = 0;
  Align image_align = Align::kCenter;
  // forms
  std::vector<double> form_columns;  // fractions of the type area's width
  std::vector<FormRow> form_rows;
  double form_font_size = 12;
  bool form_rules = true;
};

struct DocumentSpec {
  PageStyle style = PageStyle::kOfficial;
  bool page_numbers = true;
  std::u32string letterhead;  // 信函 format: organ name at the top of page 1
  std::string title;          // PDF metadata title
  std::vector<Block> blocks;
};

}  // namespace zhiping::layout
