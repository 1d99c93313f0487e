#include "templating/view.h"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cmath>
#include <cstdio>
#include <sstream>

#include "model/dates.h"
#include "model/request_json.h"

namespace zhiping::templating {

namespace mstch = kainjow::mustache;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

std::string NumberText(const Poco::Dynamic::Var& v) {
  if (v.isInteger()) return v.convert<std::string>();
  double d = v.convert<double>();
  if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", d);
  return buf;
}

// Copy of `obj` holding only the dotted `paths`.
Object::Ptr FilterObject(const Object::Ptr& obj, const std::set<std::string>& paths) {
  Object::Ptr out = new Object;
  for (const std::string& p : paths) {
    size_t dot = p.find('.');
    std::string head = p.substr(0, dot);
    if (!obj->has(head)) continue;
    if (dot == std::string::npos) {
      out->set(head, obj->get(head));
      continue;
    }
    Poco::Dynamic::Var child = obj->get(head);
    if (child.type() != typeid(Object::Ptr)) continue;
    Object::Ptr sub = out->has(head) ? out->getObject(head) : Object::Ptr(new Object);
    Object::Ptr filtered = FilterObject(child.extract<Object::Ptr>(), {p.substr(dot + 1)});
    for (const auto& [k, v] : *filtered) sub->set(k, v);
    out->set(head, sub);
  }
  return out;
}

mstch::data Convert(const Poco::Dynamic::Var& v, const AllowList& allow, const std::string& key);

mstch::data ConvertObject(const Object::Ptr& obj, const AllowList& allow) {
  mstch::data d{mstch::data::type::object};
  for (const auto& [k, v] : *obj) {
    if (v.isEmpty()) continue;
    d.set(k, Convert(v, allow, k));
    if (v.isString()) {
      std::string cn = model::ChineseDateOf(v.extract<std::string>());
      if (!cn.empty()) d.set(k + "_cn", cn);
    }
    if (v.type() == typeid(Array::Ptr)) {
      Array::Ptr arr = v.extract<Array::Ptr>();
      d.set(k + "_count", std::to_string(arr ? arr->size() : 0));
      if (arr && arr->size() > 0) d.set(k + "_first", Convert(arr->get(0), allow, ""));
      // _first of a filtered list must be filtered too
      if (arr && arr->size() > 0 && allow.count(k) && arr->get(0).type() == typeid(Object::Ptr))
        d.set(k + "_first", ConvertObject(FilterObject(arr->get(0).extract<Object::Ptr>(), allow.at(k)), allow));
    }
  }
  return d;
}

mstch::data Convert(const Poco::Dynamic::Var& v, const AllowList& allow, const std::string& key) {
  if (v.type() == typeid(Object::Ptr)) return ConvertObject(v.extract<Object::Ptr>(), allow);
  if (v.type() == typeid(Array::Ptr)) {
    Array::Ptr arr = v.extract<Array::Ptr>();
    mstch::data list{mstch::data::type::list};
    if (!arr) return list;
    auto allowed = allow.find(key);
    for (unsigned i = 0; i < arr->size(); ++i) {
      Poco::Dynamic::Var item = arr->get(i);
      if (item.type() == typeid(Object::Ptr)) {
        Object::Ptr o = item.extract<Object::Ptr>();
        if (allowed != allow.end()) o = FilterObject(o, allowed->second);
        mstch::data e = ConvertObject(o, allow);
        e.set("_index", std::to_string(i + 1));
        list.push_back(e);
      } else if (allowed == allow.end()) {
        list.push_back(Convert(item, allow, ""));
      }
    }
    return list;
  }
  if (v.isBoolean()) return v.extract<bool>() ? mstch::data{mstch::data::type::bool_true}
                                              : mstch::data{mstch::data::type::bool_false};
  if (v.isNumeric()) return mstch::data{NumberText(v)};
  if (v.isString()) return mstch::data{v.extract<std::string>()};
  return mstch::data{v.convert<std::string>()};
}

}  // namespace

mstch::data BuildView(const model::Request& request, const AllowList& allow) {
  return BuildView(Poco::Dynamic::Var(model::ToJson(request)), allow);
}

mstch::data BuildView(const Poco::Dynamic::Var& body, const AllowList& allow) {
  if (body.type() == typeid(Object::Ptr)) return ConvertObject(body.extract<Object::Ptr>(), allow);
  return mstch::data{mstch::data::type::object};
}

Image ImageAt(const mstch::basic_context<std::string>& ctx, const std::string& path) {
  Image img;
  const mstch::data* d = ctx.get(path);
  if (!d || !d->is_object()) return img;
  const mstch::data* type = d->get("media_type");
  const mstch::data* data = d->get("data");
  if (!type || !data || !type->is_string() || !data->is_string()) return img;
  img.png = type->string_value() == "image/png";
  std::istringstream in(data->string_value());
  Poco::Base64Decoder dec(in);
  std::ostringstream out;
  out << dec.rdbuf();
  img.bytes = out.str();
  return img;
}

}  // namespace zhiping::templating
