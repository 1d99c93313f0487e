#include "templating/selection.h"

namespace zhiping::templating {

void Selection::Add(const std::string& dotted) {
  Selection* node = this;
  size_t pos = 0;
  while (!node->whole) {
    size_t dot = dotted.find('.', pos);
    node = &node->members[dotted.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos)];
    if (dot == std::string::npos) {
      node->whole = true;
      node->members.clear();
      return;
    }
    pos = dot + 1;
  }
}

const Selection* Selection::Member(std::string_view name) const {
  if (whole) return this;
  auto it = members.find(name);
  return it == members.end() ? nullptr : &it->second;
}

}  // namespace zhiping::templating
