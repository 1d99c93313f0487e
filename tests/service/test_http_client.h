// tests/service/test_http_client.h — one request to a test server on 127.0.0.1: its status, content type and body.
// The HTTP tests that need only that share this; tests of the wire itself (slow clients, 100-continue, chunking)
// write their raw sockets by hand.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cstdint>
#include <sstream>
#include <string>

struct TestReply {
  int status = 0;
  std::string content_type;
  std::string body;
};

// `token` "" sends no Authorization; a POST carries `body` as application/json.
inline TestReply SendTestRequest(uint16_t port, const std::string& method, const std::string& path,
                                 const std::string& token, const std::string& body = "",
                                 int timeout_seconds = 120) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(timeout_seconds, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!token.empty()) request.set("Authorization", "Bearer " + token);
  if (method == "POST") {
    request.setContentType("application/json");
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  }
  session.sendRequest(request).write(body.data(), static_cast<std::streamsize>(body.size()));
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  std::ostringstream text;
  Poco::StreamCopier::copyStream(in, text);
  return {static_cast<int>(response.getStatus()), response.getContentType(), text.str()};
}
