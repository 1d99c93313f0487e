#include "templating/template.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <kainjow/mustache.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "common/error.h"
#include "common/json.h"
#include "common/utf8.h"
#include "templating/mustache_text.h"
#include "templating/scope.h"
#include "templating/template_fields.h"
#include "templating/view.h"

namespace zhiping::templating {

namespace mstch = kainjow::mustache;
using layout::Align;
using layout::BlockKind;

namespace {

struct Text {
  std::string src;
  int line = 0;
  std::shared_ptr<const MustacheText> compiled;  // null for an empty text
};

struct Column {
  Text header, cell;
  double width = 0.1;
  Align align = Align::kLeft;
};

enum class NodeKind { kBlock, kIf, kUnless, kEach };

// @form … @end
struct FormParaTpl {
  Text text;
  Align align = Align::kLeft;
  bool foot = false;
};

struct FormCellTpl {
  int col = 0, colspan = 1, rowspan = 1;
  bool label = false, top = false, underline = false, photo = false;
  std::string photo_source;
  std::vector<FormParaTpl> paras;
};

struct FormRowTpl {
  int line = 0;
  std::string source;  // @rows LIST: one row per element
  double min_height_mm = 0;
  bool repeat = false;
  std::vector<FormCellTpl> cells;
};

struct FormTpl {
  std::vector<double> columns;
  double font_size = 12;
  bool rules = true;
  Text heading;
  std::vector<FormRowTpl> rows;
};

struct Node {
  NodeKind kind = NodeKind::kBlock;
  int line = 0;
  BlockKind block = BlockKind::kParagraph;
  Text text, organ, doc_number, signer, date, label, title, cc, printer;  // as layout::Block
  Text suffix, group;  // @red-header suffix (「文件」); @table group (a row's group heading)
  std::vector<Text> items;
  int heading_level = 1, spacer_lines = 1;
  bool sealed = true;
  std::string source;  // @if/@each path, @table source
  std::vector<Column> columns;
  double font_size = 14;
  bool repeat_header = true;
  double image_w = 0, image_h = 0;
  Align align = Align::kCenter;
  std::shared_ptr<FormTpl> form;
  std::vector<Node> children, else_children;
};

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

}  // namespace

struct PdfTemplate::Impl {
  std::string path, text, description;
  layout::PageStyle style = layout::PageStyle::kOfficial;
  bool page_numbers = true;
  Text letterhead, meta_title;
  AllowList allow;
  std::vector<Node> nodes;

  [[noreturn]] void Fail(int line, const std::string& what) const {
    throw Error(ErrorKind::kTemplate, path + ":" + std::to_string(line) + ": " + what);
  }

  Text MakeText(const std::string& src, int line) const {
    auto compiled = std::make_shared<const MustacheText>(src);
    if (!compiled->valid()) Fail(line, "Mustache: " + compiled->error());
    size_t bad = 0;
    std::u32string tmp;
    if (!DecodeUtf8(src, &tmp, &bad)) Fail(line, "the file is not valid UTF-8");
    return Text{src, line, src.empty() ? nullptr : std::move(compiled)};
  }

