#include "http_client.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <sstream>

#include "common/json.h"
#include "common/utf8.h"

namespace zhiping::testing {

TestReply SendTestRequest(uint16_t port, const std::string& method, const std::string& path,
                          const std::string& token, const std::string& body, const RequestOptions& options) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(options.timeout_seconds, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!token.empty()) request.set("Authorization", "Bearer " + token);
  for (const auto& [name, value] : options.headers) request.set(name, value);
  if (method == "POST" || !body.empty()) {
    request.setContentType(options.content_type);
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  }
  session.sendRequest(request).write(body.data(), static_cast<std::streamsize>(body.size()));
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  TestReply reply;
  reply.status = static_cast<int>(response.getStatus());
  reply.content_type = response.getContentType();
  for (const auto& [name, value] : response) reply.headers.add(name, value);
  std::ostringstream text;
  Poco::StreamCopier::copyStream(in, text);
  reply.body = text.str();
  return reply;
}

Poco::JSON::Object::Ptr ExpectProblem(int got_status, const std::string& content_type, const std::string& body,
                                      int status) {
  const std::string shown = body.substr(0, 2000);
  EXPECT_EQ(got_status, status) << shown;
  EXPECT_EQ(content_type, "application/problem+json") << shown;
  std::u32string ignored;
  EXPECT_TRUE(DecodeUtf8(body, &ignored)) << "the answer is not valid UTF-8";
  Poco::JSON::Object::Ptr p = ParseJson(body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(p->getValue<int>("status"), status) << shown;
  EXPECT_EQ(p->optValue<std::string>("type", "").rfind("urn:zhiping:problem:", 0), 0u) << shown;
  EXPECT_FALSE(p->optValue<std::string>("title", "").empty()) << shown;
  EXPECT_FALSE(p->optValue<std::string>("detail", "").empty()) << shown;
  return p;
}

}  // namespace zhiping::testing
