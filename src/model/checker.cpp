#include "model/checker.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/ids.h"
#include "common/utf8.h"
#include "model/field_labels.h"

namespace zhiping::model {

std::string Child(const std::string& parent_pointer, const std::string& key) {
  return parent_pointer + "/" + PointerToken(key);
}

std::string Child(const std::string& parent_pointer, size_t index) {
  return parent_pointer + "/" + std::to_string(index);
}

Checker::Checker(Problems* out, const ValidationContext& ctx)
    : out_(out), calendar_(ctx.calendar ? ctx.calendar : WorkCalendar::BuiltIn()) {
  model::Date today;
  if (!ctx.today.empty() && ParseDate(ctx.today, false, &today)) today_ = today;
}

static bool IsBlankText(const std::string& s);

MessageArg Checker::PointerArg(const std::string& pointer) { return MessageArg(pointer, PlaceOf(pointer)); }

Checker::PersonScope::PersonScope(Checker& c, const std::string& prefix, JsonObject element, const char* key)
    : c_(c) {
  if (c.person_element_) return;  // an outer scope (a bulk item, a whole letter) names the person already
  c.person_prefix_ = prefix;
  c.person_element_ = element;
  c.person_key_ = key;
  active_ = true;
}

Checker::PersonScope::~PersonScope() {
  if (!active_) return;
  c_.person_prefix_.clear();
  c_.person_element_ = nullptr;
  c_.person_key_ = nullptr;
}

std::string Checker::PersonName(JsonObject element, const char* key) {
  const JsonValue* name = element ? JsonMember(*element, key) : nullptr;
  if (!name || !name->IsString()) return "";
  // A name that is itself the problem (too long, not one line of text, blank) is left out of the place.
  std::string text(JsonString(*name));
  if (TextProblem(text, 64, TextKind::kLine) || IsBlankText(text)) return "";
  return text;
}

void Checker::Listed(const std::string& pointer, Message message) {
  if (rank_) {
    Rank rank = rank_(pointer);
    // Past the cut-off nothing can make the list again: a later problem loses a tie (first found wins).
    if (cutoff_ && !(rank < *cutoff_)) {
      ++omitted_;
      return;
    }
    ranks_.push_back(rank);
  }
  std::string person;
  if (person_element_ && pointer.compare(0, person_prefix_.size(), person_prefix_) == 0) {
    person = PersonName(person_element_, person_key_);
  }
  out_->push_back(MakeProblem(pointer, message, PlaceOf(pointer, person)));
  if (rank_ && out_->size() >= 2 * kMaxProblems) Trim(kMaxProblems);
}

void Checker::Trim(size_t keep) {
  if (rank_) {
    std::vector<size_t> order(out_->size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ranks_[a] < ranks_[b]; });
    order.resize(std::min(keep, order.size()));
    Problems kept;
    std::vector<Rank> kept_ranks;
    for (size_t i : order) {
      kept.push_back(std::move((*out_)[i]));
      kept_ranks.push_back(ranks_[i]);
    }
    if (out_->size() > keep) cutoff_ = kept_ranks.back();
    omitted_ += out_->size() - kept.size();
    *out_ = std::move(kept);
    ranks_ = std::move(kept_ranks);
    return;
  }
  if (out_->size() > keep) {
    omitted_ += out_->size() - keep;
    out_->resize(keep);
  }
}

void Checker::Close() {
  if (!out_->empty() && out_->back().omitted) {  // closed before: the count goes back to omitted_
    omitted_ += out_->back().omitted;
    out_->pop_back();
  }
  Trim(kMaxProblems);
  if (omitted_) out_->push_back(MoreProblems(omitted_));
  omitted_ = 0;
}

class Checker::LazyPointer {
 public:
  LazyPointer(const std::string& parent_pointer, const std::string& key) : parent_(parent_pointer), key_(key) {}
  operator const std::string&() const {
    if (!made_) value_ = Child(parent_, key_), made_ = true;
    return value_;
  }

 private:
  const std::string& parent_;
  const std::string& key_;
  mutable std::string value_;
  mutable bool made_ = false;
};

template <typename... A>
void Checker::AddAt(const LazyPointer& pointer, Msg code, A&&... args) {
  if (Full()) {
    ++omitted_;  // the common case of a huge bad body: no pointer is made
    return;
  }
  Add(static_cast<const std::string&>(pointer), code, std::forward<A>(args)...);
}

const JsonValue* Checker::Member(JsonObject parent, const LazyPointer& pointer, const std::string& key, Need need) {
  const JsonValue* v = parent ? JsonMember(*parent, key) : nullptr;
  if (!v || v->IsNull()) {  // null counts as missing
    if (need == Need::kRequired) AddAt(pointer, Msg::kRequired);
    return nullptr;
  }
  return v;
}

static bool HasType(const JsonValue& v, Checker::JsonType type) {
  switch (type) {
    case Checker::JsonType::kString: return v.IsString();
    case Checker::JsonType::kNumber: return v.IsNumber();
    case Checker::JsonType::kBool: return v.IsBool();
  }
  return false;
}