  // ---- parsing ----------------------------------------------------------------------------------------------------
  void ParseFile() {
    std::vector<std::string> lines;
    std::stringstream ss(text);
    std::string l;
    while (std::getline(ss, l)) {
      if (!l.empty() && l.back() == '\r') l.pop_back();
      lines.push_back(l);
    }
    size_t i = 0;
    bool saw_kind = false;
    // Header directives come first and apply to the whole document.
    std::vector<Node>* target = &nodes;
    std::vector<std::pair<std::vector<Node>*, Node*>> stack;  // open @if/@each
    auto is_directive = [](const std::string& s) { return s.size() > 1 && s[0] == '@' && s[1] != '@'; };
    auto following_text = [&](size_t& j) {  // lines after a directive up to the next directive
      std::vector<std::pair<std::string, int>> out;
      while (j < lines.size() && !is_directive(lines[j])) {
        std::string t = lines[j];
        if (!t.empty() && t[0] == '#') {
          ++j;
          continue;
        }
        if (t.rfind("@@", 0) == 0) t = t.substr(1);
        out.emplace_back(t, static_cast<int>(j + 1));
        ++j;
      }
      return out;
    };
    while (i < lines.size()) {
      const int line_no = static_cast<int>(i + 1);
      std::string raw = lines[i];
      std::string t = Trim(raw);
      if (t.empty() || t[0] == '#') {
        ++i;
        continue;
      }
      if (!is_directive(t)) Fail(line_no, "text outside a block: start the block with a directive such as @para");
      size_t sp = t.find_first_of(" \t");
      std::string name = t.substr(1, sp == std::string::npos ? std::string::npos : sp - 1);
      std::string rest = sp == std::string::npos ? "" : Trim(t.substr(sp + 1));
      std::map<std::string, std::string> attrs = ParseAttributes(rest, line_no);
      ++i;
      size_t j = i;
      auto body = [&]() {
        auto ft = following_text(j);
        i = j;
        return ft;
      };
      auto joined = [&](const std::string& inline_text) {
        std::string s = inline_text;
        int ln = line_no;
        for (auto& [txt, n] : body()) {
          std::string tt = Trim(txt);
          if (tt.empty()) continue;
          if (s.empty()) ln = n;
          s += tt;
        }
        return MakeText(s, ln);
      };
      Node node;
      node.line = line_no;
      if (name == "template") {
        if (rest != "pdf") Fail(line_no, "this is a PDF template: the first directive must be '@template pdf'");
        saw_kind = true;
        continue;
      }
      if (!saw_kind) Fail(line_no, "the first directive must be '@template pdf'");
      if (name == "describe") {
        description = rest;
        continue;
      } else if (name == "page") {
        std::string style_name = attrs.count("_") ? attrs["_"] : "official";
        if (style_name == "official") style = layout::PageStyle::kOfficial;
        else if (style_name == "letter") style = layout::PageStyle::kLetter;
        else Fail(line_no, "unknown page style '" + style_name + "' (official, letter)");
        if (attrs.count("numbers")) page_numbers = attrs["numbers"] == "yes";
        if (attrs.count("letterhead")) letterhead = MakeText(attrs["letterhead"], line_no);
        if (attrs.count("title")) meta_title = MakeText(attrs["title"], line_no);
        continue;
      } else if (name == "allow") {
        // @allow applicants: name gender unit — the view of that list holds only these fields
        size_t colon = rest.find(':');
        if (colon == std::string::npos) Fail(line_no, "@allow needs 'list: field field …'");
        std::string list = Trim(rest.substr(0, colon));
        std::stringstream fs(rest.substr(colon + 1));
        std::string f;
        while (fs >> f) allow[list].insert(f);
        continue;
      } else if (name == "if" || name == "unless" || name == "each") {
        if (rest.empty()) Fail(line_no, "@" + name + " needs a field path");
        node.kind = name == "if" ? NodeKind::kIf : name == "unless" ? NodeKind::kUnless : NodeKind::kEach;
        node.source = rest;
        target->push_back(node);
        stack.emplace_back(target, &target->back());
        target = &target->back().children;
        continue;
      } else if (name == "else") {
        if (stack.empty() || stack.back().second->kind == NodeKind::kEach) Fail(line_no, "@else without @if");
        target = &stack.back().second->else_children;
        continue;
      } else if (name == "end") {
        if (stack.empty()) Fail(line_no, "@end without @if or @each");
        target = stack.back().first;
        stack.pop_back();
        continue;
      } else if (name == "red-header") {
        node.block = BlockKind::kRedHeader;
        // each=LIST: a joint document's organ mark, `organ` read once per element (GB/T 9704 §7.2.2).
        node.source = attrs["each"];
        node.suffix = MakeText(attrs["suffix"], line_no);
        node.organ = MakeText(attrs["organ"], line_no);
        node.doc_number = MakeText(attrs["number"], line_no);
        node.signer = MakeText(attrs["signer"], line_no);
      } else if (name == "title") {
        node.block = BlockKind::kTitle;
        node.text = joined(rest);
      } else if (name == "addressee") {
        node.block = BlockKind::kAddressee;
        node.text = joined(rest);
      } else if (name == "right" || name == "center") {
        node.block = name == "right" ? BlockKind::kRightLine : BlockKind::kCenterLine;
        node.text = joined(rest);
      } else if (name == "note") {
        node.block = BlockKind::kNote;
        node.text = joined(rest);
      } else if (name == "heading") {
        node.block = BlockKind::kHeading;
        node.heading_level = std::atoi(attrs["_"].c_str());
        if (node.heading_level < 1 || node.heading_level > 4) Fail(line_no, "@heading needs a level 1-4, e.g. '@heading 1'");
        node.text = joined(attrs.count("text") ? attrs["text"] : "");
      } else if (name == "para") {
        // Paragraphs: consecutive lines join; a blank line starts a new paragraph.
        std::string cur;
        int cur_line = line_no;
        auto flush = [&]() {
          if (Trim(cur).empty()) return;
          Node p;
          p.line = cur_line;
          p.block = BlockKind::kParagraph;
          p.text = MakeText(cur, cur_line);
          target->push_back(p);
          cur.clear();
        };
        if (!rest.empty()) cur = rest;
        for (auto& [txt, n] : body()) {
          std::string tt = Trim(txt);
          if (tt.empty()) {
            flush();
            continue;
          }
          if (cur.empty()) cur_line = n;
          cur += tt;
        }
        flush();
        continue;
      } else if (name == "attachments") {
        node.block = BlockKind::kAttachmentNote;
        for (auto& [txt, n] : body())
          if (!Trim(txt).empty()) node.items.push_back(MakeText(Trim(txt), n));
        if (node.items.empty()) Fail(line_no, "@attachments needs one attachment name per line");
      } else if (name == "signature") {
        node.block = BlockKind::kSignature;
        node.source = attrs["each"];  // joint: both lines read once per element (GB/T 9704 §7.3.5.2)
        std::string kind = attrs.count("_") ? attrs["_"] : "sealed";
        if (kind != "sealed" && kind != "unsealed") Fail(line_no, "@signature is 'sealed' or 'unsealed'");
        node.sealed = kind == "sealed";
        std::vector<std::pair<std::string, int>> ls;
        for (auto& p : body())
          if (!Trim(p.first).empty()) ls.push_back(p);
        if (ls.size() != 2) Fail(line_no, "@signature needs two lines: the organ, then the date");
        node.organ = MakeText(Trim(ls[0].first), ls[0].second);
        node.date = MakeText(Trim(ls[1].first), ls[1].second);
      } else if (name == "table") {
        node.block = BlockKind::kTable;
        node.source = attrs["source"];
        if (node.source.empty()) Fail(line_no, "@table needs source=LIST (e.g. source=applicants)");
        if (attrs.count("font-size")) node.font_size = std::atof(attrs["font-size"].c_str());
        if (node.font_size < 6 || node.font_size > 22) Fail(line_no, "font-size must be between 6 and 22");
        if (attrs.count("repeat-header")) node.repeat_header = attrs["repeat-header"] != "no";
        if (attrs.count("group")) node.group = MakeText(attrs["group"], line_no);
        double total = 0;
        for (auto& [txt, n] : body()) {
          std::string tt = Trim(txt);
          if (tt.empty()) continue;
          if (tt[0] != '|') Fail(n, "a table column line looks like '| 表头 | 20% | left | {{field}}'");
          std::vector<std::string> parts;
          std::stringstream cs(tt.substr(1));
          std::string part;
          while (std::getline(cs, part, '|')) parts.push_back(Trim(part));
          if (!parts.empty() && parts.back().empty()) parts.pop_back();
          if (parts.size() != 4) Fail(n, "a column needs 4 parts: header | width% | left/center/right | cell text");
          Column c;
          c.header = MakeText(parts[0], n);
          c.width = std::atof(parts[1].c_str()) / 100.0;
          if (c.width <= 0 || c.width > 1) Fail(n, "column width must be a percentage such as 20%");
          if (parts[2] == "left") c.align = Align::kLeft;
          else if (parts[2] == "center") c.align = Align::kCenter;
          else if (parts[2] == "right") c.align = Align::kRight;
          else Fail(n, "column alignment must be left, center or right");
          c.cell = MakeText(parts[3], n);
          total += c.width;
          node.columns.push_back(c);
        }
        if (node.columns.empty()) Fail(line_no, "@table needs column lines");
        if (total > 1.0001) Fail(line_no, "column widths add up to more than 100%");
      } else if (name == "page-break") {
        node.block = BlockKind::kPageBreak;
      } else if (name == "attachment-page") {
        node.block = BlockKind::kAttachmentPage;
        node.label = MakeText(attrs.count("label") ? attrs["label"] : "附件", line_no);
        node.title = joined("");
      } else if (name == "end-matter") {
        node.block = BlockKind::kEndMatter;
        node.cc = MakeText(attrs["cc"], line_no);
        node.printer = MakeText(attrs["printer"], line_no);
        node.date = MakeText(attrs["date"], line_no);
      } else if (name == "spacer") {
        node.block = BlockKind::kSpacer;
        node.spacer_lines = attrs.count("_") ? std::atoi(attrs["_"].c_str()) : 1;
        if (node.spacer_lines < 1 || node.spacer_lines > 22) Fail(line_no, "@spacer takes 1-22 lines");
      } else if (name == "image") {
        node.block = BlockKind::kImage;
        node.source = attrs["src"];
        node.image_w = std::atof(attrs["width"].c_str());
        node.image_h = std::atof(attrs["height"].c_str());
        if (node.source.empty() || node.image_w <= 0 || node.image_h <= 0)
          Fail(line_no, "@image needs src=FIELD width=MM height=MM");
      } else if (name == "form") {
        node.block = BlockKind::kForm;
        node.form = ParseForm(attrs, line_no, lines, i);
      } else if (name == "row" || name == "rows") {
        Fail(line_no, "@" + name + " belongs inside @form … @end");
      } else {
        Fail(line_no, "unknown directive '@" + name + "'");
      }
      target->push_back(node);
    }
    if (!stack.empty()) Fail(stack.back().second->line, "@" + std::string(stack.back().second->kind == NodeKind::kEach ? "each" : "if") + " is never closed with @end");
    if (!saw_kind) Fail(1, "the first directive must be '@template pdf'");
  }


