#include "common/json_sax.h"

#include "common/utf8_sequence.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/NumberParser.h>
#include <rapidjson/reader.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace zhiping {

namespace {

// Builds the tree from the reader's events. Returning false stops the reader (the caller then declines).
class TreeBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TreeBuilder> {
 public:
  explicit TreeBuilder(Poco::Dynamic::Var* root) : root_(root) {}

  bool Null() { return Add(Poco::Dynamic::Var()); }
  bool Bool(bool b) { return Add(b); }
  bool String(const char* s, rapidjson::SizeType n, bool) { return Add(std::string(s, n)); }
  // Every number comes as its literal (kParseNumbersAsStringsFlag): typed here as Poco's parser types it.
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    JsonNumber number;
    if (!TypeJsonNumber(std::string_view(s, n), &number)) return false;
    if (number.integer) return Add(Poco::Int64{number.i});
    return Add(number.d);
  }
  bool StartObject() {
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object();
    return Open(object, Frame{object, nullptr, {}});
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    frames_.back().key.assign(s, n);
    return true;
  }
  bool EndObject(rapidjson::SizeType) { return Close(); }
  bool StartArray() {
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array();
    return Open(array, Frame{nullptr, array, {}});
  }
  bool EndArray(rapidjson::SizeType) { return Close(); }

 private:
  struct Frame {
    Poco::JSON::Object::Ptr object;  // one of the two
    Poco::JSON::Array::Ptr array;
    std::string key;  // the object's member being read
  };

  // A new container: added where the reader is, then the one values go into (refused past kMaxSaxDepth).
  bool Open(const Poco::Dynamic::Var& container, Frame frame) {
    if (frames_.size() >= kMaxSaxDepth || !Add(container)) return false;
    frames_.push_back(std::move(frame));
    return true;
  }
  bool Close() {
    frames_.pop_back();
    return true;
  }

  bool Add(const Poco::Dynamic::Var& value) {
    if (frames_.empty()) {
      *root_ = value;
    } else if (Frame& top = frames_.back(); top.object) {
      top.object->set(top.key, value);
    } else {
      top.array->add(value);
    }
    return true;
  }

  Poco::Dynamic::Var* root_;
  std::vector<Frame> frames_;
};

// A thread keeps its copy of the last text for the next one only up to this size.
constexpr size_t kKeptBufferBytes = 256 * 1024;

}  // namespace

bool TypeJsonNumber(std::string_view literal, JsonNumber* out) {
  if (literal.size() >= 19) return false;  // ScanJson widens 19-digit integers and long literals: TryParseJson's
  const std::string text(literal);
  if (text.find_first_of(".eE") == std::string::npos) {
    Poco::Int64 value = 0;
    if (!Poco::NumberParser::tryParse64(text, value)) return false;
    *out = JsonNumber{true, value, 0};
    return true;
  }
  double value = 0;
  if (!Poco::NumberParser::tryParseFloat(text, value) || !std::isfinite(value)) return false;
  *out = JsonNumber{false, 0, value};
  return true;
}

bool FastParsable(std::string_view text) {
  // A NUL byte ends RapidJSON's memory stream early (ScanJson refuses it); \u escapes are TryParseJson's.
  if (std::memchr(text.data(), 0, text.size()) != nullptr) return false;
  // memchr, not memmem: glibc's memmem walks a two-byte needle without SIMD, and was half of this function's time.
  // An escape is two characters, so \\u in the text (an escaped backslash, then u) is no \u escape.
  const char* const end = text.data() + text.size();
  for (const char* p = text.data(); p < end; p += 2) {
    p = static_cast<const char*>(std::memchr(p, '\\', static_cast<size_t>(end - p)));
    if (!p) break;
    if (p + 1 < end && p[1] == 'u') return false;
  }
  return IsWellFormedUtf8(text);  // the check RapidJSON would make byte by byte, over the whole text at once
}

bool TryParseJsonSax(std::string_view text, Poco::Dynamic::Var* out) {
  if (!FastParsable(text)) return false;
  // Parsed in place (strings unescaped where they stand) in a copy of the text, kept per thread.
  thread_local std::string buffer;
  buffer.assign(text);
  rapidjson::InsituStringStream stream(buffer.data());
  TreeBuilder builder(out);
  rapidjson::Reader reader;
  constexpr unsigned kFlags = rapidjson::kParseInsituFlag | rapidjson::kParseNumbersAsStringsFlag;
  const bool parsed = !reader.Parse<kFlags>(stream, builder).IsError();
  // A thread keeps a small copy for the next text; a whole request body's worth is given back at once.
  if (buffer.capacity() > kKeptBufferBytes) std::string().swap(buffer);
  return parsed;
}

}  // namespace zhiping
