#include "templating/template_fields.h"

namespace zhiping::templating {

namespace {

std::string FirstSegment(const std::string& name) { return name.substr(0, name.find('.')); }
std::string LastSegment(const std::string& name) {
  size_t dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

}  // namespace

std::string FieldCollector::Resolve(const std::string& name, const FieldFrame& frame) const {
  const std::string first = FirstSegment(name);
  auto join = frame.joins.find(first);
  if (join != frame.joins.end()) return join->second + name.substr(first.size());
  if (frame.prefix.empty() || body_names_.count(first)) return name;
  return frame.prefix + name;
}

void FieldCollector::AddText(const MustacheText& text, const FieldFrame& frame) {
  for (const NameUse& use : text.names()) {
    // Resolve the enclosing sections outermost first, then the name, each against those around it.
    auto resolve = [&](const std::string& name, size_t depth, const std::string& inner) {
      if (depth == 0) return Resolve(name, frame);
      const std::string first = FirstSegment(name);
      const std::string& section = use.sections[depth - 1];
      std::string base = name.size() > 3 && name.compare(name.size() - 3, 3, "_cn") == 0
                             ? name.substr(0, name.size() - 3) : name;
      bool absolute = body_names_.count(first) > 0 || frame.joins.count(first) > 0 || base == LastSegment(section);
      for (size_t i = 0; i < depth; ++i)
        absolute = absolute || use.sections[i] == name || FirstSegment(use.sections[i]) == first;
      return absolute ? Resolve(name, frame) : inner + "." + name;
    };
    std::string inner;
    for (size_t d = 0; d < use.sections.size(); ++d) inner = resolve(use.sections[d], d, inner);
    Add(resolve(use.name, use.sections.size(), inner), use.kind == NameKind::kValue, use.kind != NameKind::kValue);
  }
}

void FieldCollector::Add(const std::string& path, bool value, bool condition) {
  FieldUse& u = uses_[path];
  u.path = path;
  u.value = u.value || value;
  u.condition = u.condition || condition;
}

std::vector<FieldUse> FieldCollector::Uses() const {
  std::vector<FieldUse> out;
  for (const auto& [path, use] : uses_) out.push_back(use);
  return out;
}

void AddFirstSegments(const MustacheText& text, std::set<std::string>* out) {
  for (const NameUse& use : text.names())
    if (use.sections.empty()) out->insert(FirstSegment(use.name));
}

}  // namespace zhiping::templating