  // ---- @form ------------------------------------------------------------------------------------------------------
  // @form columns="18% 22% …" [font-size=12] [heading="…"] [rules=none], then @row / @rows lines each followed by
  // one line of cells `| … | … |`, then @end. Consumes the lines up to and including @end (`i` is moved past it).
  std::shared_ptr<FormTpl> ParseForm(std::map<std::string, std::string>& attrs, int line_no,
                                     const std::vector<std::string>& lines, size_t& i) const {
    auto form = std::make_shared<FormTpl>();
    if (!attrs.count("columns")) Fail(line_no, "@form needs columns=\"30% 70%\" (widths of the type area)");
    {
      std::stringstream cs(attrs["columns"]);
      std::string w;
      double total = 0;
      while (cs >> w) {
        double v = std::atof(w.c_str()) / 100.0;
        if (w.back() != '%' || v <= 0 || v > 1) Fail(line_no, "@form column width '" + w + "' must be a percentage such as 20%");
        form->columns.push_back(v);
        total += v;
      }
      if (form->columns.empty()) Fail(line_no, "@form needs at least one column width");
      if (total > 1.0001) Fail(line_no, "@form column widths add up to more than 100%");
    }
    if (attrs.count("font-size")) form->font_size = std::atof(attrs["font-size"].c_str());
    if (form->font_size < 6 || form->font_size > 42) Fail(line_no, "@form font-size must be between 6 and 42 (初号)");
    if (attrs.count("rules")) {
      if (attrs["rules"] != "all" && attrs["rules"] != "none") Fail(line_no, "@form rules= is 'all' or 'none'");
      form->rules = attrs["rules"] == "all";
    }
    if (attrs.count("heading")) form->heading = MakeText(attrs["heading"], line_no);
    for (const auto& [k, v] : attrs)
      if (k != "columns" && k != "font-size" && k != "rules" && k != "heading")
        Fail(line_no, "@form does not know '" + (k == "_" ? v : k) + "' (columns=, font-size=, heading=, rules=)");

    const int ncols = static_cast<int>(form->columns.size());
    std::vector<int> occupied(ncols, 0);  // rows still covered by a rowspan from above
    int occupied_since = 0;
    FormRowTpl* open = nullptr;  // the row whose cells come next
    int open_line = 0;
    auto finish_row = [&]() {
      if (open && open->cells.empty() && open_line) Fail(open_line, "@row needs a line of cells: | 姓名 | {{applicant.name}} |");
    };
    while (i < lines.size()) {
      const int n = static_cast<int>(i + 1);
      std::string t = Trim(lines[i]);
      ++i;
      if (t.empty() || t[0] == '#') continue;
      if (t[0] == '|') {
        if (!open || !open->cells.empty()) Fail(n, "a line of cells must follow @row or @rows");
        ParseCells(t, n, form.get(), open, occupied);
        if (!open->source.empty())
          for (const FormCellTpl& c : open->cells)
            if (c.rowspan > 1) Fail(n, "a row repeated by @rows cannot span rows (rowspan=)");
        if (open->repeat)
          for (const FormCellTpl& c : open->cells)
            if (c.rowspan > 1) Fail(n, "a repeated header row (@row repeat) cannot span rows (rowspan=)");
        int width = 0;
        for (int c = 0; c < ncols; ++c) width += occupied[c] > 0 ? 1 : 0;
        for (const FormCellTpl& c : open->cells) width += c.colspan;
        if (width != ncols)
          Fail(n, "the cells of this row fill " + std::to_string(width) + " of the form's " + std::to_string(ncols) + " columns");
        for (int c = 0; c < ncols; ++c)
          if (occupied[c] > 0) --occupied[c];
        for (const FormCellTpl& c : open->cells)
          for (int k = c.col; k < c.col + c.colspan; ++k) occupied[k] = c.rowspan - 1;
        if (std::any_of(occupied.begin(), occupied.end(), [](int v) { return v > 0; })) occupied_since = n;
        continue;
      }
      if (t[0] != '@' || (t.size() > 1 && t[1] == '@')) Fail(n, "inside @form: @row, @rows, a line of cells '| … |' or @end");
      size_t sp = t.find_first_of(" \t");
      std::string name = t.substr(1, sp == std::string::npos ? std::string::npos : sp - 1);
      std::string rest = sp == std::string::npos ? "" : Trim(t.substr(sp + 1));
      if (name == "end") {
        finish_row();
        if (form->rows.empty()) Fail(line_no, "@form has no rows");
        if (std::any_of(occupied.begin(), occupied.end(), [](int v) { return v > 0; }))
          Fail(occupied_since, "a rowspan here runs past the last row of the form");
        return form;
      }
      if (name != "row" && name != "rows") {
        Fail(n, name == "form" ? "@form cannot be nested: close the one above with @end"
                               : "inside @form only @row, @rows and @end are allowed (found '@" + name + "')");
      }
      finish_row();
      std::map<std::string, std::string> ra = ParseAttributes(rest, n);
      form->rows.emplace_back();
      open = &form->rows.back();
      open_line = n;
      open->line = n;
      if (name == "rows") {
        if (!ra.count("_")) Fail(n, "@rows needs a list, e.g. '@rows applicant.history'");
        if (std::any_of(occupied.begin(), occupied.end(), [](int v) { return v > 0; }))
          Fail(n, "a rowspan above reaches into @rows: the spanned rows must be @row lines");
        open->source = ra["_"];
      }
      for (auto& [k, v] : ra) {
        if (k == "_") {
          std::stringstream ws(rest);
          std::string word;
          bool first = true;
          while (ws >> word) {
            if (word.find('=') != std::string::npos) continue;
            if (first && name == "rows") {
              first = false;
              continue;
            }
            first = false;
            if (word == "grow") continue;  // rows always grow with their text; the word documents intent
            if (word == "repeat") open->repeat = true;
            else Fail(n, "@" + name + " does not know '" + word + "' (height=MM, grow, repeat)");
          }
        } else if (k == "height" || k == "min-height") {
          open->min_height_mm = std::atof(v.c_str());
          if (open->min_height_mm <= 0 || open->min_height_mm > 225)
            Fail(n, "row height is in millimetres, 1-225 (e.g. height=10)");
        } else {
          Fail(n, "@" + name + " does not know '" + k + "=' (height=MM, grow, repeat)");
        }
      }
    }
    Fail(line_no, "@form is never closed with @end");
  }

