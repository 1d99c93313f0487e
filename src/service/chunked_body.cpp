#include "service/chunked_body.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerSession.h>

#include <string>

#include "service/problem_json.h"

namespace zhiping::service {

namespace {

// HTTPSession's buffered get()/read() are protected (Poco's own stream buffers are friends). A pointer to a
// protected member named through a derived class may be used on any HTTPSession: the only way to read the
// bytes Poco already buffered after the headers without a second, racing reader.
struct SessionAccess : Poco::Net::HTTPSession {
  static int Get(Poco::Net::HTTPSession& s) { return (s.*&SessionAccess::get)(); }
  static int Read(Poco::Net::HTTPSession& s, char* buffer, std::streamsize n) {
    return (s.*&SessionAccess::read)(buffer, n);
  }
};

constexpr size_t kMaxSizeLine = 4096;
constexpr size_t kMaxTrailers = 16384;

[[noreturn]] void Incomplete() {
  throw HttpError(400, "incomplete-body", "the chunked request body ended before its final chunk");
}

[[noreturn]] void BadChunk(const std::string& why) {
  throw HttpError(400, "bad-chunk", "the chunked request body is malformed: " + why);
}

Poco::Net::HTTPSession& SessionOf(Poco::Net::HTTPServerRequest& request) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  if (impl == nullptr) throw std::logic_error("ChunkedBody needs Poco's HTTPServerRequestImpl");
  return impl->session();
}

}  // namespace

ChunkedBody::ChunkedBody(Poco::Net::HTTPServerRequest& request) : session_(SessionOf(request)) {}

int ChunkedBody::Get() {
  try {
    return SessionAccess::Get(session_);
  } catch (const Poco::Exception&) {
    Incomplete();  // timeout or reset while waiting for the rest
  }
}

std::string ChunkedBody::Line(size_t max) {
  std::string line;
  for (int c; (c = Get()) != '\n';) {
    if (c < 0) Incomplete();
    if (line.size() >= max) BadChunk("a line is too long");
    line += static_cast<char>(c);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

void ChunkedBody::StartChunk() {
  std::string line = Line(kMaxSizeLine);
  size_t digits = 0;
  uint64_t size = 0;
  for (char c : line) {
    int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (v < 0) break;
    if (++digits > 15) BadChunk("a chunk size is too large");
    size = size * 16 + static_cast<uint64_t>(v);
  }
  if (digits == 0) BadChunk("a chunk size line has no size");
  const char after = digits < line.size() ? line[digits] : ';';
  if (after != ';' && after != ' ' && after != '\t') BadChunk("a chunk size line is not hexadecimal");
  if (size > 0) {
    left_ = size;
    in_chunk_ = true;
    return;
  }
  // The last chunk: trailer fields up to an empty line.
  size_t trailers = 0;
  for (std::string field; !(field = Line(kMaxSizeLine)).empty();) {
    trailers += field.size();
    if (trailers > kMaxTrailers) BadChunk("the trailer section is too long");
  }
  finished_ = true;
}

size_t ChunkedBody::Read(char* buffer, size_t size) {
  if (size == 0) return 0;
  while (!finished_ && !in_chunk_) StartChunk();
  if (finished_) return 0;
  const size_t want = left_ < size ? static_cast<size_t>(left_) : size;
  int got = 0;
  try {
    got = SessionAccess::Read(session_, buffer, static_cast<std::streamsize>(want));
  } catch (const Poco::Exception&) {
    Incomplete();
  }
  if (got <= 0) Incomplete();
  left_ -= static_cast<uint64_t>(got);
  if (left_ == 0) {
    in_chunk_ = false;
    if (!Line(2).empty()) BadChunk("a chunk's data is longer than its size");  // the CRLF after the data
  }
  return static_cast<size_t>(got);
}

}  // namespace zhiping::service
