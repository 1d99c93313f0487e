#include "templating/mustache_text.h"

namespace zhiping::templating {

namespace mstch = kainjow::mustache;

namespace {

using Component = mstch::component<std::string>;

// Names in the parsed tree, sections first-to-last as the renderer meets them.
void CollectNames(const Component& parent, std::vector<std::string>* sections, std::vector<NameUse>* out) {
  for (const Component& c : parent.children) {
    const mstch::tag_type type = c.tag.type;
    NameKind kind;
    if (type == mstch::tag_type::variable || type == mstch::tag_type::unescaped_variable) kind = NameKind::kValue;
    else if (type == mstch::tag_type::section_begin) kind = NameKind::kSection;
    else if (type == mstch::tag_type::section_begin_inverted) kind = NameKind::kInverted;
    else continue;  // text, comments, partials, delimiter changes, section ends
    if (c.tag.name != "." && !c.tag.name.empty()) out->push_back(NameUse{c.tag.name, kind, *sections});
    if (kind == NameKind::kValue) continue;
    sections->push_back(c.tag.name);
    CollectNames(c, sections, out);
    sections->pop_back();
  }
}

// What kainjow renders into: anything with operator<< (its render(context) makes an ostringstream for each text,
// which cost a roster more than the rendering itself).
struct Appender {
  std::string* out;
  Appender& operator<<(const std::string& text) {
    out->append(text);
    return *this;
  }
};

}  // namespace

std::vector<std::string> SplitDotted(const std::string& name) {
  std::vector<std::string> path;
  size_t pos = 0;
  while (true) {
    size_t dot = name.find('.', pos);
    path.push_back(name.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos));
    if (dot == std::string::npos) return path;
    pos = dot + 1;
  }
}

MustacheText::MustacheText(const std::string& text) : source_(text) {
  if (text.empty()) return;
  // The tree kainjow renders from is private to its mustache class; its parser gives the same tree for the names.
  Component root;
  mstch::context<std::string> unused;
  mstch::context_internal<std::string> parse_ctx{unused};
  mstch::parser<std::string> parse{text, parse_ctx, root, error_};
  if (!valid()) return;
  std::vector<std::string> sections;
  CollectNames(root, &sections, &names_);
  if (root.children.size() == 1 && names_.size() == 1 && names_[0].kind == NameKind::kValue) {
    single_path_ = SplitDotted(names_[0].name);
    for (const std::string& segment : single_path_)
      if (segment.empty()) single_path_.clear();
  }
  compiled_ = std::make_unique<mstch::mustache>(text);
  compiled_->set_custom_escape([](const std::string& s) { return s; });  // text for a page or a cell, not HTML
}

MustacheText::~MustacheText() = default;
MustacheText::MustacheText(MustacheText&&) noexcept = default;
MustacheText& MustacheText::operator=(MustacheText&&) noexcept = default;

std::string MustacheText::Render(mstch::basic_context<std::string>& scope) const {
  std::string out;
  Render(scope, &out);
  return out;
}

void MustacheText::Render(mstch::basic_context<std::string>& scope, std::string* out) const {
  out->clear();
  if (!compiled_) return;
  Appender appender{out};
  compiled_->render(scope, appender);
}

}  // namespace zhiping::templating
