#include "model/request_json.h"

#include <Poco/JSON/Array.h>

#include <sstream>
#include <type_traits>

#include "model/request_fields.h"

namespace zhiping::model {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// Each member becomes one JSON member of `out`.
class JsonWriter {
 public:
  explicit JsonWriter(Object* out) : out_(out) {}

  template <typename T>
  void Field(const char* name, const T& value) {
    out_->set(name, ToVar(value));
  }
  template <typename T>
  void Field(const char* name, const std::optional<T>& value) {
    if (value) Field(name, *value);
  }

 private:
  static Var ToVar(const std::string& s) { return s; }
  static Var ToVar(const Date& d) { return FormatDate(d); }
  static Var ToVar(int64_t n) { return static_cast<Poco::Int64>(n); }
  static Var ToVar(double d) { return d; }
  static Var ToVar(bool b) { return b; }
  template <typename T>
  static Var ToVar(const std::vector<T>& list) {
    Array::Ptr arr = new Array;
    for (const T& item : list) arr->add(ToVar(item));
    return arr;
  }
  template <typename T>
  static Var ToVar(const T& record) {
    Object::Ptr obj = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    JsonWriter writer(obj.get());
    VisitFields(record, writer);
    return obj;
  }

  Object* out_;
};

}  // namespace

Object::Ptr ToJson(const Request& request) {
  Object::Ptr root = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  JsonWriter writer(root.get());
  std::visit([&](const auto& r) { VisitFields(r, writer); }, request);
  return root;
}

std::string ToJsonText(const Request& request) {
  std::ostringstream out;
  ToJson(request)->stringify(out, 2);
  out << "\n";
  return out.str();
}

}  // namespace zhiping::model
