// jobs/job_runner.h — runs queued bulk jobs in the background, one job at a time, each over many threads.
//
// Contract: Submit records the job in the JobStore (state `queued`, body saved) and returns its id at once; the
// runner's own thread then runs the jobs in submission order through RunBulk (jobs/bulk_letters.h; the job's kind, jobs/bulk_kind.h), writing
// progress, failures and issued items to the store as they happen, and ends each job `done` or `interrupted`
// (stopped, or failed as a whole: the reason is then the job's last failure, at index -1).
//
// The queue is bounded: Submit throws zhiping::Error kUnavailable when one job runs and `max_queued` wait (the
// service answers 429 with Retry-After) instead of piling work up, and also once Stop has been called. Errors of
// the store while creating the job pass through Submit; errors while running a job never leave the runner's thread.
//
// Stop() (SIGTERM; also the destructor) lets the items in flight finish, marks the running and the queued jobs
// `interrupted`, and returns when the runner's thread has ended; the archive is never left with half a version.
//
// Thread safety: Submit, queue_depth and busy may be called from any thread at once (the service's handler
// threads), also while Stop runs; Stop is called by the owner, from one thread. Ownership: the runner keeps references to `store` and `issuer`, which must outlive it.
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
  // One job runs at a time; `max_queued` more may wait. `threads_per_job` 0: BulkOptions' default.
  JobRunner(JobStore& store, const issuing::Issuer& issuer, size_t max_queued, unsigned threads_per_job = 0);
  ~JobRunner();

  // `body_json` is the bulk body as received (kept in the store and parsed again when the job runs); `total` its
  // number of items, for progress. Returns the job id (JobStore::IsValidJobId).
  // `kind`: jobs/bulk_kind.h's name ("letters"); `ofd`: each document is issued with its sealed OFD too.
  std::string Submit(const std::string& user, const std::string& body_json, size_t total, const std::string& message,
                     const std::string& kind = "letters", bool ofd = false);
  void Stop();
  size_t queue_depth() const;                    // queued + running
  bool busy() const { return running_.load(); }  // a job is running now

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
