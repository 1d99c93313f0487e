#include "jobs/completion_webhook.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <istream>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "common/messages.h"

namespace zhiping::jobs {

namespace {

using Clock = std::chrono::steady_clock;

struct Delivery {
  std::string url;
  std::string body;
  std::string job;
  int attempts = 0;  // made so far
  Clock::time_point due;
};

bool StartsWithNoCase(const std::string& s, const char* prefix) {
  const std::string p(prefix);
  return s.size() >= p.size() && Poco::icompare(s.substr(0, p.size()), p) == 0;
}

// scheme://host:port — what a log line may say of a URL (its path or query may hold the receiver's key).
std::string Origin(const std::string& url) {
  try {
    Poco::URI uri(url);
    return uri.getScheme() + "://" + uri.getHost() + ":" + std::to_string(uri.getPort());
  } catch (const Poco::Exception&) {
    return "(unparsable URL)";
  }
}

}  // namespace

struct CompletionWebhook::State {
  WebhookOptions options;
  std::mutex mu;
  std::condition_variable cv;
  std::map<uint64_t, Delivery> waiting;  // by arrival: begin() is the oldest
  uint64_t next_seq = 0;
  size_t in_flight = 0;
  bool stopping = false;
  std::mt19937 random{std::random_device{}()};
  std::atomic<uint64_t> delivered{0};
  std::atomic<uint64_t> failed{0};
  std::vector<std::thread> threads;
  Poco::Net::Context::Ptr tls;  // made at the first https:// attempt, shared by all

  explicit State(WebhookOptions o) : options(std::move(o)) {}

  void Log(const std::string& line) const {
    if (options.log) {
      options.log(line);
      return;
    }
    const std::string text = line + "\n";
    if (::write(STDERR_FILENO, text.data(), text.size()) < 0) {
      // Nothing left to tell it to.
    }
  }

  // The wait before attempt `attempts + 1`, with ±20 % jitter. Requires mu.
  Clock::duration Backoff(int attempts) {
    double ms = static_cast<double>(options.first_delay.count()) * std::pow(options.factor, attempts - 1);
    ms = std::min(ms, static_cast<double>(options.max_delay.count()));
    ms *= std::uniform_real_distribution<double>(0.8, 1.2)(random);
    return std::chrono::microseconds(static_cast<long long>(ms * 1000.0));
  }

  // Adds `d` as waiting under `seq`, first dropping the oldest waiting one when max_pending are pending. Requires mu.
  void Enqueue(uint64_t seq, Delivery d) {
    if (waiting.size() + in_flight >= options.max_pending && !waiting.empty()) {
      auto oldest = waiting.begin();
      ++failed;
      Log("webhook: job " + oldest->second.job + ": delivery to " + Origin(oldest->second.url) + " dropped, " +
          std::to_string(options.max_pending) + " deliveries are pending");
      waiting.erase(oldest);
    }
    waiting.emplace(seq, std::move(d));
    cv.notify_all();
  }

  Poco::Net::Context::Ptr TlsContext() {
    std::lock_guard<std::mutex> lock(mu);
    // As sign/tsa_client.cpp: verify the chain against the system's store and the host name (Poco checks it
    // after the handshake); not Poco's SSLManager, which is process-wide configuration.
    if (!tls) {
      tls = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", options.ca_file,
                                   Poco::Net::Context::VERIFY_RELAXED, 9, /*loadDefaultCAs=*/options.ca_file.empty());
    }
    return tls;
  }

  // One POST. Returns "" when delivered, else why not ("HTTP 500", "Timeout", "Connection refused").
  std::string Attempt(const Delivery& d, int attempt) {
    try {
      Poco::URI uri(d.url);
      std::unique_ptr<Poco::Net::HTTPClientSession> session;
      if (Poco::icompare(uri.getScheme(), "https") == 0) {
        session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), TlsContext());
      } else {
        session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
      }
      const Poco::Timespan timeout(std::chrono::duration_cast<std::chrono::microseconds>(options.attempt_timeout).count());
      session->setTimeout(timeout, timeout, timeout);
      session->setKeepAlive(false);
      std::string target = uri.getPathEtc();
      if (target.empty() || target[0] != '/') target = "/" + target;
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, target, Poco::Net::HTTPMessage::HTTP_1_1);
      request.setContentType("application/json");
      request.setContentLength64(static_cast<Poco::Int64>(d.body.size()));
      request.set("X-Zhiping-Job", d.job);
      request.set("X-Zhiping-Attempt", std::to_string(attempt));
      request.set("User-Agent", std::string("zhiping/") + ZHIPING_VERSION);
      session->sendRequest(request).write(d.body.data(), static_cast<std::streamsize>(d.body.size()));
      Poco::Net::HTTPResponse response;
      std::istream& in = session->receiveResponse(response);
      // Read a little of the answer (a receiver may wait for us to), never all of an endless one.
      char sink[4096];
      for (int i = 0; i < 16 && in.read(sink, sizeof sink); ++i) {
      }
      const int status = static_cast<int>(response.getStatus());
      if (status >= 200 && status < 300) return "";
      return "HTTP " + std::to_string(status);
    } catch (const Poco::Exception& e) {
      return e.displayText();
    } catch (const std::exception& e) {
      return e.what();
    }
  }

  void Work() {
    std::unique_lock<std::mutex> lock(mu);
    while (!stopping) {
      auto next = waiting.end();
      for (auto it = waiting.begin(); it != waiting.end(); ++it) {
        if (next == waiting.end() || it->second.due < next->second.due) next = it;
      }
      if (next == waiting.end()) {
        cv.wait(lock);
        continue;
      }
      if (next->second.due > Clock::now()) {
        // A copy: while we wait, another worker may take this delivery and free its node.
        const Clock::time_point due = next->second.due;
        cv.wait_until(lock, due);  // a new, earlier delivery or Stop() wakes us sooner
        continue;
      }
      const uint64_t seq = next->first;
      Delivery d = std::move(next->second);
      waiting.erase(next);
      ++in_flight;
      lock.unlock();
      const std::string why = Attempt(d, d.attempts + 1);
      lock.lock();
      --in_flight;
      ++d.attempts;
      if (why.empty()) {
        ++delivered;
      } else if (d.attempts >= options.max_attempts || stopping) {
        ++failed;
        Log("webhook: job " + d.job + ": delivery to " + Origin(d.url) + " given up after " +
            std::to_string(d.attempts) + " attempt(s): " + why);
      } else {
        d.due = Clock::now() + Backoff(d.attempts);
        Enqueue(seq, std::move(d));
      }
    }
  }
};

