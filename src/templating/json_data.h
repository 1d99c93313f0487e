// templating/json_data.h — the edge where a parsed JSON value becomes Mustache data for a Scope (templating/scope.h).
//
// The one conversion from Poco::Dynamic::Var to kainjow data used by the roster writer (the body's envelope, each
// row, each joined element). Strings stay strings; numbers become their shortest exact text (NumberText); true and
// false stay booleans (sections test them); null and absent members are left out (missing), a null in a list is "". The PDF view with its
// derived fields is templating/view.h. Pure functions; thread-safe.
#pragma once

#include <Poco/Dynamic/Var.h>

#include <kainjow/mustache.hpp>
#include <map>
#include <string>

namespace zhiping::templating {

// The parts of a JSON value a template reads: members by name, each either whole or only some of its parts.
struct JsonSelection {
  bool whole = false;
  std::map<std::string, JsonSelection> members;  // when !whole

  // Selects the value at a dotted path ("education.level") whole.
  void Add(const std::string& dotted);
  // The selection of member `name`, or nullptr when nothing of it is selected.
  const JsonSelection* Member(const std::string& name) const;
};

// `only`, when given, selects what of `value` to convert (what a template reads: a row costs that much, not its
// whole history); a list is converted whole when anything of it is selected. Without `only`, all of it.
kainjow::mustache::data DataFromJson(const Poco::Dynamic::Var& value, const JsonSelection* only = nullptr);

// Shortest text that reads back as `value` ("86", "85.5").
std::string NumberText(double value);

}  // namespace zhiping::templating
