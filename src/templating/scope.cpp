#include "templating/scope.h"

#include <cstdlib>

namespace zhiping::templating {

const Data* ChildOf(const Data& data, const std::string& segment) {
  if (data.is_object()) return data.get(segment);
  if (data.is_list()) {
    char* end = nullptr;
    unsigned long index = std::strtoul(segment.c_str(), &end, 10);
    if (segment.empty() || *end != '\0' || index >= data.list_value().size()) return nullptr;
    return &data.list_value()[index];
  }
  return nullptr;
}

const std::string& TextOf(const Data* data) {
  static const std::string kNone, kTrue = "true", kFalse = "false";
  if (!data) return kNone;
  if (data->is_string()) return data->string_value();
  if (data->is_true()) return kTrue;
  if (data->is_false()) return kFalse;
  return kNone;
}

const Data* Scope::First(const std::string& name) const {
  for (auto it = pushed_.rbegin(); it != pushed_.rend(); ++it) {
    if ((*it)->is_object()) {
      if (const Data* d = (*it)->get(name)) return d;
    }
  }
  for (const auto& join : joins_) {
    if (join.first == name) return join.second;  // a row without a partner sees the name as missing
  }
  if (row_ && row_->is_object()) {
    if (const Data* d = row_->get(name)) return d;
  }
  if (body_ && body_->is_object()) {
    if (const Data* d = body_->get(name)) return d;
  }
  return nullptr;
}

const Data* Scope::Lookup(const std::vector<std::string>& path) const {
  if (path.empty()) return nullptr;
  const Data* d = First(path[0]);
  for (size_t i = 1; i < path.size() && d; ++i) d = ChildOf(*d, path[i]);
  return d;
}

const Data* Scope::get(const std::string& name) const {
  if (name == ".") return pushed_.empty() ? nullptr : pushed_.back();
  size_t dot = name.find('.');
  if (dot == std::string::npos) return First(name);  // the common case, without splitting
  const Data* d = First(name.substr(0, dot));
  while (d && dot != std::string::npos) {
    size_t next = name.find('.', dot + 1);
    d = ChildOf(*d, name.substr(dot + 1, next == std::string::npos ? std::string::npos : next - dot - 1));
    dot = next;
  }
  return d;
}

}  // namespace zhiping::templating
