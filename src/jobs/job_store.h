// jobs/job_store.h — bulk jobs that outlive the process, and the instance, that runs them.
//
// Contract: every job is a row in the deployment's database (database/database.h: SQLite beside the archive by
// default, PostgreSQL when several instances share the work) with its body, its items' outcomes and its chunks:
// the items cut into runs of at most kChunkItems that workers of any instance claim. A claim is a lease
// (owner + lease_until, milliseconds since the epoch by the instance's clock: instances keep their clocks within
// a second of each other, NTP); the owner's heartbeat extends it, and a chunk whose lease ran out (its instance
// died) is claimed again by anyone. PostgreSQL claims with `FOR UPDATE SKIP LOCKED`, so workers of many instances
// never wait on each other's rows; SQLite is one process's file and needs no more than its write lock.
//
// Items are recorded once: an item's outcome (issued or failed) is a row keyed by (job, index), written with "do
// nothing if there", so a chunk worked again after a lease ran out records nothing twice — and the archive makes no
// second version of a letter issued again with the same body (issuing/issuer.h). A job's progress (done, failed)
// is counted from those rows, so every instance answers the same.
//
// States: queued (no chunk claimed yet) | running | done | interrupted (failed as a whole: its reason is the
// failure at index -1, or it is a job of an earlier version left unfinished, which is not resumed) | cancelled
// (DELETE /v1/jobs/{job}: no chunk is claimed again; items issued stay issued).
//
// Errors: the database being unreachable is zhiping::Error kUnavailable (the service answers 503 with
// Retry-After); callers retry later. Thread safety: every method may be called from any thread at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "jobs/bulk_letters.h"

namespace zhiping::database {
class Database;
}

namespace zhiping::jobs {

struct JobRecord {
  std::string id, state, user, created, message;
  std::string kind = "letters";  // jobs/bulk_kind.h's name
  bool ofd = false;              // each document issued with its sealed OFD too (?format=ofd)
  std::string callback_url;      // POSTed the job's final state (jobs/completion_webhook.h); "" none
  size_t done = 0, failed_count = 0, total = 0;
  std::vector<ItemFailed> failures;
};

// A claimed run of a job's items: [first, last).
struct ChunkClaim {
  std::string job;
  size_t first = 0, last = 0;
};

class JobStore {
 public:
  // Items per chunk: small enough that a dead instance's unfinished work is redone quickly and the instances
  // share a job evenly, large enough that claiming costs little next to issuing (a claim ~1 ms; 16 letters ~0.2 s).
  static constexpr size_t kChunkItems = 16;

  // The embedded default: SQLite at <state_dir>/jobs.sqlite (created with its folder).
  explicit JobStore(std::string state_dir);
  // On a database the caller opened (shared with the archive's index); `state_dir` is only read for the bodies
  // of jobs made before bodies moved into the database.
  JobStore(std::shared_ptr<database::Database> database, std::string state_dir);
  ~JobStore();

  // A new queued job with its body and chunks, in one transaction. Returns its id (32 hex characters).
  std::string Create(const std::string& user, const std::string& body_json, size_t total, const std::string& message,
                     const std::string& kind = "letters", bool ofd = false, const std::string& callback_url = "");

  // Claims the oldest unfinished job's next free chunk (never claimed, or its lease ran out) for `owner` until
  // now + lease_ms; the job becomes running. std::nullopt: nothing to do.
  std::optional<ChunkClaim> Claim(const std::string& owner, int64_t lease_ms);
  // Extends the leases of `chunks` that `owner` still holds to now + lease_ms. Returns how many. Only the chunks
  // its workers hold now: a chunk given up while the database was away must run out, not be kept alive.
  size_t Heartbeat(const std::string& owner, const std::vector<ChunkClaim>& chunks, int64_t lease_ms);
  // The items of [first, last) with a recorded outcome (a chunk worked again skips them).
  std::set<size_t> Recorded(const std::string& job, size_t first, size_t last) const;
  void AddIssued(const std::string& id, const ItemIssued& item);
  void AddFailure(const std::string& id, const ItemFailed& f);
  // The chunk is finished. True when it was the job's last: the job is now `done` (exactly one caller, on any
  // instance, gets true — it tells the job's callback).
  bool CompleteChunk(const ChunkClaim& chunk, const std::string& owner);
  // Gives `owner`'s chunk (or all its chunks) back unfinished, for another worker (stopping, or a pause).
  void Release(const ChunkClaim& chunk, const std::string& owner);
  void ReleaseAll(const std::string& owner);
  // The job failed as a whole: `interrupted`, with `reason` at index -1. False when it had already finished.
  bool Fail(const std::string& id, const std::string& reason);
  // DELETE /v1/jobs/{job}: an unfinished job becomes `cancelled`. False when it had already finished.
  bool Cancel(const std::string& id);
  // The states of `ids` (ids not found are left out): workers ask which of their jobs were cancelled.
  std::map<std::string, std::string> States(const std::vector<std::string>& ids) const;

  std::optional<JobRecord> Get(const std::string& id) const;
  // Jobs newest first, `limit` of them after skipping `offset` (their failures' details left out: failed_count
  // says how many), and how many there are in all.
  std::vector<JobRecord> List(size_t limit, size_t offset, size_t* total) const;
  std::vector<ItemIssued> Issued(const std::string& id) const;
  std::string Body(const std::string& id) const;
  // "" when the database answers a query now; otherwise why not (for GET /readyz).
  std::string Unreachable() const;
  std::map<std::string, size_t> CountByState() const;
  size_t CountUnfinished() const;  // queued + running, across every instance
  // Jobs of an earlier version found unfinished when the store opened (marked interrupted: they have no chunks).
  size_t interrupted_at_open() const { return interrupted_at_open_; }
  const database::Database& database() const { return *db_; }

  static bool IsValidJobId(const std::string& id);

 private:
  void OpenSchema();
  std::shared_ptr<database::Database> db_;
  std::string dir_;
  size_t interrupted_at_open_ = 0;
};

// Milliseconds since the epoch, the clock leases are written in.
int64_t NowMs();

}  // namespace zhiping::jobs
