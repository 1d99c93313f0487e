// jobs/job_runner.h — runs queued bulk jobs in the background, one job at a time, each over many threads.
//
// The queue is bounded: Submit throws zhiping::Error kUnavailable when it is full (the service answers 429 with
// Retry-After) instead of piling work up. Stop() (SIGTERM) lets the items in flight finish, marks the running and
// the queued jobs `interrupted`, and returns; the archive is never left with half a version.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "jobs/job_store.h"

namespace zhiping::jobs {

class JobRunner {
 public:
  // One job runs at a time; `max_queued` more may wait.
  JobRunner(JobStore& store, const issuing::Issuer& issuer, size_t max_queued, unsigned threads_per_job = 0);
  ~JobRunner();

  std::string Submit(const std::string& user, const std::string& body_json, size_t total, const std::string& message);
  void Stop();
  size_t queue_depth() const;
  bool busy() const { return running_.load(); }

 private:
  void Loop();
  JobStore& store_;
  const issuing::Issuer& issuer_;
  const size_t max_queued_;
  const unsigned threads_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  std::atomic<bool> stop_{false}, running_{false};
  std::thread thread_;
};

}  // namespace zhiping::jobs
