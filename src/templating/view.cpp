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

// Whether anything of member `name` is selected by `filter` (null: everything); *sub: what of it, null when all.
bool Select(const Selection* filter, const std::string& name, const Selection** sub) {
  *sub = nullptr;
  if (!filter || filter->whole) return true;
  const Selection* member = filter->Member(name);
  if (!member) return false;
  if (!member->whole) *sub = member;
  return true;
}

bool Selected(const Selection* filter, const std::string& name) {
  const Selection* ignored = nullptr;
  return Select(filter, name, &ignored);
}

// ---- The derived fields, made here alone: both walks below (typed members, JSON members) build through these.

// A text, and X_cn when it is an ISO date ("2022-07-27" -> "2022年7月27日").
void SetText(mstch::data* out, const std::string& name, const std::string& text) {
  out->set(name, text);
  std::string cn = model::ChineseDateOf(text);
  if (!cn.empty()) out->set(name + "_cn", cn);
}

// Whether a walk should make member `name` of kind text (X or X_cn selected) or list (X, X_count or X_first).
bool WantsText(const Selection* filter, const std::string& name) {
  return Selected(filter, name) || Selected(filter, name + "_cn");
}

// A list: X (its elements, objects numbered by _index), X_count and X_first. `element(i, filter)` makes element i
// under a filter. An @allow list filters its elements wherever the list sits; otherwise what is selected of them.
template <typename MakeElement>
void SetList(mstch::data* out, const std::string& name, size_t count, const Selection* filter,
             const std::map<std::string, Selection>& allow, MakeElement element) {
  const Selection *items_sub = nullptr, *first_sub = nullptr;
  const bool items = Select(filter, name, &items_sub);
  const bool first = Select(filter, name + "_first", &first_sub);
  if (!items && !first && !Selected(filter, name + "_count")) return;
  auto allowed = allow.find(name);
  auto element_filter = [&](const Selection* selected) {
    return allowed != allow.end() ? &allowed->second : selected;
  };
  if (items) {
    mstch::data elements{mstch::data::type::list};
    for (size_t i = 0; i < count; ++i) {
      std::optional<mstch::data> e = element(i, element_filter(items_sub));
      if (!e) continue;
      if (e->is_object()) e->set("_index", std::to_string(i + 1));
      elements.push_back(std::move(*e));
    }
    out->set(name, std::move(elements));
  }
  out->set(name + "_count", std::to_string(count));
  if (first && count > 0) {
    if (std::optional<mstch::data> e = element(0, element_filter(first_sub))) out->set(name + "_first", std::move(*e));
  }
}

const std::map<std::string, Selection> kNoAllowLists;

std::map<std::string, Selection> SelectionsOf(const AllowList& allow) {
  std::map<std::string, Selection> out;
  for (const auto& [list, paths] : allow) {
    Selection& s = out[list];
    for (const std::string& p : paths) s.Add(p);
  }
  return out;
}

// ---- Walk 1: a typed value, member by member (model/request_fields.h).
class TypedView {
 public:
  // `filter`: what of this object to make (null: everything); `allow`: the @allow lists, by list name.
  TypedView(mstch::data* out, const std::map<std::string, Selection>& allow, const Selection* filter)
      : out_(out), allow_(allow), filter_(filter) {}

  void Field(const char* name, const std::string& text) {
    if (WantsText(filter_, name)) SetText(out_, name, text);
  }
  void Field(const char* name, const model::Date& date) {
    if (WantsText(filter_, name)) SetText(out_, name, model::FormatDate(date));
  }
  void Field(const char* name, int64_t n) {
    if (Selected(filter_, name)) out_->set(name, std::to_string(n));
  }
  void Field(const char* name, double d) {
    if (Selected(filter_, name)) out_->set(name, templating::NumberText(d));
  }
  void Field(const char* name, bool b) {
    if (Selected(filter_, name))
      out_->set(name, mstch::data{b ? mstch::data::type::bool_true : mstch::data::type::bool_false});
  }
  template <typename T>
  void Field(const char* name, const std::optional<T>& value) {
    if (value) Field(name, *value);
  }
  template <typename T>
  void Field(const char* name, const std::vector<T>& list) {
    SetList(out_, name, list.size(), filter_, allow_,
            [&](size_t i, const Selection* filter) { return std::optional<mstch::data>(Record(list[i], filter)); });
  }
  template <typename T>
  void Field(const char* name, const T& record) {
    const Selection* sub = nullptr;
    if (Select(filter_, name, &sub)) out_->set(name, Record(record, sub));
  }

