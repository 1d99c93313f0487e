// layout/blocks.h — the document structure the template stage produces and the layout consumes.
//
// Blocks carry final text (data already bound, no template syntax left); the layout decides where everything goes
// on the page. A DocumentSpec is a plain value: it owns all its strings and image bytes, holds no pointers, and may
// be built on one thread and laid out on another. Which fields a block uses depends on its kind (listed at each
// field); the others stay empty and are ignored. Nothing here validates: the template stage guarantees the ranges
// stated below (heading level 1–4, spacer 1–22 lines), and the layout clamps what it must.
#pragma once

#include <string>
#include <vector>

#include "layout/paragraph.h"

namespace zhiping::layout {

enum class PageStyle { kOfficial, kLetter };

enum class BlockKind {
  kRedHeader,       // 版头: organ, doc_number, optional signer (上行文)
  kTitle,           // 2号小标宋, centred, balanced lines: text
  kAddressee,       // 主送机关, flush left: text
  kParagraph,       // 正文 paragraph, 2-character indent: text
  kHeading,         // heading_level 1..4: 一、黑体 /（一）楷体 / 1. 仿宋 /（1）仿宋: text
  kRightLine,       // a line set flush right (a letter number, 编号): text
  kCenterLine,      // a line set centred: text
  kAttachmentNote,  // 附件说明: items
  kSignature,       // organ, date, sealed or not
  kNote,            // 附注 "（…）": text
  kTable,
  kPageBreak,
  kAttachmentPage,  // new page, label ("附件N"), optional title
  kEndMatter,       // 版记: cc, printer, date (the print date)
  kSpacer,          // spacer_lines blank grid lines
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

// A run of table rows under one heading row (a committee / city), from row `first_row` to the next group.
struct TableGroup {
  std::u32string heading;
  size_t first_row = 0;
};

struct Block {
  BlockKind kind = BlockKind::kParagraph;
  std::u32string text;        // title, addressee, paragraph, heading, right/centre line, note; a form's heading
  std::u32string organ;       // red header: 发文机关标志; signature: the signing organ
  // 联合行文 (joint document), in order, the lead organ first. Red header: the organ mark's names (§7.2.2), with
  // `suffix` (「文件」, may be empty); signature: each organ's name and its date (§7.3.5.2). Empty: not joint.
  std::vector<std::u32string> organs, dates;
  std::u32string suffix;
  std::u32string doc_number;  // red header: 发文字号
  std::u32string signer;      // red header: 签发人 (empty: none)
  std::u32string date;        // signature: 成文日期; end matter: 印发日期 (without "印发")
  std::u32string label;       // attachment page: "附件1"
  std::u32string title;       // attachment page: the attachment's title (empty: none)
  std::u32string cc;          // end matter: 抄送 (empty: no cc line)
  std::u32string printer;     // end matter: 印发机关
  std::vector<std::u32string> items;  // attachment note items
  int heading_level = 1;              // heading: 1..4
  int spacer_lines = 1;               // spacer: 1..22
  bool sealed = true;                 // signature: with the seal's place kept
  // tables
  std::vector<TableColumn> columns;
  std::vector<std::vector<std::u32string>> rows;
  double table_font_size = 14;
  bool repeat_header = true;
  std::vector<TableGroup> groups;  // empty: no groups; else in row order, groups[0].first_row == 0
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
