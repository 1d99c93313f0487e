// jobs/completion_webhook.h — tells a job's submitter that it finished: a POST of the job's JSON to its
// callback_url, retried with exponential back-off, as Carbone and Gotenberg users expect.
//
//   POST <callback_url>
//   Content-Type: application/json
//   X-Zhiping-Job: <job id>
//   X-Zhiping-Attempt: <1, 2, …>
//
// A 2xx answer is delivered. Any other status, a connection error or a timeout (options.attempt_timeout, for the
// connect and for each read and write) is retried after first_delay × factor^(attempt-1), at most max_delay, each
// delay drawn ±20 % (jitter: after an outage, the retries of many jobs do not arrive together); after max_attempts
// the delivery is given up with a log line. Redirects are not followed (a 3xx is a failed attempt).
//
// Deliver() returns at once; `workers` threads make the attempts. A receiver that never answers holds one worker
// for at most attempt_timeout per attempt, and the others go on delivering to other URLs meanwhile; a waiting
// retry holds no thread at all. At most max_pending deliveries wait (queued or between attempts): one more drops
// the oldest waiting one, with a log line naming its job.
//
// Stop() (and the destructor) returns promptly: back-off waits are not waited out, attempts in flight finish
// (bounded by attempt_timeout), deliveries still waiting are dropped and counted in the log line. Deliveries are
// kept in memory only: a restart forgets them (the job's state stays readable with GET /v1/jobs/{job}).
//
// Thread safety: every member may be called from any thread.
//
// Which URLs: CheckCallbackUrl() refuses at submission what can never be delivered — anything but http:// and
// https://, no host, user info (user:password@ would be sent in clear, and logged), more than 2048 characters,
// spaces or control characters. Loopback and private addresses ARE allowed, deliberately: the offices' own systems
// that want the callback are on their intranet (docs/deploy.md). https:// receivers' certificates are verified
// (chain against options.ca_file or the system's store, and host name).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/problem.h"

namespace zhiping::jobs {

struct WebhookOptions {
  int max_attempts = 6;
  std::chrono::milliseconds first_delay{1000};  // before the 2nd attempt
  double factor = 2.0;
  std::chrono::milliseconds max_delay{60000};
  std::chrono::milliseconds attempt_timeout{10000};
  size_t max_pending = 1000;
  unsigned workers = 4;
  // PEM file of the CA certificates trusted for https:// receivers (an office's own CA); "": the system's store.
  std::string ca_file;
  // Where a delivery that fails for good, and a dropped one, is told (one line each, no trailing newline). Null:
  // stderr. Lines name the job and the URL's scheme, host and port, never its path or query (they may carry a key).
  std::function<void(const std::string&)> log;
};

class CompletionWebhook {
 public:
  explicit CompletionWebhook(WebhookOptions options = WebhookOptions());
  ~CompletionWebhook();  // Stop()
  CompletionWebhook(const CompletionWebhook&) = delete;
  CompletionWebhook& operator=(const CompletionWebhook&) = delete;

  // Queues a delivery; returns at once. `url` should have passed CheckCallbackUrl; one that cannot be parsed is
  // given up at its first attempt. After Stop(), does nothing.
  void Deliver(const std::string& url, const std::string& json_body, const std::string& job_id);
  void Stop();

  // Counters since construction: delivered, given up (max attempts reached or dropped), waiting now (queued, in
  // back-off or being attempted).
  uint64_t delivered() const;
  uint64_t failed() const;
  size_t pending() const;

  // Problems with a callback URL, each with `pointer` and a message of the catalog (common/message_catalog.h,
  // callback.*); empty when it may be used.
  static Problems CheckCallbackUrl(const std::string& url, const std::string& pointer = "/callback_url");
  static constexpr size_t kMaxUrlLength = 2048;

  struct State;  // opaque, shared with the worker threads

 private:
  std::shared_ptr<State> state_;
};

}  // namespace zhiping::jobs
