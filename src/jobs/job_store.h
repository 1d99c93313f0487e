// jobs/job_store.h — bulk jobs that outlive the process that runs them.
//
// Contract: every job is a row in an SQLite database (Poco::Data) beside the archive (<state dir>/jobs.sqlite) with
// its body on disk (<state dir>/jobs/<id>/body.json); progress, failures and issued items are written as they
// happen. Opening the store marks every job that was queued or running as `interrupted`: a restart never forgets a
// job silently. States: queued | running | done | interrupted. A job has a kind (jobs/bulk_kind.h) and each issued
// item its archive object and path; a database from before kinds gains those columns when opened (its jobs are
// letters).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "jobs/bulk_letters.h"

namespace Poco::Data {
class Session;
}

namespace zhiping::jobs {

struct JobRecord {
  std::string id, state, user, created, message;
  std::string kind = "letters";  // jobs/bulk_kind.h's name
  bool ofd = false;              // each document issued with its sealed OFD too (?format=ofd)
  size_t done = 0, failed_count = 0, total = 0;
  std::vector<ItemFailed> failures;
};

class JobStore {
 public:
  explicit JobStore(std::string state_dir);  // creates it; marks unfinished jobs interrupted
  ~JobStore();

  // A new queued job whose body is saved on disk. Returns its id (32 hex characters).
  // `kind`: what the job issues (jobs/bulk_kind.h's name).
  // `ofd`: each document is issued with its sealed OFD too.
  std::string Create(const std::string& user, const std::string& body_json, size_t total, const std::string& message,
                     const std::string& kind = "letters", bool ofd = false);
  void SetState(const std::string& id, const std::string& state);
  void Progress(const std::string& id, size_t done, size_t failed);
  void AddFailure(const std::string& id, const ItemFailed& f);
  void AddIssued(const std::string& id, const ItemIssued& item);

  std::optional<JobRecord> Get(const std::string& id) const;
  // Jobs newest first, `limit` of them after skipping `offset` (their failures' details left out: failed_count
  // says how many), and how many there are in all.
  std::vector<JobRecord> List(size_t limit, size_t offset, size_t* total) const;
  std::vector<ItemIssued> Issued(const std::string& id) const;
  std::string Body(const std::string& id) const;
  // "" when the database answers a query now; otherwise why not (for GET /readyz).
  std::string Unreachable() const;
  std::map<std::string, size_t> CountByState() const;
  size_t interrupted_at_open() const { return interrupted_at_open_; }

  static bool IsValidJobId(const std::string& id);

 private:
  void AddColumnIfMissing(const std::string& table, const std::string& column, const std::string& type);
  std::string dir_;
  mutable std::mutex mu_;
  std::unique_ptr<Poco::Data::Session> db_;
  size_t interrupted_at_open_ = 0;
};

}  // namespace zhiping::jobs
