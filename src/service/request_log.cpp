#include "service/request_log.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <random>

namespace zhiping::service {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string MaskIdNumbers(const std::string& text) {
  std::string out = text;
  size_t i = 0;
  while (i < out.size()) {
    if (!IsDigit(out[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < out.size() && IsDigit(out[j])) ++j;
    size_t end = j;
    if (end - i == 17 && end < out.size() && (out[end] == 'X' || out[end] == 'x')) ++end;
    size_t len = end - i;
    // 15 digits (first generation) or 18 characters; longer digit runs are masked too, they may hide one.
    if (len >= 15) {
      for (size_t k = i + 6; k + 2 < end; ++k) out[k] = '*';
    }
    i = end;
  }
  return out;
}

std::string FormatRequestLine(const std::string& method, const std::string& path, int status, long millis,
                              const std::string& token_name, const std::string& request_id) {
  std::string when = Poco::DateTimeFormatter::format(Poco::DateTime(), "%Y-%m-%dT%H:%M:%SZ");
  return when + " " + method + " " + MaskIdNumbers(path) + " " + std::to_string(status) + " " +
         std::to_string(millis) + "ms token=" + (token_name.empty() ? "-" : token_name) +
         (request_id.empty() ? "" : " rid=" + request_id);
}

std::string RequestId(const std::string& offered) {
  bool ok = !offered.empty() && offered.size() <= 64;
  for (char c : offered)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' || c == '-');
  if (ok) return offered;
  // Seeded once a thread: an id must be unique in the logs, not unguessable, and a random_device per request
  // was a system call on every request.
  static thread_local std::mt19937_64 random{std::random_device{}()};
  char id[17];
  std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(random()));
  return id;
}

void WriteLogLine(const std::string& line) {
  std::string buf = line + "\n";
  size_t off = 0;
  while (off < buf.size()) {
    ssize_t w = ::write(STDERR_FILENO, buf.data() + off, buf.size() - off);
    if (w <= 0) return;  // a log line is never worth failing a request for
    off += static_cast<size_t>(w);
  }
}

}  // namespace zhiping::service
