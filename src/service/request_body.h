// service/request_body.h — reading a JSON request body without trusting the client about its size.
//
// ReadJson() refuses (HttpError) before reading anything when the Content-Type is not application/json (415;
// parameters are allowed but a charset must be UTF-8) or the Content-Length exceeds the limit (413), and while
// reading it counts bytes so a chunked body is cut off at limit+1 bytes (413): we never hold more than limit+1
// bytes of a request. consumed() tells the dispatcher whether the connection can be kept alive: a body left
// unread would be parsed as the next request. Before an early refusal (401, 403, 404, 415) the dispatcher calls
// Discard(): a client still sending its body when we close would get a connection reset instead of our answer.
#pragma once

#include <cstddef>
#include <string>

namespace Poco::Net {
class HTTPServerRequest;
}

namespace zhiping {
class SpooledFile;
}

namespace zhiping::service {

class RequestBody {
 public:
  // `limit`: what ReadJson holds in memory. `spool_limit`: what SpoolJson writes to a temporary file (a roster is
  // read from there piece by piece, so it may be larger).
  RequestBody(Poco::Net::HTTPServerRequest& request, size_t limit, size_t spool_limit);

  bool present() const;   // Content-Length > 0 or chunked
  bool consumed() const;  // no body, or read to its end
  std::string ReadJson();
  // The same checks as ReadJson, with `spool_limit`, the body written to `file` (and closed) instead of returned.
  void SpoolJson(SpooledFile* file);
  // Reads and drops an unread body of at most `limit` bytes; false when it is larger or was cut off (the
  // connection must then be closed).
  bool Discard();

 private:
  // Checks the headers against `limit`, then feeds the body to `sink` in blocks, refusing more than `limit` bytes.
  template <typename Sink>
  void Read(size_t limit, Sink sink);

  Poco::Net::HTTPServerRequest& request_;
  size_t limit_, spool_limit_;
  bool consumed_ = false;
  bool started_ = false;  // ReadJson began reading; a refused remainder is never drained
};

// application/json with at most a UTF-8 charset parameter ("application/json; charset=utf-8").
bool IsJsonContentType(const std::string& content_type);

}  // namespace zhiping::service
