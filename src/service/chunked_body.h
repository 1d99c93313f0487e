// service/chunked_body.h — a strict reader of a chunked request body (RFC 9112 §7.1).
//
// Poco's chunked stream ends quietly when the connection does: a body cut off before its final `0` chunk reads
// exactly like a complete one, and would be rendered and issued. This reader takes the bytes from the request's
// HTTP session itself (after whatever Poco buffered with the headers) and refuses, with HttpError 400
// `incomplete-body`, a body that ends before its last-chunk and trailer section, and with 400 `bad-chunk` a
// malformed size line. Chunk extensions and trailer fields are read and ignored; a size line or the trailer
// section may not exceed a few KiB.
//
// Not thread safe; one per request, used on the thread serving it. The request must be Poco's
// HTTPServerRequestImpl (what Poco's HTTP server hands to handlers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace Poco::Net {
class HTTPServerRequest;
class HTTPSession;
}  // namespace Poco::Net

namespace zhiping::service {

class ChunkedBody {
 public:
  explicit ChunkedBody(Poco::Net::HTTPServerRequest& request);

  // Up to `size` bytes of the body into `buffer`; 0 once the whole body, final chunk included, has been read.
  // Throws HttpError (400) when the body is malformed or ends early (including a receive timeout or reset).
  size_t Read(char* buffer, size_t size);
  bool finished() const { return finished_; }

 private:
  int Get();  // the next byte, or -1 at end of stream
  std::string Line(size_t max);  // up to '\n', without CR/LF; HttpError when the stream ends first
  void StartChunk();

  Poco::Net::HTTPSession& session_;
  uint64_t left_ = 0;     // bytes left in the current chunk
  bool in_chunk_ = false;
  bool finished_ = false;
};

}  // namespace zhiping::service
