// The completion webhook (jobs/completion_webhook.h) against real receivers on 127.0.0.1: a Poco HTTP server that
// answers as scripted, a socket that listens and never answers, a port nobody listens on. Delays in the options are
// tiny so that retries take milliseconds; every wait is for a condition, with bounds generous for a loaded machine.
#include <gtest/gtest.h>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "jobs/completion_webhook.h"
#include "support/run_command.h"
#include "support/webhook_receiver.h"
#include "support/temp_dir.h"

namespace zhiping::jobs {
namespace {

using Clock = std::chrono::steady_clock;

// Polls `condition` every 5 ms for up to 30 s.
bool WaitUntil(const std::function<bool()>& condition) {
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (!condition()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

using testing::Received;
using testing::WebhookReceiver;

// Collects the webhook's log lines.
struct LogLines {
  std::mutex mu;
  std::vector<std::string> lines;
  std::function<void(const std::string&)> Sink() {
    return [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(mu);
      lines.push_back(line);
    };
  }
  std::string All() {
    std::lock_guard<std::mutex> lock(mu);
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
  }
};

WebhookOptions Quick(LogLines* log) {
  WebhookOptions o;
  o.first_delay = std::chrono::milliseconds(20);
  o.max_delay = std::chrono::milliseconds(200);
  o.attempt_timeout = std::chrono::seconds(10);
  o.log = log->Sink();
  return o;
}

// A port nothing listens on: bound for a moment, then closed.
uint16_t RefusedPort() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  uint16_t port = socket.address().port();
  socket.close();
  return port;
}

TEST(jobs_CompletionWebhook, RetriesServerErrorsWithBackoffAndDeliversOnTheThirdAttempt) {
  WebhookReceiver receiver({500, 500, 204});
  LogLines log;
  CompletionWebhook webhook(Quick(&log));
  const std::string body = R"({"job":"j-1","state":"done","done":3})";
  const Clock::time_point submitted = Clock::now();
  webhook.Deliver(receiver.url(), body, "j-1");
  EXPECT_LT(Clock::now() - submitted, std::chrono::milliseconds(500));  // returns at once
  ASSERT_TRUE(WaitUntil([&] { return webhook.delivered() == 1; })) << log.All();
  EXPECT_EQ(webhook.failed(), 0u);
  EXPECT_TRUE(WaitUntil([&] { return webhook.pending() == 0; }));
  const std::vector<Received> got = receiver.received();
  ASSERT_EQ(got.size(), 3u);
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].job, "j-1");
    EXPECT_EQ(got[i].attempt, std::to_string(i + 1));
    EXPECT_EQ(got[i].content_type, "application/json");
    EXPECT_EQ(got[i].body, body);
  }
  // Back-off: 20 ms, then 40 ms, each at least 80 % of it (the jitter's floor).
  EXPECT_GE(got[1].at - got[0].at, std::chrono::milliseconds(16));
  EXPECT_GE(got[2].at - got[1].at, std::chrono::milliseconds(32));
  EXPECT_EQ(log.All(), "");
}

TEST(jobs_CompletionWebhook, ASilentReceiverTimesOutWhileAnotherURLIsDelivered) {
  // Listens (the kernel accepts the connection) but never reads or answers.
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  const std::string silent_url = "http://127.0.0.1:" + std::to_string(silent.address().port()) + "/hook";
  WebhookReceiver good({200});
  LogLines log;
  WebhookOptions o = Quick(&log);
  o.attempt_timeout = std::chrono::milliseconds(1500);
  o.max_attempts = 2;
  CompletionWebhook webhook(o);
  webhook.Deliver(silent_url, "{}", "slow-job");
  webhook.Deliver(good.url(), "{}", "quick-job");
  ASSERT_TRUE(WaitUntil([&] { return webhook.delivered() == 1; }));
  // Delivered while the silent receiver's first attempt was still waiting for its answer.
  EXPECT_EQ(webhook.failed(), 0u);
  EXPECT_EQ(good.received().size(), 1u);
  ASSERT_TRUE(WaitUntil([&] { return webhook.failed() == 1; })) << log.All();
  const std::string lines = log.All();
  EXPECT_NE(lines.find("job slow-job"), std::string::npos) << lines;
  EXPECT_NE(lines.find("given up after 2 attempt(s)"), std::string::npos) << lines;
  EXPECT_NE(lines.find("imeout"), std::string::npos) << lines;  // Poco: "Timeout"
  EXPECT_EQ(lines.find("/hook"), std::string::npos) << lines;   // the log names the origin only
}