const JsonValue* Checker::TypedMember(JsonObject parent, const LazyPointer& pointer, const std::string& key,
                                      Need need, JsonType type, Msg type_rule) {
  const JsonValue* v = Member(parent, pointer, key, need);
  if (v && !HasType(*v, type)) {
    AddAt(pointer, type_rule);
    return nullptr;
  }
  return v;
}

JsonObject Checker::AsObject(const JsonValue* value, const std::string& pointer) {
  if (value && value->IsObject()) return value;
  Add(pointer, !value || value->IsNull() ? Msg::kRequired : Msg::kNotObject);
  return nullptr;
}

JsonObject Checker::Nested(JsonObject parent, const std::string& parent_pointer, const std::string& key, Need need) {
  LazyPointer pointer(parent_pointer, key);
  const JsonValue* v = Member(parent, pointer, key, need);
  if (!v) return nullptr;
  return AsObject(v, pointer);
}

JsonArray Checker::List(JsonObject parent, const std::string& parent_pointer, const std::string& key, Need need,
                        size_t min_items, size_t max_items) {
  LazyPointer pointer(parent_pointer, key);
  const JsonValue* arr = Member(parent, pointer, key, need);
  if (!arr) return nullptr;
  if (!arr->IsArray()) {
    AddAt(pointer, Msg::kNotArray);
    return nullptr;
  }
  const size_t size = arr->Size();
  if (size < min_items) {
    if (min_items == 1) AddAt(pointer, Msg::kArrayEmpty);
    else AddAt(pointer, Msg::kArrayTooFew, min_items);
  }
  if (size > max_items) AddAt(pointer, Msg::kArrayTooMany, max_items, size);
  return arr;
}

std::optional<Message> Checker::TextProblem(const std::string& value, size_t max_chars, TextKind kind) {
  // Short texts (nearly all) reuse one buffer per thread: this runs for every string of every body.
  thread_local std::u32string reused;
  std::u32string own;
  std::u32string& cps = value.size() <= 4096 ? reused : own;
  cps.clear();
  size_t bad = 0;
  if (!DecodeUtf8(value, &cps, &bad)) return Message(Msg::kTextBadUtf8, {bad});
  // A combining mark needs a character to sit on: not at the start, not after a blank or a line break.
  bool after_base = false;
  for (char32_t cp : cps) {
    if (cp == '\n' && kind == TextKind::kText) {
      after_base = false;
      continue;
    }
    if (IsInvisible(cp)) {
      const bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
      if (control && kind == TextKind::kText) return Message(Msg::kTextControlMultiline, {DescribeCodePoint(cp)});
      if (control) return Message(Msg::kTextControl, {DescribeCodePoint(cp)});
      return Message(Msg::kTextInvisible, {DescribeCodePoint(cp), MessageArg(InvisibleKind(cp), InvisibleKindZh(cp))});
    }
    if (IsCombiningMark(cp)) {
      if (!after_base) return Message(Msg::kTextCombining, {DescribeCodePoint(cp)});
      continue;
    }
    after_base = !IsBlankCharacter(cp);
  }
  if (cps.size() > max_chars) return Message(Msg::kTextTooLong, {max_chars, cps.size()});
  return std::nullopt;
}

// Only blanks (U+0020, U+3000 ideographic space, ...): a required text that would print as nothing.
static bool IsBlankText(const std::string& s) {
  // Most texts start with a character that is not blank: answered from its first byte, without decoding (an
  // ASCII letter or digit, or a lead byte 0xE4–0xE9, U+4000–U+9FFF: ideographs).
  if (!s.empty()) {
    const unsigned char first = static_cast<unsigned char>(s[0]);
    if ((first < 0x80 && !IsBlankCharacter(first)) || (first >= 0xE4 && first <= 0xE9)) return false;
  }
  std::u32string cps;
  if (!DecodeUtf8(s, &cps)) return false;
  for (char32_t cp : cps) {
    if (!IsBlankCharacter(cp)) return false;
  }
  return true;
}