  // `| text [colspan=N] [rowspan=N] [label] [top] [left|center|right] [underline] | @photo FIELD [rowspan=N] |`
  // Attribute words are taken from the end of a cell; `\n` in the text starts a new line, `\f` sends the lines
  // after it to the bottom of the cell; a line starting with `>` is set flush right, `^` centred.
  void ParseCells(const std::string& t, int n, FormTpl* form, FormRowTpl* row, const std::vector<int>& occupied) const {
    std::string body = t.substr(1);
    if (body.empty() || body.back() != '|') Fail(n, "a line of cells starts and ends with '|'");
    body.pop_back();
    std::vector<std::string> parts;
    std::stringstream cs(body);
    std::string part;
    while (std::getline(cs, part, '|')) parts.push_back(part);
    if (body.empty() || body.back() == '|') parts.push_back("");
    const int ncols = static_cast<int>(form->columns.size());
    int col = 0;
    for (const std::string& raw : parts) {
      while (col < ncols && occupied[col] > 0) ++col;
      FormCellTpl c;
      std::string text = Trim(raw);
      // Trailing attribute words.
      Align cell_align = Align::kLeft;
      bool align_given = false;
      for (;;) {
        size_t sp = text.find_last_of(" \t");
        std::string word = sp == std::string::npos ? text : text.substr(sp + 1);
        std::string key = word.substr(0, word.find('='));
        std::string value = word.find('=') == std::string::npos ? "" : word.substr(word.find('=') + 1);
        bool known = true;
        if (key == "colspan" || key == "rowspan") {
          int v = std::atoi(value.c_str());
          if (v < 1 || v > 50) Fail(n, key + " must be a number of " + (key == "colspan" ? "columns" : "rows"));
          (key == "colspan" ? c.colspan : c.rowspan) = v;
        } else if (word == "label") c.label = true;
        else if (word == "top") c.top = true;
        else if (word == "underline") c.underline = true;
        else if (word == "left") cell_align = Align::kLeft, align_given = true;
        else if (word == "center") cell_align = Align::kCenter, align_given = true;
        else if (word == "right") cell_align = Align::kRight, align_given = true;
        else known = false;
        if (!known) break;
        text = sp == std::string::npos ? "" : Trim(text.substr(0, sp));
        if (text.empty()) break;
      }
      if (c.label && !align_given) cell_align = Align::kCenter;
      if (text.rfind("@photo", 0) == 0) {
        std::string field = Trim(text.substr(6));
        if (field.empty() || field.find_first_of(" \t{}") != std::string::npos)
          Fail(n, "a photo cell is '@photo FIELD', e.g. '@photo applicant.photo rowspan=4'");
        c.photo = true;
        c.photo_source = field;
      } else if (!text.empty() && text[0] == '@' && (text.size() < 2 || text[1] != '@')) {
        Fail(n, "unknown cell directive '" + text.substr(0, text.find(' ')) + "' (only @photo)");
      } else {
        if (text.rfind("@@", 0) == 0) text = text.substr(1);
        bool foot = false;
        size_t p = 0;
        for (;;) {
          size_t nl = text.find("\\n", p), ff = text.find("\\f", p);
          size_t e = std::min(nl, ff);
          std::string seg = text.substr(p, e == std::string::npos ? std::string::npos : e - p);
          FormParaTpl para;
          para.foot = foot;
          para.align = cell_align;
          if (!seg.empty() && seg[0] == '>') para.align = Align::kRight, seg = seg.substr(1);
          else if (!seg.empty() && seg[0] == '^') para.align = Align::kCenter, seg = seg.substr(1);
          para.text = MakeText(seg, n);
          if (!(seg.empty() && e == ff && p == 0 && e != std::string::npos) || foot) c.paras.push_back(para);
          if (e == std::string::npos) break;
          if (e == ff) foot = true;
          p = e + 2;
        }
      }
      c.col = col;
      if (col + c.colspan > ncols)
        Fail(n, "a cell reaches past the form's " + std::to_string(ncols) + " columns (check colspan= and rowspans above)");
      for (int k = col; k < col + c.colspan; ++k)
        if (occupied[k] > 0) Fail(n, "a cell overlaps a rowspan from the row above");
      col += c.colspan;
      row->cells.push_back(std::move(c));
    }
  }

