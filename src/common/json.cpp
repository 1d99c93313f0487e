#include "common/json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "common/error.h"
#include "common/json_sax.h"
#include "common/json_scan.h"
#include "common/utf8.h"

namespace zhiping {

static const char kMalformed[] = "malformed JSON";

void ThrowMalformedJson(const std::optional<LineColumn>& where, const Message& why) {
  Problem p = where ? MakeProblem("", Message(Msg::kJsonMalformed, {LineColumnArg(*where), NestedArg(why)}))
                    : MakeProblem("", Message(Msg::kJsonMalformedNowhere, {NestedArg(why)}));
  std::string rule = p.rule;
  throw Error(ErrorKind::kInvalidInput, rule, {std::move(p)});
}

bool TryParseJson(Poco::JSON::Parser& parser, const std::string& text, Poco::Dynamic::Var* out, Message* error,
                  size_t* error_offset) {
  JsonScan scan = ScanJson(text);
  if (!scan.ok) {
    *error = std::move(scan.why);
    *error_offset = scan.error_offset;
    return false;
  }
  // Poco's parser takes only objects and lists at the top: a scalar is parsed inside a list and taken out.
  const bool container = scan.first == '{' || scan.first == '[';
  std::string rewritten;
  if (!scan.wide_numbers.empty()) rewritten = WidenNumbers(text, scan.wide_numbers);
  if (!container) rewritten = "[" + (scan.wide_numbers.empty() ? text : rewritten) + "]";
  std::string_view source = rewritten.empty() ? std::string_view(text) : std::string_view(rewritten);
  // A byte-order mark was skipped by the scan; Poco's parser would take it for a value.
  size_t bom = source.find("\xEF\xBB\xBF");
  std::string without_bom;
  if (bom != std::string_view::npos && source.find_first_not_of("[ \t\r\n") == bom) {
    without_bom = std::string(source.substr(0, bom)) + std::string(source.substr(bom + 3));
    source = without_bom;
  }
  try {
    parser.reset();
    Poco::Dynamic::Var value = parser.parse(std::string(source));
    *out = container ? value : value.extract<Poco::JSON::Array::Ptr>()->get(0);
    return true;
  } catch (const Poco::Exception& e) {
    // The scan found nothing wrong, so this is one of Poco's own limits; its message is made safe to show.
    *error = Message(Msg::kJsonParser, {SanitizeText(e.message().empty() ? e.displayText() : e.message())});
    *error_offset = std::string_view::npos;
    return false;
  }
}

Poco::Dynamic::Var ParseJson(const std::string& text) {
  Poco::Dynamic::Var value;
  // The same tree, built about twice as fast; it declines whenever TryParseJson's answer could differ.
  if (TryParseJsonSax(text, &value)) return value;
  Poco::JSON::Parser parser;
  Message error;
  size_t offset = 0;
  if (TryParseJson(parser, text, &value, &error, &offset)) return value;
  ThrowMalformedJson(offset == std::string_view::npos ? std::nullopt
                                                       : std::optional<LineColumn>(LineColumnAt(text, offset)),
                     error);
}

void CheckJsonSyntax(std::string_view text) {
  JsonScan scan = ScanJson(text);
  if (!scan.ok) ThrowMalformedJson(LineColumnAt(text, scan.error_offset), scan.why);
}

bool IsMalformedJsonError(const std::string& message) { return message.rfind(kMalformed, 0) == 0; }

namespace {

// Reads `fd` (named `name` in messages) to its end, or until more than `max_bytes`: then false, with what was read.
bool ReadAll(int fd, const std::string& name, size_t max_bytes, std::string* out) {
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    out->resize(static_cast<size_t>(std::min<uint64_t>(static_cast<uint64_t>(st.st_size), max_bytes)));
  }
  size_t used = 0;
  for (;;) {
    // Into the string while it has room; past the size fstat gave (a pipe, a growing file), in pieces appended.
    char piece[64 * 1024];
    const bool room = used < out->size();
    const ssize_t n = room ? ::read(fd, &(*out)[used], out->size() - used) : ::read(fd, piece, sizeof piece);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(ErrorKind::kNotFound, "cannot read " + name + ": " + std::strerror(errno));
    if (n == 0) break;
    if (!room) {
      if (used + static_cast<size_t>(n) > max_bytes) return false;
      out->append(piece, static_cast<size_t>(n));
    }
    used += static_cast<size_t>(n);
  }
  out->resize(used);  // a file that shrank meanwhile
  return true;
}

}  // namespace

std::string ReadFile(const std::string& path) {
  std::string out;
  if (!TryReadFile(path, SIZE_MAX, &out)) throw Error(ErrorKind::kInternal, "no limit, yet " + path + " exceeded it");
  return out;
}

bool TryReadFile(const std::string& path, size_t max_bytes, std::string* out) {
  // One buffer sized from fstat and filled by large reads: every start reads the fonts (~70 MB), and an ifstream
  // copied into an ostringstream read them 8 KB a call (8,900 system calls) and copied each about three times.
  out->clear();
  if (path == "/dev/stdin") return ReadAll(STDIN_FILENO, path, max_bytes, out);
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) throw Error(ErrorKind::kNotFound, "cannot read " + path + ": " + std::strerror(errno));
  try {
    const bool whole = ReadAll(fd, path, max_bytes, out);
    ::close(fd);
    return whole;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

static std::string UnescapeToken(const std::string& t) {
  std::string out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '~' && i + 1 < t.size()) {
      out += (t[i + 1] == '1') ? '/' : '~';
      ++i;
    } else {
      out += t[i];
    }
  }
  return out;
}

Poco::Dynamic::Var AtPointer(const Poco::Dynamic::Var& root, const std::string& pointer) {
  Poco::Dynamic::Var cur = root;
  size_t pos = 0;
  if (pointer.empty()) return cur;
  while (pos < pointer.size()) {
    if (pointer[pos] != '/') return {};
    size_t next = pointer.find('/', pos + 1);
    std::string token = UnescapeToken(pointer.substr(pos + 1, next == std::string::npos ? std::string::npos
                                                                                         : next - pos - 1));
    if (cur.type() == typeid(Poco::JSON::Object::Ptr)) {
      auto obj = cur.extract<Poco::JSON::Object::Ptr>();
      if (!obj || !obj->has(token)) return {};
      cur = obj->get(token);
    } else if (cur.type() == typeid(Poco::JSON::Array::Ptr)) {
      auto arr = cur.extract<Poco::JSON::Array::Ptr>();
      char* end = nullptr;
      unsigned long idx = std::strtoul(token.c_str(), &end, 10);
      if (!arr || token.empty() || *end != '\0' || idx >= arr->size()) return {};
      cur = arr->get(static_cast<unsigned>(idx));
    } else {
      return {};
    }
    if (next == std::string::npos) break;
    pos = next;
  }
  return cur;
}

std::string StringAt(const Poco::Dynamic::Var& root, const std::string& pointer) {
  Poco::Dynamic::Var v = AtPointer(root, pointer);
  if (v.isEmpty() || !v.isString()) return "";
  return v.convert<std::string>();
}

void AppendJsonString(const std::string& s, std::string* out) {
  *out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          *out += buf;
        } else {
          *out += static_cast<char>(c);
        }
    }
  }
  *out += '"';
}

std::string JsonText(const Poco::Dynamic::Var& value, int indent) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out, indent, indent ? indent : -1);
  return out.str();
}

}  // namespace zhiping
