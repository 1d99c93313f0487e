#include "templating/view.h"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <sstream>

#include "model/dates.h"
#include "model/request_fields.h"
#include "templating/number_text.h"

namespace zhiping::templating {

namespace mstch = kainjow::mustache;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

std::string NumberText(const Poco::Dynamic::Var& v) {
  if (v.isInteger()) return v.convert<std::string>();
  return templating::NumberText(v.convert<double>());
}

// Whether anything of member `name` is selected by `filter` (null: everything); *sub: what of it, null when all.
bool Select(const Selection* filter, const std::string& name, const Selection** sub) {
  *sub = nullptr;
  if (!filter || filter->whole) return true;
  const Selection* member = filter->Member(name);
  if (!member) return false;
  if (!member->whole) *sub = member;
  return true;
}

// The view of a typed value, member by member (model/request_fields.h): the same data and derived fields as the
// JSON view below makes of the request's JSON form, without building that form. A member is made when `filter`
// selects it or one of its derived fields (a roster column that shows birth_cn needs birth).
class TypedView {
 public:
  // `filter`: what of this object to make (null: everything); `allow`: the @allow lists, by list name.
  TypedView(mstch::data* out, const std::map<std::string, Selection>& allow, const Selection* filter)
      : out_(out), allow_(allow), filter_(filter) {}

  void Field(const char* name, const std::string& text) {
    if (!Keeps(name, "_cn")) return;
    out_->set(name, text);
    std::string cn = model::ChineseDateOf(text);
    if (!cn.empty()) out_->set(std::string(name) + "_cn", cn);
  }
  void Field(const char* name, const model::Date& date) {
    if (!Keeps(name, "_cn")) return;
    out_->set(name, model::FormatDate(date));
    out_->set(std::string(name) + "_cn", model::ChineseDate(date));
  }
  void Field(const char* name, int64_t n) {
    if (Keeps(name)) out_->set(name, std::to_string(n));
  }
  void Field(const char* name, double d) {
    if (Keeps(name)) out_->set(name, templating::NumberText(d));
  }
  void Field(const char* name, bool b) {
    if (Keeps(name)) out_->set(name, mstch::data{b ? mstch::data::type::bool_true : mstch::data::type::bool_false});
  }
  template <typename T>
  void Field(const char* name, const std::optional<T>& value) {
    if (value) Field(name, *value);
  }
  template <typename T>
  void Field(const char* name, const std::vector<T>& list) {
    const std::string n(name);
    const Selection *items_sub = nullptr, *first_sub = nullptr, *ignored = nullptr;
    const bool items = Select(filter_, n, &items_sub);
    const bool first = Select(filter_, n + "_first", &first_sub);
    const bool count = Select(filter_, n + "_count", &ignored);
    if (!items && !first && !count) return;
    // An @allow list filters its elements wherever the list sits; otherwise what is selected of them (or all).
    auto allowed = allow_.find(n);
    auto element_filter = [&](const Selection* selected) {
      return allowed != allow_.end() ? &allowed->second : selected;
    };
    if (items) {
      mstch::data elements{mstch::data::type::list};
      for (size_t i = 0; i < list.size(); ++i) {
        mstch::data element = Record(list[i], element_filter(items_sub));
        element.set("_index", std::to_string(i + 1));
        elements.push_back(std::move(element));
      }
      out_->set(n, std::move(elements));
    }
    out_->set(n + "_count", std::to_string(list.size()));
    if (first && !list.empty()) out_->set(n + "_first", Record(list[0], element_filter(first_sub)));
  }
  template <typename T>
  void Field(const char* name, const T& record) {
    const Selection* sub = nullptr;
    if (Select(filter_, name, &sub)) out_->set(name, Record(record, sub));
  }

 private:
  bool Keeps(const char* name, const char* derived = nullptr) const {
    const Selection* ignored = nullptr;
    if (Select(filter_, name, &ignored)) return true;
    return derived && Select(filter_, std::string(name) + derived, &ignored);
  }

  template <typename T>
  mstch::data Record(const T& record, const Selection* filter) const {
    mstch::data out{mstch::data::type::object};
    TypedView view(&out, allow_, filter);
    model::VisitFields(record, view);
    return out;
  }

  mstch::data* out_;
  const std::map<std::string, Selection>& allow_;
  const Selection* filter_;
};

std::map<std::string, Selection> SelectionsOf(const AllowList& allow) {
  std::map<std::string, Selection> out;
  for (const auto& [list, paths] : allow) {
    Selection& s = out[list];
    for (const std::string& p : paths) s.Add(p);
  }
  return out;
}

const std::map<std::string, Selection> kNoAllowLists;

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
  mstch::data view{mstch::data::type::object};
  const std::map<std::string, Selection> lists = SelectionsOf(allow);
  TypedView writer(&view, lists, nullptr);
  std::visit([&](const auto& r) { model::VisitFields(r, writer); }, request);
  return view;
}

namespace {

template <typename T>
mstch::data SelectedView(const T& value, const Selection& reads) {
  mstch::data view{mstch::data::type::object};
  TypedView writer(&view, kNoAllowLists, &reads);
  model::VisitFields(value, writer);
  return view;
}

}  // namespace

mstch::data RowView(const model::Applicant& applicant, const Selection& reads) {
  return SelectedView(applicant, reads);
}
mstch::data RowView(const model::Result& result, const Selection& reads) { return SelectedView(result, reads); }

mstch::data EnvelopeView(const model::Batch& batch, const Selection& reads) {
  mstch::data view{mstch::data::type::object};
  TypedView writer(&view, kNoAllowLists, &reads);
  writer.Field("batch", batch);
  return view;
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