  std::map<std::string, std::string> ParseAttributes(const std::string& rest, int line_no) const {
    // word word key=value key="value with spaces": the first bare word is stored under "_".
    std::map<std::string, std::string> out;
    size_t p = 0;
    while (p < rest.size()) {
      while (p < rest.size() && (rest[p] == ' ' || rest[p] == '\t')) ++p;
      if (p >= rest.size()) break;
      size_t eq = rest.find('=', p), sp = rest.find_first_of(" \t", p);
      if (eq != std::string::npos && (sp == std::string::npos || eq < sp)) {
        std::string key = rest.substr(p, eq - p);
        p = eq + 1;
        std::string value;
        if (p < rest.size() && rest[p] == '"') {
          size_t close = rest.find('"', p + 1);
          if (close == std::string::npos) Fail(line_no, "missing closing \" after " + key + "=");
          value = rest.substr(p + 1, close - p - 1);
          p = close + 1;
        } else {
          size_t e = rest.find_first_of(" \t", p);
          value = rest.substr(p, e == std::string::npos ? std::string::npos : e - p);
          p = e == std::string::npos ? rest.size() : e;
        }
        out[key] = value;
      } else {
        std::string word = rest.substr(p, sp == std::string::npos ? std::string::npos : sp - p);
        if (!out.count("_")) out["_"] = word;
        p = sp == std::string::npos ? rest.size() : sp;
      }
    }
    return out;
  }

