#include "common/json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/error.h"

namespace zhiping {

static const char kMalformed[] = "malformed JSON";

Poco::Dynamic::Var ParseJson(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(text);
  } catch (const Poco::Exception& e) {
    std::string why = e.message().empty() ? e.displayText() : e.message();
    throw Error(ErrorKind::kInvalidInput, std::string(kMalformed) + ": " + why,
                {Problem{"", std::string(kMalformed) + ": " + why}});
  }
}

bool IsMalformedJsonError(const std::string& message) { return message.rfind(kMalformed, 0) == 0; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kNotFound, "cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFileAtomic(const std::string& path, const std::string& bytes) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(ErrorKind::kInternal, "cannot write " + tmp + ": " + std::strerror(errno));
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t w = ::write(fd, bytes.data() + off, bytes.size() - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw Error(ErrorKind::kInternal, "cannot write " + tmp + ": " + std::strerror(err));
    }
    off += static_cast<size_t>(w);
  }
  ::fsync(fd);
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw Error(ErrorKind::kInternal, "cannot write " + path + ": " + std::strerror(err));
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

}  // namespace zhiping
