#include "templating/view.h"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <sstream>
#include <type_traits>

#include "model/dates.h"
#include "model/request_fields.h"
#include "templating/number_text.h"

namespace zhiping::templating {

namespace mstch = kainjow::mustache;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

// Whether anything of member `name` is selected by `filter` (null: everything); *sub: what of it, null when all.
bool Select(const Selection* filter, std::string_view name, const Selection** sub) {
  *sub = nullptr;
  if (!filter || filter->whole) return true;
  const Selection* member = filter->Member(name);
  if (!member) return false;
  if (!member->whole) *sub = member;
  return true;
}

bool Selected(const Selection* filter, std::string_view name) {
  const Selection* ignored = nullptr;
  return Select(filter, name, &ignored);
}

using AllowLists = std::map<std::string, Selection, std::less<>>;  // the @allow lists as selections, by list name

// `name` and a suffix (X_cn, X_count, X_first), to look a derived field up without making a string of it.
class Suffixed {
 public:
  Suffixed(std::string_view name, std::string_view suffix) {
    if (name.size() + suffix.size() > sizeof short_) {
      long_.assign(name).append(suffix);
      view_ = long_;
      return;
    }
    std::memcpy(short_, name.data(), name.size());
    std::memcpy(short_ + name.size(), suffix.data(), suffix.size());
    view_ = std::string_view(short_, name.size() + suffix.size());
  }
  operator std::string_view() const { return view_; }

 private:
  char short_[48];
  std::string long_;
  std::string_view view_;
};

// ---- What a walk makes of one member: resolved from the filter here alone, by both walks below (the typed walk
// resolves each member once per record type and filter and keeps the answer: Plan).

enum class Kind { kText, kScalar, kRecord, kList };  // texts and dates; numbers and bools; records; lists

// A member's keys and what is made of it under a filter: a text when X or X_cn is selected; a number or bool when
// X is; a record when anything of it is (`sub`: what); a list when X, X_count or X_first is (`items`: X itself with
// its elements; `first`: X_first; `sub` / `first_sub`: what of their elements, an @allow list's own wherever the
// list sits).
struct Member {
  std::string name, cn, count, first;  // X, and X_cn (texts) or X_count and X_first (lists)
  bool made = false;
  bool items = false, first_made = false;
  const Selection* sub = nullptr;
  const Selection* first_sub = nullptr;
};

// Resolves member `name` into `*m`, whose strings are reused. What is selected is looked up first: most members a
// walk meets are not read, and their keys are never made.
void Resolve(const Selection* filter, const AllowLists& allow, const char* name, Kind kind, Member* m) {
  const std::string_view n(name);
  m->items = m->first_made = false;
  m->sub = m->first_sub = nullptr;
  switch (kind) {
    case Kind::kText:
      m->made = Selected(filter, n) || Selected(filter, Suffixed(n, "_cn"));
      break;
    case Kind::kScalar:
      m->made = Selected(filter, n);
      break;
    case Kind::kRecord:
      m->made = Select(filter, n, &m->sub);
      break;
    case Kind::kList: {
      m->items = Select(filter, n, &m->sub);
      m->first_made = Select(filter, Suffixed(n, "_first"), &m->first_sub);
      m->made = m->items || m->first_made || Selected(filter, Suffixed(n, "_count"));
      auto allowed = allow.find(n);
      if (allowed != allow.end()) m->sub = m->first_sub = &allowed->second;
      break;
    }
  }
  m->name.clear();
  m->cn.clear();
  m->count.clear();
  m->first.clear();
  if (!m->made) return;
  m->name.assign(n);
  if (kind == Kind::kText) m->cn.assign(n).append("_cn");
  if (kind == Kind::kList) {
    m->count.assign(n).append("_count");
    m->first.assign(n).append("_first");
  }
}

// ---- One object being made, or refreshed in place (RowView's refreshing form): a member the object already has is
// overwritten where it stands, one it should no longer have is dropped. kainjow's data offers no way to erase a
// member, nor to write to a string it holds, hence the two helpers below and Level::Finish.

// The string `data` holds, to write to. kainjow hands out only a const reference, but the string is a heap object
// of its own, never const, so writing through the cast is defined.
std::string& StringOf(mstch::data& data) { return const_cast<std::string&>(data.string_value()); }
mstch::list& ListOf(mstch::data& data) { return const_cast<mstch::list&>(data.list_value()); }  // the same

void AssignText(mstch::data& slot, const std::string& text) {
  if (slot.is_string()) StringOf(slot).assign(text);
  else slot = mstch::data(text);
}

class Level {
 public:
  explicit Level(mstch::data* out) : out_(out) {}
  mstch::data& Slot(const std::string& key) { return (*out_)[key]; }  // made (an empty object) when absent
  const mstch::data* Get(const std::string& key) const { return out_->get(key); }
  void Drop(const std::string& key) {
    if (out_->get(key)) dropped_.push_back(key);
  }
  // When members were dropped: the object is made again of the others, moved (their values are not copied), found
  // among the keys `for_each_key(visit)` passes — every key this object's walk can make.
  template <typename ForEachKey>
  void Finish(ForEachKey for_each_key) {
    if (dropped_.empty()) return;
    mstch::data kept{mstch::data::type::object};
    for_each_key([&](const std::string& key) {
      if (std::find(dropped_.begin(), dropped_.end(), key) == dropped_.end() && out_->get(key))
        kept[key] = std::move((*out_)[key]);
    });
    *out_ = std::move(kept);
  }