  // ---- binding ----------------------------------------------------------------------------------------------------
  struct Binder {
    const Impl& impl;
    Scope ctx;
    std::vector<layout::Block> blocks;

    std::u32string Render(const Text& t) {
      if (!t.compiled) return U"";
      // Values are text for the page, not HTML: no escaping. The structure was fixed when the file was parsed.
      std::string out = t.compiled->Render(ctx);
      std::u32string u;
      size_t bad = 0;
      if (!DecodeUtf8(out, &u, &bad))
        throw Error(ErrorKind::kInvalidInput, "text bound at " + impl.path + ":" + std::to_string(t.line) + " is not valid UTF-8");
      return u;  // a line break in the data stays: the layout starts a new paragraph (or cell line) there
    }

    bool Truthy(const std::string& path) {
      const mstch::data* d = ctx.get(path);
      if (!d) return false;
      if (d->is_false()) return false;
      if (d->is_list()) return !d->list_value().empty();
      if (d->is_string()) return !d->string_value().empty() && d->string_value() != "0";
      return true;
    }

    void Run(const std::vector<Node>& nodes) {
      for (const Node& n : nodes) {
        switch (n.kind) {
          case NodeKind::kIf: Run(Truthy(n.source) ? n.children : n.else_children); break;
          case NodeKind::kUnless: Run(!Truthy(n.source) ? n.children : n.else_children); break;
          case NodeKind::kEach: {
            const mstch::data* d = ctx.get(n.source);
            if (d && d->is_list())
              for (const mstch::data& item : d->list_value()) {
                ctx.push(&item);
                Run(n.children);
                ctx.pop();
              }
            break;
          }
          case NodeKind::kBlock: Block(n); break;
        }
      }
    }

    layout::FormRow BindRow(const FormRowTpl& rt) {
      layout::FormRow row;
      row.min_height_mm = rt.min_height_mm;
      row.repeat = rt.repeat;
      for (const FormCellTpl& ct : rt.cells) {
        layout::FormCell c;
        c.col = ct.col;
        c.colspan = ct.colspan;
        c.rowspan = ct.rowspan;
        c.label = ct.label;
        c.top = ct.top;
        c.underline = ct.underline;
        c.photo = ct.photo;
        if (ct.photo) c.image_bytes = ImageAt(ctx, ct.photo_source).bytes;
        for (const FormParaTpl& p : ct.paras) c.paras.push_back({Render(p.text), p.align, p.foot});
        row.cells.push_back(std::move(c));
      }
      return row;
    }

