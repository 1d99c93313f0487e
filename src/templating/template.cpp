#include "templating/template.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <kainjow/mustache.hpp>
#include <openssl/evp.h>

#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "common/error.h"
#include "common/json.h"
#include "common/utf8.h"
#include "templating/view.h"

namespace zhiping::templating {

namespace mstch = kainjow::mustache;
using layout::Align;
using layout::BlockKind;

namespace {

struct Text {
  std::string src;
  int line = 0;
};

struct Column {
  Text header, cell;
  double width = 0.1;
  Align align = Align::kLeft;
};

enum class NodeKind { kBlock, kIf, kUnless, kEach };

struct Node {
  NodeKind kind = NodeKind::kBlock;
  int line = 0;
  BlockKind block = BlockKind::kParagraph;
  Text text, text2, text3;
  std::vector<Text> items;
  int level = 1;
  bool sealed = true;
  std::string source;  // @if/@each path, @table source
  std::vector<Column> columns;
  double font_size = 14;
  bool repeat_header = true;
  double image_w = 0, image_h = 0;
  Align align = Align::kCenter;
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
    mstch::mustache m{src};
    if (!m.is_valid()) Fail(line, "Mustache: " + m.error_message());
    size_t bad = 0;
    std::u32string tmp;
    if (!DecodeUtf8(src, &tmp, &bad)) Fail(line, "the file is not valid UTF-8");
    return Text{src, line};
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
        node.text = MakeText(attrs["organ"], line_no);
        node.text2 = MakeText(attrs["number"], line_no);
        node.text3 = MakeText(attrs["signer"], line_no);
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
        node.level = std::atoi(attrs["_"].c_str());
        if (node.level < 1 || node.level > 4) Fail(line_no, "@heading needs a level 1-4, e.g. '@heading 1'");
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
        std::string kind = attrs.count("_") ? attrs["_"] : "sealed";
        if (kind != "sealed" && kind != "unsealed") Fail(line_no, "@signature is 'sealed' or 'unsealed'");
        node.sealed = kind == "sealed";
        std::vector<std::pair<std::string, int>> ls;
        for (auto& p : body())
          if (!Trim(p.first).empty()) ls.push_back(p);
        if (ls.size() != 2) Fail(line_no, "@signature needs two lines: the organ, then the date");
        node.text = MakeText(Trim(ls[0].first), ls[0].second);
        node.text2 = MakeText(Trim(ls[1].first), ls[1].second);
      } else if (name == "table") {
        node.block = BlockKind::kTable;
        node.source = attrs["source"];
        if (node.source.empty()) Fail(line_no, "@table needs source=LIST (e.g. source=applicants)");
        if (attrs.count("font-size")) node.font_size = std::atof(attrs["font-size"].c_str());
        if (node.font_size < 6 || node.font_size > 22) Fail(line_no, "font-size must be between 6 and 22");
        if (attrs.count("repeat-header")) node.repeat_header = attrs["repeat-header"] != "no";
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
        node.text = MakeText(attrs.count("label") ? attrs["label"] : "附件", line_no);
        node.text2 = joined("");
      } else if (name == "end-matter") {
        node.block = BlockKind::kEndMatter;
        node.text = MakeText(attrs["cc"], line_no);
        node.text2 = MakeText(attrs["printer"], line_no);
        node.text3 = MakeText(attrs["date"], line_no);
      } else if (name == "spacer") {
        node.block = BlockKind::kSpacer;
        node.level = attrs.count("_") ? std::atoi(attrs["_"].c_str()) : 1;
        if (node.level < 1 || node.level > 22) Fail(line_no, "@spacer takes 1-22 lines");
      } else if (name == "image") {
        node.block = BlockKind::kImage;
        node.source = attrs["src"];
        node.image_w = std::atof(attrs["width"].c_str());
        node.image_h = std::atof(attrs["height"].c_str());
        if (node.source.empty() || node.image_w <= 0 || node.image_h <= 0)
          Fail(line_no, "@image needs src=FIELD width=MM height=MM");
      } else {
        Fail(line_no, "unknown directive '@" + name + "'");
      }
      target->push_back(node);
    }
    if (!stack.empty()) Fail(stack.back().second->line, "@" + std::string(stack.back().second->kind == NodeKind::kEach ? "each" : "if") + " is never closed with @end");
    if (!saw_kind) Fail(1, "the first directive must be '@template pdf'");
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
    mstch::context<std::string> ctx;
    std::vector<layout::Block> blocks;

