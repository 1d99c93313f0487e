#include "service/request_body.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/MediaType.h>
#include <Poco/String.h>

#include <algorithm>
#include <istream>
#include <memory>

#include "common/spooled_file.h"
#include "service/chunked_body.h"
#include "service/connection_watchdog.h"
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

bool IsXlsxContentType(const std::string& content_type) {
  try {
    Poco::Net::MediaType type(content_type);
    return Poco::icompare(type.getType() + "/" + type.getSubType(), kXlsxMediaType) == 0;
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

size_t RequestBody::Pump(size_t limit, const std::function<void(const char*, size_t)>& sink) {
  started_ = true;
  if (request_.getExpectContinue()) request_.response().sendContinue();
  const bool chunked = request_.getChunkedTransferEncoding();
  std::unique_ptr<ChunkedBody> decoder;
  if (chunked) decoder = std::make_unique<ChunkedBody>(request_);
  std::istream& in = request_.stream();
  size_t total = 0;
  std::string buffer(65536, '\0');
  while (total <= limit) {
    const size_t want = std::min(buffer.size(), limit + 1 - total);
    size_t got = 0;
    if (decoder) {
      got = decoder->Read(&buffer[0], want);  // throws on a malformed or cut-off body
    } else {
      in.read(&buffer[0], static_cast<std::streamsize>(want));
      got = static_cast<size_t>(in.gcount());
    }
    if (got > 0) {
      const size_t keep = std::min(got, limit - std::min(limit, total));  // never pass on limit+1
      if (keep > 0) sink(buffer.data(), keep);
      total += got;
    }
    if (decoder ? got == 0 : got < want) break;  // end of body (or, with Content-Length, the client went away)
  }
  if (total <= limit && !chunked && static_cast<Poco::Int64>(total) != request_.getContentLength64()) {
    throw HttpError(400, "incomplete-body", "the request body ended before its Content-Length");
  }
  return total;
}

void RequestBody::Read(size_t limit, const std::function<void(const char*, size_t)>& sink, bool workbook) {
  if (workbook && !this->workbook()) {
    throw HttpError(415, "unsupported-media-type", std::string("a workbook must be sent as Content-Type: ") + kXlsxMediaType);
  }
  if (!workbook && (!request_.has("Content-Type") || !IsJsonContentType(request_.getContentType()))) {
    throw HttpError(415, "unsupported-media-type",
                    "the request body must be JSON sent as Content-Type: application/json (charset UTF-8)");
  }
  std::string limit_text = std::to_string(limit) + " bytes";
  bool chunked = request_.getChunkedTransferEncoding();
  if (!chunked && request_.hasContentLength() && request_.getContentLength64() > static_cast<Poco::Int64>(limit)) {
    throw HttpError(413, "body-too-large", "the request body is larger than the limit of " + limit_text);
  }
  if (chunked || request_.hasContentLength()) {
    if (Pump(limit, sink) > limit) {
      throw HttpError(413, "body-too-large", "the request body is larger than the limit of " + limit_text);
    }
    ConnectionBodyRead();
  }
  // (HTTP/1.1 without either header has no body; an empty body is malformed JSON, which Render reports as 400.)
  consumed_ = true;
  if (once_read_) {
    auto hook = std::move(once_read_);
    once_read_ = nullptr;
    hook();
  }
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

bool RequestBody::workbook() const {
  return request_.has("Content-Type") && IsXlsxContentType(request_.getContentType());
}

void RequestBody::SpoolWorkbook(SpooledFile* file) {
  Read(spool_limit_, [&](const char* data, size_t size) { file->Write(data, size); }, /*workbook=*/true);
  file->Close();
}

bool RequestBody::Discard() {
  if (consumed()) return true;
  if (started_) return false;
  if (!request_.getChunkedTransferEncoding() && request_.getContentLength64() > static_cast<Poco::Int64>(limit_)) {
    return false;
  }
  // The client waits for our 100 Continue before sending; inviting a body only to drop it would waste its upload.
  if (request_.getExpectContinue()) return false;
  try {
    if (Pump(limit_, [](const char*, size_t) {}) > limit_) return false;
  } catch (const std::exception&) {
    return false;  // cut off or malformed: nothing more can be read from this connection
  }
  consumed_ = true;
  ConnectionBodyRead();
  return true;
}

}  // namespace zhiping::service