TEST(jobs_CompletionWebhook, ARefusedPortIsGivenUpAfterMaxAttempts) {
  LogLines log;
  WebhookOptions o = Quick(&log);
  o.max_attempts = 4;
  o.first_delay = std::chrono::milliseconds(5);
  CompletionWebhook webhook(o);
  webhook.Deliver("http://127.0.0.1:" + std::to_string(RefusedPort()) + "/x", "{}", "j-refused");
  ASSERT_TRUE(WaitUntil([&] { return webhook.failed() == 1; })) << log.All();
  EXPECT_EQ(webhook.delivered(), 0u);
  EXPECT_EQ(webhook.pending(), 0u);
  const std::string lines = log.All();
  EXPECT_NE(lines.find("job j-refused"), std::string::npos) << lines;
  EXPECT_NE(lines.find("given up after 4 attempt(s)"), std::string::npos) << lines;
}

TEST(jobs_CompletionWebhook, StopDuringBackoffReturnsAtOnce) {
  WebhookReceiver failing({503});
  LogLines log;
  WebhookOptions o = Quick(&log);
  o.first_delay = std::chrono::seconds(60);
  o.max_delay = std::chrono::seconds(60);
  CompletionWebhook webhook(o);
  webhook.Deliver(failing.url(), "{}", "j-waiting");
  ASSERT_TRUE(WaitUntil([&] { return failing.received().size() == 1; }));
  for (int i = 0; i < 12; ++i) webhook.Deliver(failing.url(), "{}", "j" + std::to_string(i));
  ASSERT_TRUE(WaitUntil([&] { return failing.received().size() == 13; }));
  ASSERT_TRUE(WaitUntil([&] { return webhook.pending() == 13; }));  // every one now in its 60 s back-off
  const Clock::time_point before = Clock::now();
  webhook.Stop();
  EXPECT_LT(Clock::now() - before, std::chrono::seconds(2));
  EXPECT_EQ(webhook.failed(), 13u);
  EXPECT_EQ(webhook.pending(), 0u);
  // One line, naming the first ten in the order they came.
  EXPECT_EQ(log.All(), "webhook: stopping; 13 delivery(ies) not made, jobs: j-waiting j0 j1 j2 j3 j4 j5 j6 j7 j8 "
                       "and 3 more\n");
  webhook.Deliver(failing.url(), "{}", "after-stop");  // ignored
  EXPECT_EQ(webhook.pending(), 0u);
  EXPECT_EQ(failing.received().size(), 13u);
}

TEST(jobs_CompletionWebhook, BeyondMaxPendingTheOldestWaitingIsDropped) {
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  const std::string silent_url = "http://127.0.0.1:" + std::to_string(silent.address().port()) + "/";
  LogLines log;
  WebhookOptions o = Quick(&log);
  o.workers = 1;
  o.max_pending = 2;
  o.attempt_timeout = std::chrono::seconds(20);  // a stays in flight however slow this machine is
  o.first_delay = std::chrono::seconds(60);
  CompletionWebhook webhook(o);
  webhook.Deliver(silent_url, "{}", "a");
  // Its attempt is in flight once its connection arrives; the only worker is then busy with it.
  silent.setReceiveTimeout(Poco::Timespan(30, 0));
  Poco::Net::StreamSocket a_connection = silent.acceptConnection();
  webhook.Deliver(silent_url, "{}", "b");
  webhook.Deliver(silent_url, "{}", "c");  // a in flight + b waiting = 2 pending: b, the oldest waiting, goes
  EXPECT_EQ(webhook.pending(), 2u);
  EXPECT_EQ(webhook.failed(), 1u);
  EXPECT_NE(log.All().find("job b: delivery to http://127.0.0.1:"), std::string::npos) << log.All();
  EXPECT_NE(log.All().find("dropped, 2 deliveries are pending"), std::string::npos) << log.All();
  // Ending a's connection ends its attempt; whether Stop() then finds it in flight (given up) or in its 60 s
  // back-off (dropped), it returns at once and every delivery is accounted for.
  a_connection.close();
  const Clock::time_point before = Clock::now();
  webhook.Stop();
  EXPECT_LT(Clock::now() - before, std::chrono::seconds(10));
  EXPECT_EQ(webhook.failed(), 3u);
  EXPECT_EQ(webhook.pending(), 0u);
}

