#include "common/json_dom.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <rapidjson/reader.h>

#include <cstring>
#include <vector>

#include "common/json_sax.h"

namespace zhiping {

namespace {

// Most elements (an applicant: ~40 values) fit the first chunk, so parsing one allocates nothing.
constexpr size_t kFirstChunkBytes = 16 * 1024;

// RapidJSON's reader feeding the document, with TryParseJsonSax's rules: numbers typed by TypeJsonNumber, nesting
// refused past kMaxSaxDepth.
class Builder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Builder> {
 public:
  explicit Builder(rapidjson::Document& doc) : doc_(doc) {}
  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return doc_.String(s, n, copy); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    JsonNumber number;
    if (!TypeJsonNumber(std::string_view(s, n), &number)) return false;
    return number.integer ? doc_.Int64(number.i) : doc_.Double(number.d);
  }
  bool StartObject() { return ++depth_ <= kMaxSaxDepth && doc_.StartObject(); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return doc_.Key(s, n, copy); }
  bool EndObject(rapidjson::SizeType members) { return --depth_, doc_.EndObject(members); }
  bool StartArray() { return ++depth_ <= kMaxSaxDepth && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) { return --depth_, doc_.EndArray(elements); }

 private:
  rapidjson::Document& doc_;
  size_t depth_ = 0;
};

void Copy(const Poco::Dynamic::Var& v, JsonValue* out, rapidjson::MemoryPoolAllocator<>& pool);

void CopyObject(const Poco::JSON::Object& object, JsonValue* out, rapidjson::MemoryPoolAllocator<>& pool) {
  out->SetObject();
  for (const auto& [key, value] : object) {
    JsonValue name(key.data(), static_cast<rapidjson::SizeType>(key.size()), pool);
    JsonValue member;
    Copy(value, &member, pool);
    out->AddMember(name, member, pool);
  }
}

void CopyArray(const Poco::JSON::Array& array, JsonValue* out, rapidjson::MemoryPoolAllocator<>& pool) {
  out->SetArray();
  out->Reserve(static_cast<rapidjson::SizeType>(array.size()), pool);
  for (const Poco::Dynamic::Var& value : array) {
    JsonValue element;
    Copy(value, &element, pool);
    out->PushBack(element, pool);
  }
}

void Copy(const Poco::Dynamic::Var& v, JsonValue* out, rapidjson::MemoryPoolAllocator<>& pool) {
  using Poco::JSON::Array;
  using Poco::JSON::Object;
  const std::type_info& type = v.type();
  if (v.isEmpty()) {
    out->SetNull();
  } else if (type == typeid(Object::Ptr)) {
    const Object::Ptr& object = v.extract<Object::Ptr>();
    if (object) CopyObject(*object, out, pool);
    else out->SetNull();
  } else if (type == typeid(Object)) {
    CopyObject(v.extract<Object>(), out, pool);
  } else if (type == typeid(Array::Ptr)) {
    const Array::Ptr& array = v.extract<Array::Ptr>();
    if (array) CopyArray(*array, out, pool);
    else out->SetNull();
  } else if (type == typeid(Array)) {
    CopyArray(v.extract<Array>(), out, pool);
  } else if (v.isString()) {
    const std::string& s = v.extract<std::string>();
    out->SetString(s.data(), static_cast<rapidjson::SizeType>(s.size()), pool);
  } else if (v.isBoolean()) {
    out->SetBool(v.convert<bool>());
  } else if (v.isInteger() && !v.isSigned()) {
    out->SetUint64(v.convert<Poco::UInt64>());
  } else if (v.isInteger()) {
    out->SetInt64(v.convert<Poco::Int64>());
  } else if (v.isNumeric()) {
    out->SetDouble(v.convert<double>());
  } else {
    out->SetNull();
  }
}

}  // namespace

JsonDom::JsonDom()
    : first_chunk_(new char[kFirstChunkBytes]),
      pool_(std::make_unique<rapidjson::MemoryPoolAllocator<>>(first_chunk_.get(), kFirstChunkBytes)),
      root_(std::make_unique<rapidjson::Document>(pool_.get())) {}

JsonDom::~JsonDom() = default;

void JsonDom::Reset() {
  root_->SetNull();
  pool_->Clear();  // the values are gone; the first chunk stays for the next document
}

bool JsonDom::TryParse(std::string_view text) {
  Reset();
  if (!FastParsable(text)) return false;
  text_.assign(text);  // parsed in place: the strings stay in text_
  rapidjson::InsituStringStream stream(text_.data());
  rapidjson::Reader reader;
  constexpr unsigned kFlags = rapidjson::kParseInsituFlag | rapidjson::kParseNumbersAsStringsFlag;
  bool parsed = false;
  auto generate = [&](rapidjson::Document& doc) {
    Builder builder(doc);
    parsed = !reader.Parse<kFlags>(stream, builder).IsError();
    return parsed;
  };
  root_->Populate(generate);
  if (!parsed) Reset();
  return parsed;
}

void JsonDom::Assign(const Poco::Dynamic::Var& value) {
  Reset();
  Copy(value, root_.get(), *pool_);
}

void JsonDom::SetObject() {
  Reset();
  root_->SetObject();
}

const JsonValue* JsonMember(const JsonValue& object, std::string_view key) {
  if (!object.IsObject()) return nullptr;
  for (auto it = object.MemberEnd(); it != object.MemberBegin();) {
    --it;
    if (it->name.GetStringLength() == key.size() && std::memcmp(it->name.GetString(), key.data(), key.size()) == 0) {
      return &it->value;
    }
  }
  return nullptr;
}

}  // namespace zhiping
