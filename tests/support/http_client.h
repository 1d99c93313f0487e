// tests/support/http_client.h — one request to a test server on 127.0.0.1: its status, content type, headers and
// body. The HTTP tests that need only that share this; tests of the wire itself (slow clients, 100-continue,
// chunking, Host headers) write their requests or raw sockets by hand. Throws what Poco throws on network errors.
#pragma once

#include <Poco/JSON/Object.h>
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

// Checks (gtest EXPECTs) the RFC 9457 shape every error answer of the service shares — the status, content type
// application/problem+json, valid UTF-8, "status" equal to it, a "type" urn:zhiping:problem:…, a "title" and a
// "detail" — and returns the parsed document (throws when the body is not a JSON object).
Poco::JSON::Object::Ptr ExpectProblem(int got_status, const std::string& content_type, const std::string& body,
                                      int status);
inline Poco::JSON::Object::Ptr ExpectProblem(const TestReply& reply, int status) {
  return ExpectProblem(reply.status, reply.content_type, reply.body, status);
}

}  // namespace zhiping::testing
