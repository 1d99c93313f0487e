#include "templating/json_data.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace zhiping::templating {

using Data = kainjow::mustache::data;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::string NumberText(double value) {
  char buf[32];
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", value);
    return buf;
  }
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, value);
    if (std::strtod(buf, nullptr) == value) break;
  }
  return buf;
}

void JsonSelection::Add(const std::string& dotted) {
  JsonSelection* node = this;
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

const JsonSelection* JsonSelection::Member(const std::string& name) const {
  if (whole) return this;
  auto it = members.find(name);
  return it == members.end() ? nullptr : &it->second;
}

Data DataFromJson(const Poco::Dynamic::Var& value, const JsonSelection* only) {
  if (only && only->whole) only = nullptr;
  if (value.type() == typeid(Object::Ptr)) {
    const Object::Ptr& obj = value.extract<Object::Ptr>();
    Data data(Data::type::object);
    if (!obj) return data;
    // operator[] + move: kainjow's set() copies the subtree, which made nested values cost depth × size.
    if (!only) {
      for (auto it = obj->begin(); it != obj->end(); ++it) {
        if (!it->second.isEmpty()) data[it->first] = DataFromJson(it->second);
      }
      return data;
    }
    auto wanted = only->members.begin();
    for (auto it = obj->begin(); it != obj->end(); ++it) {  // both are sorted by name: one merge walk, no lookups
      while (wanted != only->members.end() && wanted->first < it->first) ++wanted;
      if (wanted == only->members.end()) break;
      if (wanted->first != it->first || it->second.isEmpty()) continue;
      data[it->first] = DataFromJson(it->second, &wanted->second);
    }
    return data;
  }
  if (value.type() == typeid(Array::Ptr)) {
    const Array::Ptr& arr = value.extract<Array::Ptr>();
    Data list(Data::type::list);
    if (!arr) return list;
    for (size_t i = 0; i < arr->size(); ++i) list.push_back(DataFromJson(arr->get(static_cast<unsigned>(i))));
    return list;
  }
  if (value.isBoolean()) return Data(value.convert<bool>());
  if (value.isString()) return Data(value.extract<std::string>());
  if (value.isInteger()) return Data(value.convert<std::string>());
  if (value.isNumeric()) return Data(NumberText(value.convert<double>()));
  return Data(std::string());  // null in a list
}

}  // namespace zhiping::templating