 private:
  mstch::data* out_;
  std::vector<std::string> dropped_;  // few: only members that were there and are gone
};

// ---- The derived fields, made here alone: both walks below (typed members, JSON members) build through these.

// A text, and X_cn when it is an ISO date ("2022-07-27" -> "2022年7月27日").
void SetText(Level& out, const Member& m, const std::string& text) {
  mstch::data& slot = out.Slot(m.name);
  if (slot.is_string() && slot.string_value() == text) return;  // refreshed to the same text: X_cn stands too
  AssignText(slot, text);
  std::string cn = model::ChineseDateOf(text);
  if (cn.empty()) out.Drop(m.cn);
  else AssignText(out.Slot(m.cn), cn);
}

// A list: X (its elements, objects numbered by _index), X_count and X_first, made afresh. `element(i, first)` makes
// element i for X (first: for X_first), or nothing.
template <typename MakeElement>
void SetList(Level& out, const Member& m, size_t count, MakeElement element) {
  if (!m.made) return;
  if (m.items) {
    mstch::data elements{mstch::data::type::list};
    ListOf(elements).reserve(count);
    for (size_t i = 0; i < count; ++i) {
      std::optional<mstch::data> e = element(i, false);
      if (!e) continue;
      if (e->is_object()) AssignText((*e)["_index"], std::to_string(i + 1));
      ListOf(elements).push_back(std::move(*e));
    }
    out.Slot(m.name) = std::move(elements);
  }
  AssignText(out.Slot(m.count), std::to_string(count));
  if (m.first_made && count > 0) {
    if (std::optional<mstch::data> e = element(0, true)) {
      out.Slot(m.first) = std::move(*e);
      return;
    }
  }
  out.Drop(m.first);
}

const AllowLists kNoAllowLists;

AllowLists SelectionsOf(const AllowList& allow) {
  AllowLists out;
  for (const auto& [list, paths] : allow) {
    Selection& s = out[list];
    for (const std::string& p : paths) s.Add(p);
  }
  return out;
}

// ---- Walk 1: a typed value, member by member (model/request_fields.h).

// What the typed walk makes of one record type under one filter, member by member in VisitFields order, kept
// across walks (RowReads: a roster's rows and partners): resolved as the first walk meets each member, then only
// read. A view made once resolves as it goes, with no plan.
struct Plan;
struct MemberPlan {
  const char* id;  // the name as VisitFields passed it: the same literal each time
  Member member;
  std::unique_ptr<Plan> record, items, first;  // records; list elements for X and for X_first (made when needed)
};
struct Plan {
  std::vector<MemberPlan> members;
};

template <typename T>
constexpr Kind KindOf() {
  if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, model::Date>) return Kind::kText;
  else if constexpr (std::is_arithmetic_v<T>) return Kind::kScalar;
  else return Kind::kRecord;
}

