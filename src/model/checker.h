// model/checker.h — typed access to a parsed body that writes down every problem it meets.
//
// Each getter looks up one member of an object, checks its type and basic rule (length, range, calendar date, ...),
// records a Problem at the member's JSON Pointer when something is wrong, and returns the value only when it is
// usable. Callers therefore read like the contract ("batch.id is a required id") and never stop at the first
// problem. A JSON null counts as missing: optional members may be null, required ones may not.
//
// Problems are listed up to kMaxProblems (common/problem.h); past that they are only counted, so a body with a
// million bad elements costs no memory per problem. Close() ends the list with the count of those left out.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/json_dom.h"
#include "common/messages.h"
#include "common/problem.h"
#include "model/dates.h"
#include "model/validate.h"

namespace zhiping::model {

// parent_pointer + "/" + escaped key.
std::string Child(const std::string& parent_pointer, const std::string& key);
std::string Child(const std::string& parent_pointer, size_t index);

enum class Need { kOptional, kRequired };

// A value of the body being checked (common/json_dom.h), borrowed: nullptr when absent. JsonObject and JsonArray
// name what a checker's answer holds when it is not null.
using JsonObject = const JsonValue*;
using JsonArray = const JsonValue*;

// kLine: a name, a unit, a title — one line, no control characters at all.
// kText: free text (opinions, descriptions) — line breaks (\n) allowed, other control characters not.
enum class TextKind { kLine, kText };

// A date together with where it came from, so cross-field rules can name both places.
struct DateAt {
  Date date;
  std::string pointer;
  std::string text;
};

class Checker {
 public:
  Checker(Problems* out, const ValidationContext& ctx);

  // The working-day calendar of this validation (ValidationContext::calendar, or the built-in one).
  const WorkCalendar& calendar() const { return *calendar_; }
  // Records a problem of the catalog at `pointer`; `args` (strings, numbers, PointerArg) are turned into the
  // message's arguments only when the problem is listed, never when it is only counted.
  template <typename... A>
  void Add(const std::string& pointer, Msg code, A&&... args) {
    if (Full()) {
      ++omitted_;
      return;
    }
    Listed(pointer, Message(code, {MessageArg(std::forward<A>(args))...}));
  }
  void Add(const std::string& pointer, Message message) {
    if (Full()) ++omitted_;
    else Listed(pointer, std::move(message));
  }
  // Another place named in a rule ("same as /applicants/1/id"): the pointer in English, its place in Chinese.
  static MessageArg PointerArg(const std::string& pointer);

  // The string member `key` of `element` as a person's name in a place, "" when it is missing or itself broken.
  static std::string PersonName(JsonObject element, const char* key);

  // The person problems under `prefix` belong to (their place reads "第 4 位申报人（张三）…"): the string member
  // `key` of `element` ("name" of an applicant), read only when such a problem is listed. Kept until the scope
  // ends; an inner scope under an outer one's prefix (an item's applicant) leaves the outer one in place.
  class PersonScope {
   public:
    PersonScope(Checker& c, const std::string& prefix, JsonObject element, const char* key);
    ~PersonScope();
    PersonScope(const PersonScope&) = delete;
    PersonScope& operator=(const PersonScope&) = delete;

   private:
    Checker& c_;
    bool active_ = false;
  };
  // Every problem found so far, listed or only counted.
  size_t problem_count() const { return out_->size() + omitted_; }

  // Which problems to list when there are too many: by default the first found. With an order, the first in that
  // order (ties: first found) — for problems found out of document order (RosterValidation). The list is then
  // kept at most 2 × kMaxProblems long, sorted and cut whenever it reaches that; once cut, a problem ranked at or
  // after the last one kept is only counted.
  using Rank = std::pair<int, size_t>;
  void SetOrder(std::function<Rank(const std::string& pointer)> rank) { rank_ = std::move(rank); }
  // Sorts the list (with an order), cuts it to kMaxProblems and appends MoreProblems(n) when n were left out.
  // Problems added afterwards are listed or counted as before; call Close again.
  void Close();

  // Objects and arrays. `max_items` and `min_items` bound an array's length (reported at the array's pointer);
  // the array is still returned when too long so that its entries are checked too.
  JsonObject Nested(JsonObject parent, const std::string& parent_pointer,
                                 const std::string& key, Need need);
  JsonArray List(JsonObject parent, const std::string& parent_pointer,
                               const std::string& key, Need need, size_t min_items, size_t max_items);
  // For an array element or the body itself: reports "must be an object" at `pointer` when it is not one.
  JsonObject AsObject(const JsonValue* value, const std::string& pointer);