    std::u32string Render(const Text& t) {
      if (t.src.empty()) return U"";
      mstch::mustache m{t.src};
      // Values are text for the page, not HTML: no escaping. The structure was fixed when the file was parsed.
      m.set_custom_escape([](const std::string& s) { return s; });
      std::string out = m.render(ctx);
      std::u32string u;
      size_t bad = 0;
      if (!DecodeUtf8(out, &u, &bad))
        throw Error(ErrorKind::kInvalidInput, "text bound at " + impl.path + ":" + std::to_string(t.line) + " is not valid UTF-8");
      for (auto& c : u)
        if (c == '\n' || c == '\r') c = ' ';
      return u;
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

    void Block(const Node& n) {
      layout::Block b;
      b.kind = n.block;
      b.text = Render(n.text);
      b.text2 = Render(n.text2);
      b.text3 = Render(n.text3);
      for (const Text& t : n.items) b.items.push_back(Render(t));
      b.level = n.level;
      b.sealed = n.sealed;
      if (n.block == BlockKind::kTable) {
        b.table_font_size = n.font_size;
        b.repeat_header = n.repeat_header;
        for (const Column& c : n.columns) b.columns.push_back({Render(c.header), c.width, c.align});
        const mstch::data* d = ctx.get(n.source);
        if (d && d->is_list()) {
          std::vector<mstch::mustache> cells;  // compiled once per table, not per row
          for (const Column& c : n.columns) {
            cells.emplace_back(c.cell.src);
            cells.back().set_custom_escape([](const std::string& s) { return s; });
          }
          b.rows.reserve(d->list_value().size());
          for (const mstch::data& item : d->list_value()) {
            ctx.push(&item);
            std::vector<std::u32string> row;
            for (auto& m : cells) {
              std::u32string u;
              DecodeUtf8(m.render(ctx), &u);
              row.push_back(std::move(u));
            }
            ctx.pop();
            b.rows.push_back(std::move(row));
          }
        }
      }
      if (n.block == BlockKind::kImage) {
        Image image = ImageAt(ctx, n.source);
        if (image.bytes.empty()) return;  // no photo: the template decides what to show instead (@unless)
        b.image_bytes = std::move(image.bytes);
        b.image_png = image.png;
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

std::string PdfTemplate::digest() const {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(impl_->text.data(), impl_->text.size(), md, &len, EVP_sha256(), nullptr);
  std::string out;
  static const char* hex = "0123456789abcdef";
  for (unsigned i = 0; i < len; ++i) out += hex[md[i] >> 4], out += hex[md[i] & 15];
  return out;
}

layout::DocumentSpec PdfTemplate::Bind(const Poco::Dynamic::Var& body) const {
  mstch::data view = BuildView(body, impl_->allow);
  Impl::Binder binder{*impl_, mstch::context<std::string>(&view), {}};
  layout::DocumentSpec spec;
  spec.style = impl_->style;
  spec.page_numbers = impl_->page_numbers;
  spec.letterhead = binder.Render(impl_->letterhead);
  spec.title = EncodeUtf8(binder.Render(impl_->meta_title));
  binder.Run(impl_->nodes);
  spec.blocks = std::move(binder.blocks);
  return spec;
}

std::vector<std::string> PdfTemplate::Fields() const {
  std::set<std::string> out;
  std::function<void(const std::vector<Node>&, const std::string&)> walk = [&](const std::vector<Node>& nodes,
                                                                                const std::string& prefix) {
    auto add = [&](const Text& t) {
      for (const std::string& f : MustacheNames(t.src)) out.insert(prefix + f);
    };
    for (const Node& n : nodes) {
      for (const Text* t : {&n.text, &n.text2, &n.text3}) add(*t);
      for (const Text& t : n.items) add(t);
      if (n.kind != NodeKind::kBlock) out.insert(prefix + n.source + (n.kind == NodeKind::kEach ? "[]" : ""));
      if (n.block == BlockKind::kTable && n.kind == NodeKind::kBlock) {
        out.insert(prefix + n.source + "[]");
        for (const Column& c : n.columns)
          for (const std::string& f : MustacheNames(c.cell.src)) out.insert(prefix + n.source + "[]." + f);
      }
      walk(n.children, n.kind == NodeKind::kEach ? prefix + n.source + "[]." : prefix);
      walk(n.else_children, prefix);
    }
  };
  walk(impl_->nodes, "");
  return std::vector<std::string>(out.begin(), out.end());
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