// Walks a value's members into `out` under `filter`, with `plan` (refreshing `out` in place), or without one (`out`
// then starts empty, so nothing is ever dropped).
class TypedView {
 public:
  TypedView(mstch::data* out, const Selection* filter, const AllowLists& allow, Plan* plan)
      : out_(out), filter_(filter), allow_(allow), plan_(plan) {}

  void Field(const char* name, const std::string& text) {
    const Member& m = Next(name, Kind::kText).member;
    if (m.made) SetText(out_, m, text);
  }
  void Field(const char* name, const model::Date& date) {
    const Member& m = Next(name, Kind::kText).member;
    if (!m.made) return;
    // A date refreshed to the one its text already reads keeps its texts (FormatDate's printf was most of the cost
    // of refreshing a result, whose dates are mostly the same meeting's).
    model::Date was;
    const mstch::data* text = out_.Get(m.name);
    if (text && text->is_string() && model::ParseDate(text->string_value(), true, &was) && was.year == date.year &&
        was.month == date.month && was.day == date.day)
      return;
    SetText(out_, m, model::FormatDate(date));
  }
  void Field(const char* name, int64_t n) {
    const Member& m = Next(name, Kind::kScalar).member;
    if (m.made) AssignText(out_.Slot(m.name), std::to_string(n));
  }
  void Field(const char* name, double d) {
    const Member& m = Next(name, Kind::kScalar).member;
    if (m.made) AssignText(out_.Slot(m.name), templating::NumberText(d));
  }
  void Field(const char* name, bool b) {
    const Member& m = Next(name, Kind::kScalar).member;
    if (m.made) out_.Slot(m.name) = mstch::data{b ? mstch::data::type::bool_true : mstch::data::type::bool_false};
  }
  template <typename T>
  void Field(const char* name, const std::optional<T>& value) {
    if (value) return Field(name, *value);
    const Member& m = Next(name, KindOf<T>()).member;  // absent: missing, though the previous value had it
    if (!m.made) return;
    out_.Drop(m.name);
    if (!m.cn.empty()) out_.Drop(m.cn);
  }
  template <typename T>
  void Field(const char* name, const std::vector<T>& list) {
    MemberPlan& p = Next(name, Kind::kList);
    SetList(out_, p.member, list.size(), [&](size_t i, bool first) {
      mstch::data e{mstch::data::type::object};
      Walk(list[i], first ? p.member.first_sub : p.member.sub, allow_, Sub(first ? &p.first : &p.items), &e);
      return std::optional<mstch::data>(std::move(e));
    });
  }
  template <typename T>
  void Field(const char* name, const T& record) {
    MemberPlan& p = Next(name, Kind::kRecord);
    if (!p.member.made) return;
    mstch::data& slot = out_.Slot(p.member.name);
    if (!slot.is_object()) slot = mstch::data{mstch::data::type::object};
    Walk(record, p.member.sub, allow_, Sub(&p.record), &slot);
  }

  // After the last member: the members dropped go (Level::Finish, over every key the plan's members can make).
  void Finish() {
    if (!plan_) return;
    out_.Finish([&](auto visit) {
      for (const MemberPlan& p : plan_->members) {
        for (const std::string* key : {&p.member.name, &p.member.cn, &p.member.count, &p.member.first})
          if (p.member.made && !key->empty()) visit(*key);
      }
    });
  }

  template <typename T>
  static void Walk(const T& value, const Selection* filter, const AllowLists& allow, Plan* plan, mstch::data* out) {
    TypedView view(out, filter, allow, plan);
    model::VisitFields(value, view);
    view.Finish();
  }

 private:
  // The member VisitFields passes next: from the plan, or resolved now (and kept in the plan when there is one).
  MemberPlan& Next(const char* name, Kind kind) {
    if (!plan_) {
      Resolve(filter_, allow_, name, kind, &scratch_.member);
      return scratch_;
    }
    std::vector<MemberPlan>& members = plan_->members;
    if (next_ < members.size() && (members[next_].id == name || std::strcmp(members[next_].id, name) == 0))
      return members[next_++];
    // A member not met here before: VisitFields lists a few members only for some values.
    members.erase(members.begin() + static_cast<std::ptrdiff_t>(next_), members.end());
    MemberPlan& p = members.emplace_back();
    p.id = name;
    Resolve(filter_, allow_, name, kind, &p.member);
    ++next_;
    return p;
  }
  // The plan a member's own members are walked by (none when this walk has none).
  Plan* Sub(std::unique_ptr<Plan>* plan) {
    if (!plan_) return nullptr;
    if (!*plan) *plan = std::make_unique<Plan>();
    return plan->get();
  }

