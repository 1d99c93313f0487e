// templating/json_data.h — the edge where a parsed JSON value becomes Mustache data for a Scope (templating/scope.h).
//
// The one conversion from Poco::Dynamic::Var to kainjow data used by the roster writer (the body's envelope, each
// row, each joined element). Strings stay strings; numbers become their shortest exact text (NumberText); true and
// false stay booleans (sections test them); null and absent members are left out (missing), a null in a list is "". The PDF view with its
// derived fields is templating/view.h. Pure functions; thread-safe.
#pragma once

#include <Poco/Dynamic/Var.h>

#include <kainjow/mustache.hpp>
#include <set>
#include <string>

namespace zhiping::templating {

// `only`, when given, names the members of an object `value` to convert (the names a template reads; the others
// are left out, so a row costs what the template reads of it). Nested values are converted whole.
kainjow::mustache::data DataFromJson(const Poco::Dynamic::Var& value, const std::set<std::string>* only = nullptr);

// Shortest text that reads back as `value` ("86", "85.5").
std::string NumberText(double value);

}  // namespace zhiping::templating
