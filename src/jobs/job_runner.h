// jobs/job_runner.h — this instance's workers for the bulk jobs of every instance.
//
// Contract: Submit records the job in the JobStore (state `queued`, body and chunks in the database) and returns
// its id at once. This instance's `workers` threads, like those of every other instance on the same database,
// claim the oldest unfinished job's chunks (jobs/job_store.h) and issue their items one at a time through the
// Issuer (jobs/bulk_letters.h's IssueBulkItem), recording each item's outcome as it happens; a heartbeat thread
// extends this instance's leases and notices jobs cancelled by any instance. A job ends `done` when its last chunk
// is finished (on whichever instance finishes it), `interrupted` when it fails as a whole (its body cannot be
// read again: the reason is its failure at index -1), `cancelled` by Cancel.
//
// Pauses, not failures: an item that fails with kUnavailable (the database or the archive's disk, for a moment)
// is not recorded as failed — its chunk is given back and the worker waits (1 s, doubling to 30 s) before it
// claims again; an instance that cannot reach the database keeps its leases until they run out. No item is
// issued twice into the archive: a chunk worked again skips the items already recorded, and an item issued but
// not yet recorded when its instance died is issued again with the same body, which makes no new version.
//
// The queue is bounded: Submit throws zhiping::Error kUnavailable when `max_queued` + 1 jobs are unfinished
// across every instance (the service answers 429 with Retry-After), and once Stop has been called.
//
// Stop() (SIGTERM; also the destructor) lets the items in flight finish, gives this instance's chunks back (the
// job goes on: on another instance now, or here after a restart) and returns when the threads have ended; the
// archive is never left with half a version.
//
// Thread safety: Submit, Cancel, queue_depth, busy and ClaimLatencies may be called from any thread at once (the
// service's handler threads), also while Stop runs; Stop is called by the owner, from one thread. Ownership: the
// runner keeps references to `store` and `issuer`, which must outlive it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "jobs/job_store.h"

namespace zhiping::jobs {

// Submit's refusal when the queue is full (the service answers 429), told apart from the database being away
// (kUnavailable too, answered 503).
struct QueueFull : Error {
  using Error::Error;
};

struct JobRunnerOptions {
  size_t max_queued = 4;  // unfinished jobs beyond one that may wait
  unsigned workers = 0;   // items issued at once by this instance; 0: hardware threads × 2 (fsyncs wait on the disk)
  std::chrono::milliseconds lease{30000};  // a claim is another instance's after this without a heartbeat
  std::chrono::milliseconds poll{250};     // an idle worker asks the database for work this often
  std::string instance;                    // this instance's name (service.instance; "": the host name); its
                                           // leases carry it with the pid and random bits (instance())
  // Told each job that reached a final state here (done by its last chunk, interrupted, cancelled): the job's
  // callback. Called from a worker or handler thread; must not block.
  std::function<void(const JobRecord&)> on_finished;
  // One line for the log (a pause, a resumption); "" for stderr.
  std::function<void(const std::string&)> log;
};

class JobRunner {
 public:
  JobRunner(JobStore& store, const issuing::Issuer& issuer, JobRunnerOptions options);
  // The embedded default's shape: `max_queued` waiting jobs, `threads_per_job` workers (0: the default).
  JobRunner(JobStore& store, const issuing::Issuer& issuer, size_t max_queued, unsigned threads_per_job = 0);
  ~JobRunner();

  // `body_json` is the bulk body as received (kept in the database and parsed again by whichever instance runs
  // it); `total` its number of items. Returns the job id (JobStore::IsValidJobId).
  // `kind`: jobs/bulk_kind.h's name ("letters"); `ofd`: each document is issued with its sealed OFD too;
  // `callback_url`: told when the job ends (jobs/completion_webhook.h), "" none.
  std::string Submit(const std::string& user, const std::string& body_json, size_t total, const std::string& message,
                     const std::string& kind = "letters", bool ofd = false, const std::string& callback_url = "");
  // Cancels an unfinished job (on whichever instance works on it: its workers stop within a heartbeat). Returns
  // the job as it is now; std::nullopt for an unknown id.
  std::optional<JobRecord> Cancel(const std::string& id);
  void Stop();
  size_t queue_depth() const;  // queued + running jobs, across every instance
  bool busy() const { return active_.load() > 0; }  // a worker of this instance holds a chunk now
  const std::string& instance() const { return options_.instance; }
  // Seconds each claim of work took on this instance (the last 10,000), for the bench's p99.
  std::vector<double> ClaimLatencies() const;

 private:
  struct JobContext;
  void Work();
  void Beat();
  void RunChunk(const ChunkClaim& chunk);
  std::shared_ptr<const JobContext> Context(const std::string& job);
  void Forget(const std::string& job);
  bool Cancelled(const std::string& job) const;
  void Pause(const std::string& why);
  void Log(const std::string& line) const;
  void Finished(const std::string& job);

  JobStore& store_;
  const issuing::Issuer& issuer_;
  JobRunnerOptions options_;
  mutable std::mutex mu_;  // guards contexts_, cancelled_, latencies_, paused_
  std::condition_variable cv_;
  std::map<std::string, std::shared_ptr<const JobContext>> contexts_;
  // Jobs this instance works on → ended (cancelled or interrupted: refreshed by the heartbeat while false). A true
  // mark is kept after the job is forgotten, so a worker holding one of its chunks stops at its next item.
  std::map<std::string, bool> cancelled_;
  std::map<std::pair<std::string, size_t>, ChunkClaim> held_;  // chunks the workers hold now (the heartbeat's)
  std::vector<ChunkClaim> to_give_back_;   // given up while the database was away: released when it is back
  std::vector<double> latencies_;
  size_t latency_next_ = 0;
  bool paused_ = false;
  std::chrono::steady_clock::time_point resume_at_{};
  std::chrono::milliseconds pause_{0};
  std::atomic<bool> stop_{false};
  std::atomic<int> active_{0};
  std::vector<std::thread> workers_;
  std::thread heartbeat_;
};

}  // namespace zhiping::jobs