  Level out_;
  const Selection* filter_;
  const AllowLists& allow_;
  Plan* plan_;
  size_t next_ = 0;
  MemberPlan scratch_{};  // without a plan: the member being walked
};

// ---- Walk 2: a JSON value (the template language's own tests and tools; not a request). Always made afresh.
std::optional<mstch::data> JsonValue(const Poco::Dynamic::Var& v, const AllowLists& allow, const Selection* filter);

mstch::data JsonObject(const Object& obj, const AllowLists& allow, const Selection* filter) {
  mstch::data out{mstch::data::type::object};
  Level level(&out);
  Member m;
  for (const auto& [name, v] : obj) {
    if (v.isEmpty()) continue;  // null: missing
    if (v.isString()) {
      Resolve(filter, allow, name.c_str(), Kind::kText, &m);
      if (m.made) SetText(level, m, v.extract<std::string>());
    } else if (v.type() == typeid(Array::Ptr)) {
      const Array::Ptr& arr = v.extract<Array::Ptr>();
      const bool allowed = allow.count(name) > 0;
      Resolve(filter, allow, name.c_str(), Kind::kList, &m);
      SetList(level, m, arr ? arr->size() : 0, [&](size_t i, bool first) {
        Poco::Dynamic::Var item = arr->get(static_cast<unsigned>(i));
        // An @allow list holds objects only: anything else could not be filtered.
        if (allowed && item.type() != typeid(Object::Ptr)) return std::optional<mstch::data>();
        return JsonValue(item, allow, first ? m.first_sub : m.sub);
      });
    } else {
      Resolve(filter, allow, name.c_str(), Kind::kRecord, &m);
      if (!m.made) continue;
      if (std::optional<mstch::data> d = JsonValue(v, allow, m.sub)) level.Slot(name) = std::move(*d);
    }
  }
  return out;  // nothing was dropped: every member was made afresh
}

std::optional<mstch::data> JsonValue(const Poco::Dynamic::Var& v, const AllowLists& allow, const Selection* filter) {
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
        ListOf(list).push_back(std::move(*e));
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
void Refresh(const T& value, const Selection& reads, Plan* plan, mstch::data* view) {
  if (!view->is_object()) *view = mstch::data{mstch::data::type::object};
  TypedView::Walk(value, &reads, kNoAllowLists, plan, view);
}

}  // namespace

// The typed walk's plans for the two record types a roster's rows and partners are.
struct RowReads::Plans {
  const Selection* reads;
  Plan applicant, result;
};

RowReads::RowReads(const Selection& reads) : plans_(new Plans{&reads, {}, {}}) {}
RowReads::~RowReads() = default;
RowReads::RowReads(RowReads&&) noexcept = default;
RowReads& RowReads::operator=(RowReads&&) noexcept = default;

mstch::data BuildView(const model::Request& request, const AllowList& allow) {
  mstch::data view{mstch::data::type::object};
  const AllowLists lists = SelectionsOf(allow);
  TypedView writer(&view, nullptr, lists, nullptr);
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
  mstch::data view{mstch::data::type::object};
  Refresh(applicant, reads, nullptr, &view);
  return view;
}
mstch::data RowView(const model::Result& result, const Selection& reads) {
  mstch::data view{mstch::data::type::object};
  Refresh(result, reads, nullptr, &view);
  return view;
}

void RowView(const model::Applicant& applicant, RowReads& reads, mstch::data* view) {
  Refresh(applicant, *reads.plans_->reads, &reads.plans_->applicant, view);
}
void RowView(const model::Result& result, RowReads& reads, mstch::data* view) {
  Refresh(result, *reads.plans_->reads, &reads.plans_->result, view);
}

mstch::data EnvelopeView(const model::Batch& batch, const Selection& reads) {
  mstch::data view{mstch::data::type::object};
  TypedView writer(&view, &reads, kNoAllowLists, nullptr);
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