CompletionWebhook::CompletionWebhook(WebhookOptions options) : state_(std::make_shared<State>(std::move(options))) {
  State& s = *state_;
  s.options.max_attempts = std::max(1, s.options.max_attempts);
  s.options.max_pending = std::max<size_t>(1, s.options.max_pending);
  const unsigned workers = std::max(1u, s.options.workers);
  for (unsigned i = 0; i < workers; ++i) s.threads.emplace_back([state = state_] { state->Work(); });
}

CompletionWebhook::~CompletionWebhook() { Stop(); }

void CompletionWebhook::Deliver(const std::string& url, const std::string& json_body, const std::string& job_id) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (state_->stopping) return;
  Delivery d{url, json_body, job_id, 0, Clock::now()};
  state_->Enqueue(state_->next_seq++, std::move(d));
}

void CompletionWebhook::Stop() {
  std::vector<std::thread> threads;
  size_t dropped = 0;
  std::string jobs;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->stopping && state_->threads.empty()) return;
    state_->stopping = true;
    dropped = state_->waiting.size();
    // Name the first few jobs; a line stays a line even with max_pending deliveries waiting.
    constexpr size_t kNamed = 10;
    size_t named = 0;
    for (auto it = state_->waiting.begin(); it != state_->waiting.end() && named < kNamed; ++it, ++named) {
      jobs += (jobs.empty() ? "" : " ") + it->second.job;
    }
    if (dropped > named) jobs += " and " + std::to_string(dropped - named) + " more";
    state_->waiting.clear();
    state_->failed += dropped;
    threads.swap(state_->threads);
    state_->cv.notify_all();
  }
  for (auto& t : threads) t.join();
  if (dropped > 0) {
    state_->Log("webhook: stopping; " + std::to_string(dropped) + " delivery(ies) not made, jobs: " + jobs);
  }
}

uint64_t CompletionWebhook::delivered() const { return state_->delivered.load(); }
uint64_t CompletionWebhook::failed() const { return state_->failed.load(); }
size_t CompletionWebhook::pending() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->waiting.size() + state_->in_flight;
}

Problems CompletionWebhook::CheckCallbackUrl(const std::string& url, const std::string& pointer) {
  Problems problems;
  auto refuse = [&](const Message& m) {
    problems.push_back(MakeProblem(pointer, m));
    return problems;
  };
  if (url.size() > kMaxUrlLength) return refuse(Message(Msg::kCallbackTooLong, {kMaxUrlLength, url.size()}));
  for (unsigned char c : url) {
    if (c <= 0x20 || c >= 0x7f) return refuse(Message(Msg::kCallbackCharacters));
  }
  if (!StartsWithNoCase(url, "http://") && !StartsWithNoCase(url, "https://")) {
    return refuse(Message(Msg::kCallbackScheme));
  }
  // Poco takes "user@host" apart from the host; a bare '@' anywhere before the path is user info too.
  const size_t authority = url.find("//") + 2;
  const size_t authority_end = url.find_first_of("/?#", authority);
  if (url.substr(authority, authority_end - authority).find('@') != std::string::npos) {
    return refuse(Message(Msg::kCallbackUserInfo));
  }
  try {
    Poco::URI uri(url);
    if (uri.getHost().empty()) return refuse(Message(Msg::kCallbackHost));
  } catch (const Poco::Exception& e) {
    return refuse(Message(Msg::kCallbackMalformed, {e.displayText()}));
  }
  return problems;
}

}  // namespace zhiping::jobs
