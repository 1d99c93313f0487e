// tests/support/http_client.h — one request to a test server on 127.0.0.1: its status, content type, headers and
// body. The HTTP tests that need only that share this; tests of the wire itself (slow clients, 100-continue,
// chunking, Host headers) write their requests or raw sockets by hand. Throws what Poco throws on network errors.
#pragma once

#include <Poco/Net/NameValueCollection.h>

#include <cstdint>
#include <map>
#include <string>

namespace zhiping::testing {

struct TestReply {
  int status = 0;
  std::string content_type;
  std::string body;
  Poco::Net::NameValueCollection headers;  // every response header
};

struct RequestOptions {
  std::string content_type = "application/json";  // of a POST's body
  std::map<std::string, std::string> headers;       // extra request headers
  int timeout_seconds = 120;
};

// `token` "" sends no Authorization; a POST carries `body` with options.content_type (a PUT/PATCH/DELETE too, when
// `body` is not empty).
TestReply SendTestRequest(uint16_t port, const std::string& method, const std::string& path,
                          const std::string& token, const std::string& body = "",
                          const RequestOptions& options = RequestOptions());

}  // namespace zhiping::testing
