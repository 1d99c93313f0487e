#include "service/request_body.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/MediaType.h>
#include <Poco/String.h>

#include <algorithm>
#include <istream>

#include "common/spooled_file.h"
#include "service/problem_json.h"

namespace zhiping::service {

bool IsJsonContentType(const std::string& content_type) {
  try {
    Poco::Net::MediaType type(content_type);
    if (Poco::icompare(type.getType(), "application") != 0 || Poco::icompare(type.getSubType(), "json") != 0) {
      return false;
    }
    if (type.hasParameter("charset")) {
      std::string charset = Poco::toLower(Poco::trim(type.getParameter("charset")));
      if (charset != "utf-8" && charset != "utf8") return false;
    }
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

RequestBody::RequestBody(Poco::Net::HTTPServerRequest& request, size_t limit, size_t spool_limit)
    : request_(request), limit_(limit), spool_limit_(spool_limit) {}

bool RequestBody::present() const {
  if (request_.getChunkedTransferEncoding()) return true;
  return request_.hasContentLength() && request_.getContentLength64() > 0;
}

bool RequestBody::consumed() const { return consumed_ || !present(); }

template <typename Sink>
void RequestBody::Read(size_t limit, Sink sink) {
  if (!request_.has("Content-Type") || !IsJsonContentType(request_.getContentType())) {
    throw HttpError(415, "unsupported-media-type",
                    "the request body must be JSON sent as Content-Type: application/json (charset UTF-8)");
  }
  std::string limit_text = std::to_string(limit) + " bytes";
  bool chunked = request_.getChunkedTransferEncoding();
  if (!chunked && request_.hasContentLength() && request_.getContentLength64() > static_cast<Poco::Int64>(limit)) {
    throw HttpError(413, "body-too-large", "the request body is larger than the limit of " + limit_text);
  }
  if (!chunked && !request_.hasContentLength()) {
    // HTTP/1.1 without either header has no body; an empty body is malformed JSON, which Render reports as 400.
    consumed_ = true;
    return;
  }

  started_ = true;
  std::istream& in = request_.stream();
  size_t total = 0;
  std::string buffer(65536, '\0');
  while (total <= limit) {
    size_t want = std::min(buffer.size(), limit + 1 - total);
    in.read(&buffer[0], static_cast<std::streamsize>(want));
    std::streamsize got = in.gcount();
    if (got > 0) {
      size_t keep = std::min(static_cast<size_t>(got), limit - std::min(limit, total));  // never pass on limit+1
      if (keep > 0) sink(buffer.data(), keep);
      total += static_cast<size_t>(got);
    }
    if (got < static_cast<std::streamsize>(want)) break;  // end of body (or the client went away)
  }
  if (total > limit) {
    throw HttpError(413, "body-too-large", "the request body is larger than the limit of " + limit_text);
  }
  if (!chunked && static_cast<Poco::Int64>(total) != request_.getContentLength64()) {
    throw HttpError(400, "incomplete-body", "the request body ended before its Content-Length");
  }
  consumed_ = true;
}

std::string RequestBody::ReadJson() {
  std::string body;
  Read(limit_, [&](const char* data, size_t size) { body.append(data, size); });
  return body;
}

void RequestBody::SpoolJson(SpooledFile* file) {
  Read(spool_limit_, [&](const char* data, size_t size) { file->Write(data, size); });
  file->Close();
}

bool RequestBody::Discard() {
  if (consumed()) return true;
  if (started_) return false;
  if (!request_.getChunkedTransferEncoding() && request_.getContentLength64() > static_cast<Poco::Int64>(limit_)) {
    return false;
  }
  started_ = true;
  std::istream& in = request_.stream();
  char buffer[16384];
  size_t total = 0;
  while (total <= limit_) {
    size_t want = std::min(sizeof(buffer), limit_ + 1 - total);
    in.read(buffer, static_cast<std::streamsize>(want));
    std::streamsize got = in.gcount();
    total += static_cast<size_t>(got);
    if (got < static_cast<std::streamsize>(want)) break;
  }
  if (total > limit_) return false;
  if (!request_.getChunkedTransferEncoding() && static_cast<Poco::Int64>(total) != request_.getContentLength64()) {
    return false;
  }
  consumed_ = true;
  return true;
}

}  // namespace zhiping::service
