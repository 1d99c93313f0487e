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

// Builds the value from RapidJSON's reader events with TryParseJsonSax's rules (numbers typed by TypeJsonNumber,
// nesting refused past kMaxSaxDepth), on its own stack of values (JsonDom's, kept across documents): the
// Document's own stack in RapidJSON 1.1 starts from a null pointer at every parse and does arithmetic on it
// (undefined behaviour that UBSan reports). Strings are not copied: they stay in the text parsed in place.
class Builder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Builder> {
 public:
  Builder(std::vector<JsonValue>& stack, rapidjson::MemoryPoolAllocator<>& pool) : stack_(stack), pool_(pool) {}
  bool Null() { return Push(JsonValue()); }
  bool Bool(bool b) { return Push(JsonValue(b)); }
  bool String(const char* s, rapidjson::SizeType n, bool) { return Push(JsonValue(rapidjson::StringRef(s, n))); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    JsonNumber number;
    if (!TypeJsonNumber(std::string_view(s, n), &number)) return false;
    return number.integer ? Push(JsonValue(static_cast<int64_t>(number.i))) : Push(JsonValue(number.d));
  }
  bool StartObject() { return ++depth_ <= kMaxSaxDepth; }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return String(s, n, copy); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    JsonValue object(rapidjson::kObjectType);
    const size_t first = stack_.size() - 2 * size_t{members};
    for (size_t i = first; i < stack_.size(); i += 2) object.AddMember(stack_[i], stack_[i + 1], pool_);  // moves
    stack_.resize(first);
    return Push(std::move(object));
  }
  bool StartArray() { return ++depth_ <= kMaxSaxDepth; }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    JsonValue array(rapidjson::kArrayType);
    array.Reserve(elements, pool_);
    const size_t first = stack_.size() - elements;
    for (size_t i = first; i < stack_.size(); ++i) array.PushBack(stack_[i], pool_);  // moves
    stack_.resize(first);
    return Push(std::move(array));
  }

 private:
  bool Push(JsonValue&& value) {
    stack_.push_back(std::move(value));
    return true;
  }

  std::vector<JsonValue>& stack_;
  rapidjson::MemoryPoolAllocator<>& pool_;
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
  stack_.clear();
  Builder builder(stack_, *pool_);
  const bool parsed = !reader.Parse<kFlags>(stream, builder).IsError() && stack_.size() == 1;
  if (parsed) static_cast<JsonValue&>(*root_) = stack_.back();  // RapidJSON's assignment moves
  stack_.clear();
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

JsonValue JsonCopy(const JsonValue& value, rapidjson::MemoryPoolAllocator<>& pool) {
  JsonValue out;
  if (value.IsObject()) {
    out.SetObject();
    for (const auto& m : value.GetObject()) {
      JsonValue name = JsonCopy(m.name, pool);
      JsonValue member = JsonCopy(m.value, pool);
      out.AddMember(name, member, pool);  // a repeated name stays repeated: JsonMember reads the last
    }
  } else if (value.IsArray()) {
    out.SetArray();
    out.Reserve(value.Size(), pool);
    for (const JsonValue& e : value.GetArray()) {
      JsonValue element = JsonCopy(e, pool);
      out.PushBack(element, pool);
    }
  } else if (value.IsString()) {
    out.SetString(value.GetString(), value.GetStringLength(), pool);
  } else if (value.IsBool()) {
    out.SetBool(value.GetBool());
  } else if (value.IsDouble()) {
    out.SetDouble(value.GetDouble());
  } else if (value.IsInt64()) {
    out.SetInt64(value.GetInt64());
  } else if (value.IsUint64()) {
    out.SetUint64(value.GetUint64());
  }
  return out;  // null stays null
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