std::optional<std::string> Checker::String(JsonObject parent, const std::string& parent_pointer,
                                           const std::string& key, Need need, size_t max_chars, TextKind kind) {
  LazyPointer pointer(parent_pointer, key);
  const JsonValue* v = TypedMember(parent, pointer, key, need, JsonType::kString, Msg::kNotString);
  if (!v) return std::nullopt;
  std::string s(JsonString(*v));
  if (std::optional<Message> problem = TextProblem(s, max_chars, kind)) {
    if (Full()) ++omitted_;
    else Listed(pointer, std::move(*problem));
    return std::nullopt;
  }
  if (need == Need::kRequired && IsBlankText(s)) {
    AddAt(pointer, Msg::kTextBlank);
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> Checker::Choice(JsonObject parent, const std::string& parent_pointer,
                                           const std::string& key, Need need,
                                           std::initializer_list<const char*> allowed, Msg rule) {
  auto s = String(parent, parent_pointer, key, need, 64);
  if (!s) return std::nullopt;
  for (const char* a : allowed) {
    if (*s == a) return s;
  }
  Add(Child(parent_pointer, key), rule);
  return std::nullopt;
}

std::optional<std::string> Checker::Id(JsonObject parent, const std::string& parent_pointer,
                                       const std::string& key, Need need) {
  LazyPointer pointer(parent_pointer, key);
  const JsonValue* v = TypedMember(parent, pointer, key, need, JsonType::kString, Msg::kNotString);
  if (!v) return std::nullopt;
  std::string s(JsonString(*v));
  if (!IsValidId(s)) {
    AddAt(pointer, Msg::kBadId);
    return std::nullopt;
  }
  return s;
}

static std::string FormatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::optional<double> Checker::Number(JsonObject parent, const std::string& parent_pointer,
                                      const std::string& key, Need need, double min, double max) {
  LazyPointer pointer(parent_pointer, key);
  const JsonValue* v = TypedMember(parent, pointer, key, need, JsonType::kNumber, Msg::kNotNumber);
  if (!v) return std::nullopt;
  const double d = v->GetDouble();
  if (!(d >= min && d <= max)) {
    AddAt(pointer, Msg::kOutOfRange, FormatNumber(min), FormatNumber(max));
    return std::nullopt;
  }
  return d;
}

std::optional<int64_t> Checker::Integer(JsonObject parent, const std::string& parent_pointer,
                                        const std::string& key, Need need, int64_t min, int64_t max) {
  LazyPointer pointer(parent_pointer, key);
  const JsonValue* v = TypedMember(parent, pointer, key, need, JsonType::kNumber, Msg::kNotInteger);
  if (!v) return std::nullopt;
  // The parsed value is exact: integers up to 18 digits are int64, ParseJson hands longer ones over as doubles
  // (common/json_scan.h) and code may give an unsigned one; all are compared by value, never wrapped or truncated.
  auto out_of_range = [&] { AddAt(pointer, Msg::kOutOfRange, min, max); };
  int64_t i = 0;
  if (v->IsInt64()) {
    i = v->GetInt64();
  } else if (v->IsUint64()) {  // past INT64_MAX
    out_of_range();
    return std::nullopt;
  } else {
    const double d = v->GetDouble();
    if (!std::isfinite(d) || d < static_cast<double>(min) || d > static_cast<double>(max)) {
      out_of_range();
      return std::nullopt;
    }
    if (d != std::floor(d)) {
      AddAt(pointer, Msg::kNotInteger);
      return std::nullopt;
    }
    i = static_cast<int64_t>(d);
  }
  if (i < min || i > max) {
    out_of_range();
    return std::nullopt;
  }
  return i;
}

std::optional<bool> Checker::Bool(JsonObject parent, const std::string& parent_pointer,
                                  const std::string& key, Need need) {
  LazyPointer pointer(parent_pointer, key);
  const JsonValue* v = TypedMember(parent, pointer, key, need, JsonType::kBool, Msg::kNotBool);
  if (!v) return std::nullopt;
  return v->GetBool();
}

std::optional<DateAt> Checker::Date(JsonObject parent, const std::string& parent_pointer,
                                    const std::string& key, Need need, bool allow_month_only, Past past) {
  LazyPointer pointer(parent_pointer, key);
  const Msg shape = allow_month_only ? Msg::kDateOrMonthFormat : Msg::kDateFormat;
  const JsonValue* v = TypedMember(parent, pointer, key, need, JsonType::kString, shape);
  if (!v) return std::nullopt;
  std::string text(JsonString(*v));
  DateAt at{model::Date{}, static_cast<const std::string&>(pointer), text};
  if (!ParseDate(text, allow_month_only, &at.date)) {
    if (ParseDate(text, true, nullptr)) {
      AddAt(pointer, Msg::kDateMonthOnly);
    } else if (text.size() == 10 && ParseDate(text.substr(0, 7), true, nullptr)) {
      AddAt(pointer, Msg::kDateNotReal, text);
    } else {
      AddAt(pointer, shape);
    }
    return std::nullopt;
  }
  if (at.date.year < 1900 || at.date.year > 2100) {
    AddAt(pointer, Msg::kDateYearRange);
    return std::nullopt;
  }
  if (past == Past::kNotInFuture && today_ && CompareDates(at.date, *today_) > 0) {
    AddAt(pointer, Msg::kDateFuture, FormatDate(*today_));
    return std::nullopt;
  }
  return at;
}

void Checker::RequireOrder(const std::optional<DateAt>& earlier, const std::optional<DateAt>& later,
                           bool strictly) {
  if (!earlier || !later) return;
  int cmp = CompareDates(earlier->date, later->date);
  if (cmp > 0 || (strictly && cmp == 0)) {
    if (Full()) ++omitted_;
    else Add(later->pointer, strictly ? Msg::kDateNotAfter : Msg::kDateBefore, PointerArg(earlier->pointer), earlier->text);
  }
}

}  // namespace zhiping::model
