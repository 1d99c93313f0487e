// The service's log (service/service_log.h): the text line as it always was, the JSON line's fields, escaping of
// hostile paths (ID numbers masked, quotes, control characters, invalid UTF-8 — still one valid JSON line), the
// RFC 3339 time at the configured offset, and the whole service on loopback writing JSON lines to a LogSink.
#include <gtest/gtest.h>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timestamp.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/json.h"
#include "common/utf8.h"
#include "service/config.h"
#include "service/request_log.h"
#include "service/service_log.h"
#include "support/http_client.h"
#include "support/loopback_service.h"

namespace zhiping::service {
namespace {

// Keeps every line; a test waits until enough have come (the request line is written after the answer is out).
class MemorySink : public LogSink {
 public:
  void WriteLine(const std::string& line) override {
    std::lock_guard<std::mutex> lock(mu_);
    lines_.push_back(line);
    cv_.notify_all();
  }
  // Every line once there are at least `n` (or after 30 s, whatever came).
  std::vector<std::string> WaitFor(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(30), [&] { return lines_.size() >= n; });
    return lines_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
};

// A line must be strict JSON (the project's scanner: no raw control characters, valid UTF-8) and one object.
Poco::JSON::Object::Ptr ParseLine(const std::string& line) {
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  std::u32string decoded;
  EXPECT_TRUE(DecodeUtf8(line, &decoded)) << line;
  CheckJsonSyntax(line);
  Poco::Dynamic::Var v = ParseJson(line);
  Poco::JSON::Object::Ptr o = v.extract<Poco::JSON::Object::Ptr>();
  EXPECT_TRUE(o) << line;
  return o;
}

const char kHostilePath[] = "/v1/applicants/110101199003070012/\"q\"\\\x01\x1f\x7f\xff\xc3(\xe4\xb8/\xe5\xbc\xa0";

TEST(service_ServiceLog, TextLineIsTheRequestLineAsBefore) {
  ServiceLog log;  // text by default
  RequestLogEntry e{"POST", "/v1/render/notice", 200, 153, "ops", "rid1", 4321};
  std::string line = log.RequestLine(e);
  EXPECT_TRUE(std::regex_match(line, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ POST /v1/render/notice 200 153ms token=ops rid=rid1)")))
      << line;
  EXPECT_EQ(log.EventLine(LogLevel::kInfo, "archive: /srv/a", {{"x", "y"}}), "archive: /srv/a");
}

TEST(service_ServiceLog, JsonLineHasEveryFieldAndEscapesAnyPath) {
  ServiceLog log(LogOptions{LogFormat::kJson, "zp-a", 8 * 60});
  RequestLogEntry e{"GET", kHostilePath, 404, 7, "ops", "abc123", 212};
  const std::string line = log.RequestLine(e);
  Poco::JSON::Object::Ptr o = ParseLine(line);
  EXPECT_EQ(o->getValue<std::string>("level"), "info");
  EXPECT_EQ(o->getValue<std::string>("instance"), "zp-a");
  EXPECT_EQ(o->getValue<std::string>("rid"), "abc123");
  EXPECT_EQ(o->getValue<std::string>("method"), "GET");
  EXPECT_EQ(o->getValue<int>("status"), 404);
  EXPECT_EQ(o->getValue<long>("ms"), 7);
  EXPECT_EQ(o->getValue<std::string>("token"), "ops");
  EXPECT_EQ(o->getValue<long>("bytes"), 212);
  const std::string path = o->getValue<std::string>("path");
  // The ID number masked as MaskIdNumbers does; quotes, backslash and controls kept; each bad byte one U+FFFD.
  EXPECT_EQ(path, ValidUtf8(MaskIdNumbers(kHostilePath)));
  EXPECT_EQ(path.find("199003070012"), std::string::npos) << path;
  EXPECT_NE(path.find("110101**********12"), std::string::npos) << path;
  EXPECT_NE(path.find("\"q\"\\\x01\x1f\x7f\xEF\xBF\xBD\xEF\xBF\xBD("), std::string::npos) << path;
  EXPECT_NE(path.find("/\xe5\xbc\xa0"), std::string::npos) << path;  // 张, valid, passes as it is

  // No token and no size: left out. A 5xx is a warning.
  Poco::JSON::Object::Ptr bare = ParseLine(log.RequestLine({"GET", "/healthz", 503, 1, "", "r", -1}));
  EXPECT_FALSE(bare->has("token"));
  EXPECT_FALSE(bare->has("bytes"));
  EXPECT_EQ(bare->getValue<std::string>("level"), "warn");

  Poco::JSON::Object::Ptr event =
      ParseLine(log.EventLine(LogLevel::kError, "error: bad \xff\n byte", {{"rid", "r\"1"}}));
  EXPECT_EQ(event->getValue<std::string>("level"), "error");
  EXPECT_EQ(event->getValue<std::string>("msg"), "error: bad \xEF\xBF\xBD\n byte");
  EXPECT_EQ(event->getValue<std::string>("rid"), "r\"1");
}

TEST(service_ServiceLog, TimeIsRfc3339AtTheConfiguredOffset) {
  for (const auto& [offset, text] : std::vector<std::pair<int, std::string>>{{480, "+08:00"}, {-330, "-05:30"},
                                                                             {0, "+00:00"}}) {
    ServiceLog log(LogOptions{LogFormat::kJson, "", offset});
    Poco::JSON::Object::Ptr o = ParseLine(log.EventLine(LogLevel::kInfo, "x"));
    EXPECT_FALSE(o->has("instance"));
    const std::string time = o->getValue<std::string>("time");
    ASSERT_TRUE(std::regex_match(time, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d)"))) << time;
    EXPECT_EQ(time.substr(23), text);
    // The instant it names is now, whatever the offset.
    int tzd = 0;
    Poco::DateTime parsed = Poco::DateTimeParser::parse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, time, tzd);
    parsed.makeUTC(tzd);
    const double seconds_off = static_cast<double>(Poco::Timestamp() - parsed.timestamp()) / 1e6;
    EXPECT_LT(std::abs(seconds_off), 120.0) << time;
  }
}

TEST(service_ServiceLog, ParsesUtcOffsets) {
  int m = 0;
  EXPECT_TRUE(ParseUtcOffset("+08:00", &m));
  EXPECT_EQ(m, 480);
  EXPECT_TRUE(ParseUtcOffset("-05:30", &m));
  EXPECT_EQ(m, -330);
  EXPECT_TRUE(ParseUtcOffset("Z", &m));
  EXPECT_EQ(m, 0);
  for (const char* bad : {"", "8", "+8:00", "+08", "+0800", "+15:00", "+08:60", "UTC+8", " +08:00"}) {
    EXPECT_FALSE(ParseUtcOffset(bad, &m)) << bad;
  }
}

TEST(service_ServiceLog, LogLineStreamPassesTextUntilAttachedThenWritesEvents) {
  std::ostringstream fallback;
  auto sink = std::make_shared<MemorySink>();
  {
    LogLineStream stream(fallback);
    stream << "zhiping serve: first\n";
    stream.Attach(ServiceLog(LogOptions{LogFormat::kJson, "i", 480}, sink), LogLevel::kError);
    stream << "zhiping serve: cannot listen\nand a partial";
  }
  EXPECT_EQ(fallback.str(), "zhiping serve: first\n");
  const std::vector<std::string> lines = sink->WaitFor(2);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(ParseLine(lines[0])->getValue<std::string>("msg"), "zhiping serve: cannot listen");
  EXPECT_EQ(ParseLine(lines[0])->getValue<std::string>("level"), "error");
  EXPECT_EQ(ParseLine(lines[1])->getValue<std::string>("msg"), "and a partial");
}

// Sends `raw` as the whole request on a fresh connection and returns what came back.
std::string SendRaw(uint16_t port, const std::string& raw) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  socket.setReceiveTimeout(Poco::Timespan(30, 0));
  socket.sendBytes(raw.data(), static_cast<int>(raw.size()));
  std::string answer;
  char buffer[4096];
  for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) answer.append(buffer, static_cast<size_t>(n));
  return answer;
}

TEST(service_ServiceLog, LoopbackServiceWritesOneJsonObjectPerRequest) {
  auto sink = std::make_shared<MemorySink>();
  testing::LoopbackServiceOptions options;
  options.scratch_name = "service_log";
  options.jobs = false;
  options.service = [&](ServiceConfig& c) {
    c.log_format = LogFormat::kJson;
    c.instance = "zp-test-1";
    c.log_sink = sink;
    c.tokens.push_back(TokenEntry{"clerk", TokenDigest("secret-token-value"), kAllRoles});
  };
  testing::LoopbackService service(options);

  testing::RequestOptions with_id;
  with_id.headers["X-Request-Id"] = "trace-42";
  testing::TestReply health = testing::SendTestRequest(service.port(), "GET", "/healthz", "", "", with_id);
  ASSERT_EQ(health.status, 200);
  testing::TestReply templates = testing::SendTestRequest(service.port(), "GET", "/v1/templates", "secret-token-value");
  ASSERT_EQ(templates.status, 200);
  testing::TestReply missing = testing::SendTestRequest(service.port(), "GET", "/no/320106198001011234", "");
  ASSERT_EQ(missing.status, 404);
  const std::string hostile = SendRaw(service.port(), std::string("GET ") + kHostilePath +
                                                          " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(hostile.rfind("HTTP/1.1 ", 0), 0u) << hostile;

  const std::vector<std::string> lines = sink->WaitFor(4);
  ASSERT_GE(lines.size(), 4u);
  std::vector<Poco::JSON::Object::Ptr> requests;
  for (const std::string& line : lines) {
    Poco::JSON::Object::Ptr o = ParseLine(line);
    EXPECT_EQ(o->getValue<std::string>("instance"), "zp-test-1") << line;
    EXPECT_TRUE(o->has("time") && o->has("level")) << line;
    EXPECT_EQ(line.find("secret-token-value"), std::string::npos) << line;
    if (o->has("method")) requests.push_back(o);
  }
  ASSERT_EQ(requests.size(), 4u);
  // A line is written once its answer has gone out, so the next request (sent when the answer arrived) may be
  // logged first: each line is found by what it is, not by its place.
  auto logged = [&](const std::string& path_prefix) -> Poco::JSON::Object::Ptr {
    for (const auto& o : requests)
      if (o->getValue<std::string>("path").rfind(path_prefix, 0) == 0) return o;
    ADD_FAILURE() << "no line for " << path_prefix;
    return new Poco::JSON::Object;
  };
  Poco::JSON::Object::Ptr first = logged("/healthz"), second = logged("/v1/templates"), third = logged("/no/"),
                          fourth = logged("/v1/applicants/");
  EXPECT_EQ(first->getValue<std::string>("rid"), "trace-42");
  EXPECT_EQ(first->getValue<int>("status"), 200);
  EXPECT_EQ(first->getValue<long>("bytes"), static_cast<long>(health.body.size()));
  EXPECT_FALSE(first->has("token"));
  EXPECT_EQ(second->getValue<std::string>("token"), "clerk");
  EXPECT_EQ(second->getValue<std::string>("rid"), templates.headers.get("X-Request-Id"));
  EXPECT_EQ(third->getValue<std::string>("path"), "/no/320106**********34");
  EXPECT_EQ(third->getValue<int>("status"), 404);
  // Poco's request reader drops a 0xFF byte of the target, so the path is checked piece by piece here.
  const std::string path = fourth->getValue<std::string>("path");
  EXPECT_EQ(path.rfind("/v1/applicants/110101**********12/\"q\"\\\x01\x1f\x7f", 0), 0u) << path;
  EXPECT_NE(path.find("\xEF\xBF\xBD("), std::string::npos) << path;
  EXPECT_EQ(path.substr(path.size() - 4), "/\xe5\xbc\xa0") << path;
  for (const auto& o : requests) {
    EXPECT_EQ(o->getValue<std::string>("level"), "info");
    EXPECT_EQ(o->getValue<std::string>("time").substr(23), "+08:00");
    EXPECT_GE(o->getValue<long>("ms"), 0);
  }
}

}  // namespace
}  // namespace zhiping::service