// https:// receivers: delivered when their certificate chains to options.ca_file and names the host; refused
// (given up, the reason logged) against the system's store, which does not know this self-signed certificate.
TEST(jobs_CompletionWebhook, HttpsReceiversAreVerified) {
  const std::string dir = testing::FreshDir("webhook_tls");
  testing::CommandResult made = testing::RunCommand(
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost "
      "-keyout " + dir + "/key.pem -out " + dir + "/cert.pem");
  ASSERT_EQ(made.exit_code, 0) << made.output();
  WebhookReceiver receiver({200}, dir + "/key.pem", dir + "/cert.pem");
  LogLines log;
  WebhookOptions trusting = Quick(&log);
  trusting.ca_file = dir + "/cert.pem";
  CompletionWebhook webhook(trusting);
  webhook.Deliver(receiver.url(), R"({"job":"tls"})", "tls-job");
  ASSERT_TRUE(WaitUntil([&] { return webhook.delivered() == 1 || webhook.failed() == 1; }));
  EXPECT_EQ(webhook.delivered(), 1u) << log.All();
  ASSERT_EQ(receiver.received().size(), 1u);
  EXPECT_EQ(receiver.received()[0].body, R"({"job":"tls"})");

  LogLines refused_log;
  WebhookOptions system_store = Quick(&refused_log);
  system_store.max_attempts = 2;
  CompletionWebhook refusing(system_store);
  refusing.Deliver(receiver.url(), "{}", "untrusted-job");
  ASSERT_TRUE(WaitUntil([&] { return refusing.failed() == 1; }));
  EXPECT_EQ(refusing.delivered(), 0u);
  EXPECT_EQ(receiver.received().size(), 1u);  // the request never got past the handshake
  EXPECT_NE(refused_log.All().find("given up after 2 attempt(s)"), std::string::npos) << refused_log.All();
  EXPECT_NE(refused_log.All().find("certificate"), std::string::npos) << refused_log.All();
}

TEST(jobs_CompletionWebhook, CheckCallbackUrlAcceptsHttpAndHttpsOnly) {
  for (const char* good : {"http://127.0.0.1:8080/hook", "https://oa.example.gov.cn/zhiping/done?key=abc",
                           "HTTPS://intranet/x", "http://10.1.2.3/", "http://[::1]:9000/cb", "http://host"}) {
    EXPECT_TRUE(CompletionWebhook::CheckCallbackUrl(good).empty()) << good;
  }
  auto code = [](const std::string& url) {
    Problems p = CompletionWebhook::CheckCallbackUrl(url);
    EXPECT_EQ(p.size(), 1u) << url;
    if (p.empty()) return std::string();
    EXPECT_EQ(p[0].pointer, "/callback_url");
    return std::string(ProblemCode(p[0]));
  };
  EXPECT_EQ(code("ftp://host/x"), "callback.scheme");
  EXPECT_EQ(code("file:///etc/passwd"), "callback.scheme");
  EXPECT_EQ(code("javascript:alert(1)"), "callback.scheme");
  EXPECT_EQ(code("host/x"), "callback.scheme");
  EXPECT_EQ(code(""), "callback.scheme");
  EXPECT_EQ(code("http:///path"), "callback.host");
  EXPECT_EQ(code("http://user:secret@host/x"), "callback.user-info");
  EXPECT_EQ(code("http://user@host/x"), "callback.user-info");
  EXPECT_EQ(code("http://host/a b"), "callback.characters");
  EXPECT_EQ(code("http://host/\x01"), "callback.characters");
  EXPECT_EQ(code("http://h\xc3\xa9.cn/"), "callback.characters");
  EXPECT_EQ(code("http://host:99999/"), "callback.malformed");
  EXPECT_EQ(code("http://host/" + std::string(2048, 'a')), "callback.too-long");
  EXPECT_TRUE(CompletionWebhook::CheckCallbackUrl("http://h/" + std::string(2048 - 9, 'a')).empty());
  Problems p = CompletionWebhook::CheckCallbackUrl("ftp://x", "/options/callback");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].pointer, "/options/callback");
  EXPECT_EQ(p[0].rule, "must be an http:// or https:// URL");
  EXPECT_EQ(RuleText(p[0], Lang::kZh), "回调地址必须以 http:// 或 https:// 开头");
}

}  // namespace
}  // namespace zhiping::jobs
