// templating/scope.h — the one lookup rule: what a name in a template means (docs/templates.md, docs/rosters.md).
//
// PDF and roster templates resolve names the same way. The frames, innermost first:
//   1. the open sections ({{#x}}…{{/x}}) and, in a PDF, the element of an open @each / @table / @rows list;
//   2. in a roster row: the row's joins (@join NAME …), then the row's own fields;
//   3. the body (the whole request: batch, applicants, …).
// A name a.b.c is resolved by its first segment: the innermost frame that has a member `a` gives the value (a join
// whose row has no partner has `a`, as missing), and b, c are looked up inside it (a decimal segment selects an
// element of a list). When that fails the name is missing; outer frames are not tried again. {{.}} is the value of
// the innermost open section or list element.
//
// A Scope borrows everything it is given; the data must outlive the lookups. Not thread-safe: one per render.
#pragma once

#include <kainjow/mustache.hpp>

#include <string>
#include <utility>
#include <vector>

namespace zhiping::templating {

using Data = kainjow::mustache::data;

class Scope : public kainjow::mustache::basic_context<std::string> {
 public:
  explicit Scope(const Data* body) : body_(body) {}

  // The row of a roster (nullptr: none) and its joins (name -> partner, nullptr when the row has none).
  void SetRow(const Data* row) { row_ = row; }
  void ClearJoins() { joins_.clear(); }
  void AddJoin(std::string name, const Data* partner) { joins_.emplace_back(std::move(name), partner); }

  // A section or list element opens (innermost from now on) / closes.
  void push(const Data* data) override { pushed_.push_back(data); }
  void pop() override { pushed_.pop_back(); }

  // The value `name` ("a.b.c", ".") means here, or nullptr when missing.
  const Data* get(const std::string& name) const override;
  const Data* Lookup(const std::vector<std::string>& path) const;

  const Data* get_partial(const std::string&) const override { return nullptr; }  // no partials

 private:
  const Data* First(const std::string& name) const;  // the value the first segment picks

  const Data* body_;
  const Data* row_ = nullptr;
  std::vector<std::pair<std::string, const Data*>> joins_;
  std::vector<const Data*> pushed_;  // innermost last
};

// Member `segment` of an object, or element `segment` (decimal) of a list; nullptr otherwise.
const Data* ChildOf(const Data& data, const std::string& segment);

// The text a value stands for where a single value is printed: a string as is, true/false as "true"/"false",
// nothing for an object, a list or a missing value. Borrowed from `data` (or static): valid while `data` is.
const std::string& TextOf(const Data* data);

}  // namespace zhiping::templating