  std::optional<std::string> String(JsonObject parent, const std::string& parent_pointer,
                                    const std::string& key, Need need, size_t max_chars,
                                    TextKind kind = TextKind::kLine);
  // One of a fixed set of values; `rule` says which (kChoiceGender).
  std::optional<std::string> Choice(JsonObject parent, const std::string& parent_pointer,
                                    const std::string& key, Need need, std::initializer_list<const char*> allowed,
                                    Msg rule);
  // [A-Za-z0-9._-]{1,64}: applicant, batch, committee ids — they become archive keys and file names.
  std::optional<std::string> Id(JsonObject parent, const std::string& parent_pointer,
                                const std::string& key, Need need);
  std::optional<double> Number(JsonObject parent, const std::string& parent_pointer,
                               const std::string& key, Need need, double min, double max);
  std::optional<int64_t> Integer(JsonObject parent, const std::string& parent_pointer,
                                 const std::string& key, Need need, int64_t min, int64_t max);
  std::optional<bool> Bool(JsonObject parent, const std::string& parent_pointer,
                           const std::string& key, Need need);

  enum class Past { kAny, kNotInFuture };
  // A calendar date; `allow_month_only` where the contract allows "YYYY-MM". Years outside 1900–2100 are
  // rejected as typing slips; kNotInFuture compares with ctx.today (skipped when today is unknown).
  std::optional<DateAt> Date(JsonObject parent, const std::string& parent_pointer,
                             const std::string& key, Need need, bool allow_month_only, Past past = Past::kAny);

  // Cross-field order: reports at `later` when it is before `earlier` (or not after it, when `strictly`).
  void RequireOrder(const std::optional<DateAt>& earlier, const std::optional<DateAt>& later, bool strictly);

  // Calls fn(row, row_pointer) for each entry of the array `key` that is an object (others are reported).
  template <typename Fn>
  void EachObject(JsonObject parent, const std::string& parent_pointer, const std::string& key,
                  Need need, size_t min_items, size_t max_items, Fn fn) {
    JsonArray list = List(parent, parent_pointer, key, need, min_items, max_items);
    if (!list) return;
    const std::string list_pointer = Child(parent_pointer, key);
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
      std::string row_pointer = Child(list_pointer, i);
      if (JsonObject row = AsObject(&(*list)[i], row_pointer)) fn(row, row_pointer);
    }
  }

  enum class JsonType { kString, kNumber, kBool };

  // Checks text already extracted (UTF-8, control characters, length); nullopt when fine.
  static std::optional<Message> TextProblem(const std::string& value, size_t max_chars, TextKind kind);

 private:
  // parent_pointer + "/" + key, made only when it is used (a problem, a date): most members need none.
  class LazyPointer;
  // The member's value, or nullopt when absent or null (reporting "required" when it is needed).
  const JsonValue* Member(JsonObject parent, const LazyPointer& pointer, const std::string& key, Need need);
  // Member, only when it has the JSON type wanted; otherwise reports `type_rule` (kNotString).
  const JsonValue* TypedMember(JsonObject parent, const LazyPointer& pointer, const std::string& key, Need need,
                               JsonType type, Msg type_rule);

  // Add for a pointer made only when the problem is listed.
  template <typename... A>
  void AddAt(const LazyPointer& pointer, Msg code, A&&... args);
  void Listed(const std::string& pointer, Message message);
  bool Full() const { return !rank_ && out_->size() >= kMaxProblems; }
  void Trim(size_t keep);

  Problems* out_;
  size_t omitted_ = 0;
  std::function<Rank(const std::string&)> rank_;
  std::vector<Rank> ranks_;       // with an order: the rank of each problem listed
  std::optional<Rank> cutoff_;    // with an order, once cut: the rank of the last problem kept
  std::optional<model::Date> today_;
  std::shared_ptr<const WorkCalendar> calendar_;
  // PersonScope's: the prefix, and where the name is.
  std::string person_prefix_;
  JsonObject person_element_ = nullptr;
  const char* person_key_ = nullptr;
};

}  // namespace zhiping::model
