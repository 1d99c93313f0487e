#include "json_edit.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>
#include <stdexcept>

#include "common/json.h"

namespace zhiping::testing {
namespace {

// The parent of `pointer` and the last reference token; throws when the parent is not an object or array.
Poco::Dynamic::Var ParentOf(const Poco::Dynamic::Var& root, const std::string& pointer, std::string* key) {
  const size_t slash = pointer.rfind('/');
  if (slash == std::string::npos) throw std::logic_error("not a JSON pointer: " + pointer);
  *key = pointer.substr(slash + 1);
  Poco::Dynamic::Var parent = AtPointer(root, pointer.substr(0, slash));
  if (parent.type() != typeid(Poco::JSON::Object::Ptr) && parent.type() != typeid(Poco::JSON::Array::Ptr))
    throw std::logic_error("no parent for " + pointer);
  return parent;
}

}  // namespace

void SetAt(const Poco::Dynamic::Var& root, const std::string& pointer, const Poco::Dynamic::Var& value) {
  std::string key;
  Poco::Dynamic::Var parent = ParentOf(root, pointer, &key);
  if (parent.type() == typeid(Poco::JSON::Object::Ptr)) {
    Poco::JSON::Object::Ptr object = parent.extract<Poco::JSON::Object::Ptr>();
    object->set(key, value);
  } else {
    Poco::JSON::Array::Ptr array = parent.extract<Poco::JSON::Array::Ptr>();
    array->set(static_cast<unsigned>(std::stoul(key)), value);
  }
}

void RemoveAt(const Poco::Dynamic::Var& root, const std::string& pointer) {
  std::string key;
  Poco::Dynamic::Var parent = ParentOf(root, pointer, &key);
  if (parent.type() == typeid(Poco::JSON::Object::Ptr)) {
    Poco::JSON::Object::Ptr object = parent.extract<Poco::JSON::Object::Ptr>();
    object->remove(key);
  } else {
    Poco::JSON::Array::Ptr array = parent.extract<Poco::JSON::Array::Ptr>();
    array->remove(static_cast<unsigned>(std::stoul(key)));
  }
}

std::string ToJson(const Poco::Dynamic::Var& value) {
  std::ostringstream text;
  Poco::JSON::Stringifier::stringify(value, text);
  return text.str();
}

Poco::JSON::Object::Ptr ParseObject(const std::string& json) {
  return ParseJson(json).extract<Poco::JSON::Object::Ptr>();
}

std::string WithString(const std::string& json, const std::string& pointer, const std::string& value) {
  Poco::Dynamic::Var root = ParseJson(json);
  SetAt(root, pointer, value);
  return ToJson(root);
}

}  // namespace zhiping::testing