    void Form(const FormTpl& f, layout::Block* b) {
      b->text = Render(f.heading);
      b->form_columns = f.columns;
      b->form_font_size = f.font_size;
      b->form_rules = f.rules;
      for (const FormRowTpl& rt : f.rows) {
        if (rt.source.empty()) {
          b->form_rows.push_back(BindRow(rt));
          continue;
        }
        const mstch::data* d = ctx.get(rt.source);
        if (!d || !d->is_list()) continue;
        for (const mstch::data& item : d->list_value()) {
          ctx.push(&item);
          b->form_rows.push_back(BindRow(rt));
          ctx.pop();
        }
      }
    }

    void Block(const Node& n) {
      layout::Block b;
      b.kind = n.block;
      b.text = Render(n.text);
      b.suffix = Render(n.suffix);
      if ((n.block == BlockKind::kRedHeader || n.block == BlockKind::kSignature) && !n.source.empty()) {
        const mstch::data* d = ctx.get(n.source);
        if (d && d->is_list())
          for (const mstch::data& item : d->list_value()) {
            ctx.push(&item);
            b.organs.push_back(Render(n.organ));
            if (n.block == BlockKind::kSignature) b.dates.push_back(Render(n.date));
            ctx.pop();
          }
      }
      b.organ = Render(n.organ);
      b.doc_number = Render(n.doc_number);
      b.signer = Render(n.signer);
      b.date = Render(n.date);
      b.label = Render(n.label);
      b.title = Render(n.title);
      b.cc = Render(n.cc);
      b.printer = Render(n.printer);
      for (const Text& t : n.items) b.items.push_back(Render(t));
      b.heading_level = n.heading_level;
      b.spacer_lines = n.spacer_lines;
      b.sealed = n.sealed;
      if (n.block == BlockKind::kTable) {
        b.table_font_size = n.font_size;
        b.repeat_header = n.repeat_header;
        for (const Column& c : n.columns) b.columns.push_back({Render(c.header), c.width, c.align});
        const mstch::data* d = ctx.get(n.source);
        if (d && d->is_list()) {
          b.rows.reserve(d->list_value().size());
          for (const mstch::data& item : d->list_value()) {
            ctx.push(&item);
            if (n.group.compiled) {
              std::u32string heading = Render(n.group);
              if (b.groups.empty() || b.groups.back().heading != heading)
                b.groups.push_back({std::move(heading), b.rows.size()});
            }
            std::vector<std::u32string> row;
            for (const Column& c : n.columns) {
              std::u32string u;
              if (c.cell.compiled) DecodeUtf8(c.cell.compiled->Render(ctx), &u);
              row.push_back(std::move(u));
            }
            ctx.pop();
            b.rows.push_back(std::move(row));
          }
        }
      }
      if (n.block == BlockKind::kForm) Form(*n.form, &b);
      if (n.block == BlockKind::kImage) {
        Image image = ImageAt(ctx, n.source);
        if (image.bytes.empty()) return;  // no photo: the template decides what to show instead (@unless)
        b.image_bytes = std::move(image.bytes);
        b.image_w_mm = n.image_w;
        b.image_h_mm = n.image_h;
      }
      blocks.push_back(std::move(b));
    }
  };
};

PdfTemplate::PdfTemplate(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PdfTemplate::~PdfTemplate() = default;

std::shared_ptr<const PdfTemplate> PdfTemplate::Load(const std::string& path) {
  std::string text;
  try {
    text = ReadFile(path);
  } catch (const Error& e) {
    throw Error(ErrorKind::kTemplate, path + ": cannot read the template file");
  }
  return Parse(text, path);
}

std::shared_ptr<const PdfTemplate> PdfTemplate::Parse(const std::string& text, const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->text = text;
  impl->ParseFile();
  return std::shared_ptr<const PdfTemplate>(new PdfTemplate(std::move(impl)));
}

const std::string& PdfTemplate::path() const { return impl_->path; }
const std::string& PdfTemplate::description() const { return impl_->description; }

layout::DocumentSpec PdfTemplate::Bind(const model::Request& request) const {
  return BindView(BuildView(request, impl_->allow));
}

layout::DocumentSpec PdfTemplate::BindJson(const Poco::Dynamic::Var& body) const {
  return BindView(BuildView(body, impl_->allow));
}

layout::DocumentSpec PdfTemplate::BindView(mstch::data view) const {
  Impl::Binder binder{*impl_, Scope(&view), {}};
  layout::DocumentSpec spec;
  spec.style = impl_->style;
  spec.page_numbers = impl_->page_numbers;
  spec.letterhead = binder.Render(impl_->letterhead);
  spec.title = EncodeUtf8(binder.Render(impl_->meta_title));
  binder.Run(impl_->nodes);
  spec.blocks = std::move(binder.blocks);
  return spec;
}

namespace {

// Visits what a template reads, frame by frame: `text` for each Mustache text, `path` for each field a directive
// names (kind: 'c' a condition, 'l' a list, 'i' an image).
struct FieldWalk {
  std::function<void(const Text&, const FieldFrame&)> text;
  std::function<void(const std::string&, const FieldFrame&, char kind)> path;

  void Nodes(const std::vector<Node>& nodes, const FieldFrame& frame) const {
    for (const Node& n : nodes) {
      const bool joint = (n.block == BlockKind::kRedHeader || n.block == BlockKind::kSignature) && !n.source.empty();
      for (const Text* t : {&n.text, &n.organ, &n.doc_number, &n.signer, &n.date, &n.label, &n.title, &n.cc, &n.printer,
                            &n.suffix}) {
        if (joint && (t == &n.organ || t == &n.date)) continue;
        text(*t, frame);
      }
      if (n.kind == NodeKind::kBlock && joint) {
        path(n.source, frame, 'l');
        text(n.organ, Element(n.source, frame));
        text(n.date, Element(n.source, frame));
      }
      for (const Text& t : n.items) text(t, frame);
      if (n.kind == NodeKind::kIf || n.kind == NodeKind::kUnless) path(n.source, frame, 'c');
      if (n.kind == NodeKind::kEach) path(n.source, frame, 'l');
      if (n.kind == NodeKind::kBlock && n.block == BlockKind::kImage) path(n.source, frame, 'i');
      if (n.kind == NodeKind::kBlock && n.block == BlockKind::kTable) {
        path(n.source, frame, 'l');
        for (const Column& c : n.columns) {
          text(c.header, frame);
          text(c.cell, Element(n.source, frame));
        }
        text(n.group, Element(n.source, frame));
      }
      if (n.form) {
        text(n.form->heading, frame);
        for (const FormRowTpl& r : n.form->rows) {
          if (!r.source.empty()) path(r.source, frame, 'l');
          const FieldFrame row_frame = r.source.empty() ? frame : Element(r.source, frame);
          for (const FormCellTpl& c : r.cells) {
            if (c.photo) path(c.photo_source, row_frame, 'i');
            for (const FormParaTpl& para : c.paras) text(para.text, row_frame);
          }
        }
      }
      Nodes(n.children, n.kind == NodeKind::kEach ? Element(n.source, frame) : frame);
      Nodes(n.else_children, frame);
    }
  }

  // The frame of the elements of list `source`; `resolve` turns the written name into a path.
  std::function<std::string(const std::string&, const FieldFrame&)> resolve;
  FieldFrame Element(const std::string& source, const FieldFrame& frame) const {
    return FieldFrame{resolve(source, frame) + "[].", {}};
  }
};

}  // namespace

std::vector<FieldUse> PdfTemplate::FieldUses() const {
  // First the body's names: what the template reads outside every list, and the lists it iterates.
  std::set<std::string> body_names;
  FieldWalk names;
  names.resolve = [](const std::string& source, const FieldFrame& frame) { return frame.prefix + source; };
  names.text = [&](const Text& t, const FieldFrame& frame) {
    if (t.compiled && frame.prefix.empty()) AddFirstSegments(*t.compiled, &body_names);
  };
  names.path = [&](const std::string& p, const FieldFrame& frame, char kind) {
    if (frame.prefix.empty()) body_names.insert(p.substr(0, p.find('.')));
  };
  names.Nodes(impl_->nodes, FieldFrame{});

  FieldCollector fields(body_names);
  FieldWalk walk;
  walk.resolve = [&](const std::string& source, const FieldFrame& frame) { return fields.Resolve(source, frame); };
  walk.text = [&](const Text& t, const FieldFrame& frame) {
    if (t.compiled) fields.AddText(*t.compiled, frame);
  };
  walk.path = [&](const std::string& p, const FieldFrame& frame, char kind) {
    fields.Add(fields.Resolve(p, frame) + (kind == 'l' ? "[]" : ""), false, kind == 'c');
  };
  walk.text(impl_->letterhead, FieldFrame{});
  walk.text(impl_->meta_title, FieldFrame{});
  walk.Nodes(impl_->nodes, FieldFrame{});
  return fields.Uses();
}

std::vector<std::string> PdfTemplate::Fields() const {
  std::vector<std::string> out;
  for (const FieldUse& f : FieldUses()) out.push_back(f.path);
  return out;
}

std::string TemplateOutputKind(const std::string& text) {
  std::stringstream ss(text);
  std::string l;
  while (std::getline(ss, l)) {
    std::string t = Trim(l);
    if (t.empty() || t[0] == '#') continue;
    if (t.rfind("@template", 0) == 0) return Trim(t.substr(9));
    return "";
  }
  return "";
}

}  // namespace zhiping::templating
