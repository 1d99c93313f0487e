// service/request_body.h — reading a JSON request body without trusting the client about its size or pace.
//
// ReadJson() refuses (HttpError) before reading anything when the Content-Type is not application/json (415;
// parameters are allowed but a charset must be UTF-8) or the Content-Length exceeds the limit (413), and while
// reading it counts bytes so a chunked body is cut off at limit+1 bytes (413): we never hold more than limit+1
// bytes of a request. A body shorter than its Content-Length, or a chunked body without its final chunk (the
// client closed early, or the connection's body deadline cut it off), is 400 `incomplete-body`: a truncated
// document is never rendered or issued. Chunked bodies are decoded by ChunkedBody (chunked_body.h).
//
// `Expect: 100-continue`: the request handler factory stops Poco from sending `100 Continue` on its own; the
// body reader sends it when it actually starts reading, so a request refused first (401, 404, 413, 415) never
// invites a body it will not read.
//
// consumed() tells the dispatcher whether the connection can be kept alive: a body left unread would be parsed
// as the next request. Before an early refusal the dispatcher calls Discard(); when that cannot read the body
// (too large, cut off, or the client is still waiting for 100 Continue) the connection is closed after a
// lingering close (http_server.cpp), so the client still reads the answer.
//
// Not thread safe: one per request, on the thread serving it.
#pragma once

#include <cstddef>
#include <functional>
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
  // True when the body is a workbook (Content-Type: the XLSX media type, kXlsxMediaType): routes that take one
  // then call SpoolWorkbook instead (import/body_import.h makes it a JSON body).
  bool workbook() const;
  // The same checks and `spool_limit` as SpoolJson, for a workbook body.
  void SpoolWorkbook(SpooledFile* file);
  // `hook` runs once the body has been read whole by ReadJson/SpoolJson (or found absent), before they return; an
  // exception it throws is theirs. The dispatcher admits heavy work here (admission.h).
  void OnceRead(std::function<void()> hook) { once_read_ = std::move(hook); }
  // Reads and drops an unread body of at most `limit` bytes; false when it is larger, was cut off, or the client
  // waits for a 100 Continue that was never sent (the connection must then be closed).
  bool Discard();

 private:
  // Checks the headers against `limit`, then feeds the body to `sink` in blocks, refusing more than `limit` bytes.
  void Read(size_t limit, const std::function<void(const char*, size_t)>& sink, bool workbook = false);
  // Reads up to limit+1 bytes of the body into `sink`; returns how many (more than `limit` means too large).
  // Sends 100 Continue first when the client asked for it.
  size_t Pump(size_t limit, const std::function<void(const char*, size_t)>& sink);

  Poco::Net::HTTPServerRequest& request_;
  size_t limit_, spool_limit_;
  bool consumed_ = false;
  bool started_ = false;  // reading began; a refused remainder is never drained
  std::function<void()> once_read_;
};

// application/json with at most a UTF-8 charset parameter ("application/json; charset=utf-8").
bool IsJsonContentType(const std::string& content_type);

inline constexpr const char* kXlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
// kXlsxMediaType (parameters ignored).
bool IsXlsxContentType(const std::string& content_type);

}  // namespace zhiping::service