 private:
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

// ---- Walk 2: a JSON value (the template language's own tests and tools; not a request).
std::optional<mstch::data> JsonValue(const Poco::Dynamic::Var& v, const std::map<std::string, Selection>& allow,
                                     const Selection* filter);

mstch::data JsonObject(const Object& obj, const std::map<std::string, Selection>& allow, const Selection* filter) {
  mstch::data out{mstch::data::type::object};
  for (const auto& [name, v] : obj) {
    if (v.isEmpty()) continue;  // null: missing
    if (v.isString()) {
      if (WantsText(filter, name)) SetText(&out, name, v.extract<std::string>());
    } else if (v.type() == typeid(Array::Ptr)) {
      const Array::Ptr& arr = v.extract<Array::Ptr>();
      const bool allowed = allow.count(name) > 0;
      SetList(&out, name, arr ? arr->size() : 0, filter, allow, [&](size_t i, const Selection* element_filter) {
        Poco::Dynamic::Var item = arr->get(static_cast<unsigned>(i));
        // An @allow list holds objects only: anything else could not be filtered.
        if (allowed && item.type() != typeid(Object::Ptr)) return std::optional<mstch::data>();
        return JsonValue(item, allow, element_filter);
      });
    } else {
      const Selection* sub = nullptr;
      if (!Select(filter, name, &sub)) continue;
      if (std::optional<mstch::data> d = JsonValue(v, allow, sub)) out.set(name, std::move(*d));
    }
  }
  return out;
}

std::optional<mstch::data> JsonValue(const Poco::Dynamic::Var& v, const std::map<std::string, Selection>& allow,
                                     const Selection* filter) {
  if (v.type() == typeid(Object::Ptr)) {
    const Object::Ptr& obj = v.extract<Object::Ptr>();
    if (!obj) return mstch::data{mstch::data::type::object};
    return JsonObject(*obj, allow, filter);
  }
  if (v.type() == typeid(Array::Ptr)) {  // a list inside a list: its elements as they are
    mstch::data list{mstch::data::type::list};
    const Array::Ptr& arr = v.extract<Array::Ptr>();
    for (size_t i = 0; arr && i < arr->size(); ++i)
      if (std::optional<mstch::data> e = JsonValue(arr->get(static_cast<unsigned>(i)), allow, nullptr))
        list.push_back(std::move(*e));
    return list;
  }
  if (v.isEmpty()) return mstch::data{std::string()};  // null in a list
  if (v.isBoolean()) return mstch::data{v.extract<bool>() ? mstch::data::type::bool_true : mstch::data::type::bool_false};
  if (v.isString()) return mstch::data{v.extract<std::string>()};
  if (v.isInteger()) return mstch::data{v.convert<std::string>()};
  if (v.isNumeric()) return mstch::data{templating::NumberText(v.convert<double>())};
  return mstch::data{v.convert<std::string>()};
}

template <typename T>
mstch::data SelectedView(const T& value, const Selection& reads) {
  mstch::data view{mstch::data::type::object};
  TypedView writer(&view, kNoAllowLists, &reads);
  model::VisitFields(value, writer);
  return view;
}

}  // namespace

mstch::data BuildView(const model::Request& request, const AllowList& allow) {
  mstch::data view{mstch::data::type::object};
  const std::map<std::string, Selection> lists = SelectionsOf(allow);
  TypedView writer(&view, lists, nullptr);
  std::visit([&](const auto& r) { model::VisitFields(r, writer); }, request);
  // The result notice's published list: model/qualification.h decides who is on it (@allow applies as to any list).
  if (const auto* notice = std::get_if<model::ResultNoticeRequest>(&request))
    writer.Field("listed", model::ListedApplicants(*notice));
  return view;
}

mstch::data BuildView(const Poco::Dynamic::Var& body, const AllowList& allow) {
  if (body.type() != typeid(Object::Ptr) || !body.extract<Object::Ptr>()) return mstch::data{mstch::data::type::object};
  return JsonObject(*body.extract<Object::Ptr>(), SelectionsOf(allow), nullptr);
}

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
