// common/json_dom.h — a parsed JSON value in one arena: what the model's checks read (model/checker.h).
//
// Why not the Poco tree every other stage gets from ParseJson (common/json.h): building it costs dozens of
// allocations per applicant (Poco 1.11's Object::set clones every value twice, a string member is a holder and a
// heap string each time) and reading a member clones it again. A roster of 100,000 applicants spent most of its
// validation there. A JsonDom holds RapidJSON values in one MemoryPoolAllocator that is emptied, not freed, between
// documents, and parses text in place: a string is a pointer into the dom's own copy of the text.
//
// The values are the ones ParseJson gives for the same text, so a body means the same whichever way it came:
//   - a repeated key: the last wins (JsonMember looks from the end);
//   - numbers typed as Poco types them (common/json_sax.h TypeJsonNumber): an integer literal as int64, one with
//     '.', 'e' or 'E' as a double; ParseJson's wider numbers (19 digits and more) arrive through Assign as Poco
//     holds them (uint64, double);
//   - TryParse declines exactly where TryParseJsonSax does (NUL bytes, \u escapes, not strict UTF-8, long numbers,
//     nesting deeper than kMaxSaxDepth, any syntax error): the caller then parses with TryParseJson (which also
//     gives the error's message and position) and Assigns the Poco tree.
//
// A JsonDom owns what root() refers to; TryParse and Assign replace it (pointers into the old value die). Not
// thread-safe: one per thread (a LazyBody::Reader keeps one), or one per request.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <rapidjson/document.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace zhiping {

using JsonValue = rapidjson::Value;  // its strings are UTF-8; its allocator a MemoryPoolAllocator

class JsonDom {
 public:
  JsonDom();
  ~JsonDom();
  JsonDom(const JsonDom&) = delete;
  JsonDom& operator=(const JsonDom&) = delete;

  // Parses `text` (copied first). False, with root() null, when it declines (see above).
  bool TryParse(std::string_view text);
  // A copy of a Poco value (a parsed body, or one built in code): objects and arrays by value or as Ptr, strings,
  // booleans, integers (signed as int64, unsigned as uint64), other numbers as double, an empty Var as null. A
  // value of any other type (only code builds those) becomes null.
  void Assign(const Poco::Dynamic::Var& value);
  // A new, empty object as the root, for a body composed from parts (model/validate.cpp's bulk letters).
  void SetObject();

  const JsonValue& root() const { return *root_; }
  JsonValue& root() { return *root_; }
  rapidjson::MemoryPoolAllocator<>& allocator() { return *pool_; }

 private:
  void Reset();

  std::string text_;  // the text parsed in place: strings of the root point into it
  std::unique_ptr<char[]> first_chunk_;  // the pool's first chunk, kept across documents
  std::unique_ptr<rapidjson::MemoryPoolAllocator<>> pool_;
  std::unique_ptr<rapidjson::Document> root_;
  std::vector<JsonValue> stack_;  // TryParse's values under construction, kept for the next document
};

// Member `key` of `object` (the last one with that name), or nullptr when absent or `object` is not an object.
// JSON null is returned as a value: callers decide what null means (the model: missing).
const JsonValue* JsonMember(const JsonValue& object, std::string_view key);

// A deep copy of `value` made in `pool` (strings copied too). Not RapidJSON's copy constructor: in 1.1 it goes
// through a Document's stack, which does arithmetic on a null pointer (undefined behaviour; see json_dom.cpp).
JsonValue JsonCopy(const JsonValue& value, rapidjson::MemoryPoolAllocator<>& pool);

// A string value's text.
inline std::string_view JsonString(const JsonValue& string_value) {
  return std::string_view(string_value.GetString(), string_value.GetStringLength());
}

}  // namespace zhiping
