// tests/support/json_edit.h — editing a parsed body at an RFC 6901 pointer, to break one rule of a valid body;
// printing and parsing it for that.
//
// The parent of `pointer` must exist (an object, or an array whose index is replaced/removed); otherwise
// std::logic_error naming the pointer. Objects and arrays are shared, so the change is visible through `root`.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <string>

namespace zhiping::testing {

void SetAt(const Poco::Dynamic::Var& root, const std::string& pointer, const Poco::Dynamic::Var& value);
void RemoveAt(const Poco::Dynamic::Var& root, const std::string& pointer);
std::string ToJson(const Poco::Dynamic::Var& value);
// `json` parsed as an object (throws when it is not one).
Poco::JSON::Object::Ptr ParseObject(const std::string& json);
// `json` parsed, the string at `pointer` set to `value`, printed again.
std::string WithString(const std::string& json, const std::string& pointer, const std::string& value);

}  // namespace zhiping::testing
