// archive/database_object_locks.h — the archive's per-object locks and object index on the deployment's database
// (database/database.h), and the StoreOptions that use them.
//
// These live with the archive, not under src/database: the tables (archive_objects, archive_versions,
// archive_files) and the lock's key are the archive's business, and src/database stays the engine alone, shared by
// the job queue that knows nothing of them. src/archive itself (archive.h, store.cpp) still knows nothing of SQL:
// it sees only object_lock.h and object_index.h.
//
// Locks: PostgreSQL only. A commit holds `pg_advisory_xact_lock(hashtextextended(object_id, 0))` in a transaction
// of its own on one pooled session, from before the object's flock until after it; the transaction's end (or the
// session's death) releases it, so a lock never outlives its commit. A hash collision only makes two objects wait
// for each other. Within one process, commits to the same object queue on a mutex before asking the database, so
// however many threads issue for one applicant, one session per object is held. SQLite (one machine) has no such
// lock: flock serves there, and DatabaseStoreOptions gives no locks.
//
// Thread-safe. Errors: kUnavailable when the database cannot be reached (Database::Translate).
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "archive/archive.h"
#include "archive/object_lock.h"

namespace zhiping::database {
class Database;
}

namespace zhiping::archive {

class DatabaseObjectLocks : public ObjectLocks {
 public:
  // `db` must be PostgreSQL (kInvalidInput otherwise).
  explicit DatabaseObjectLocks(std::shared_ptr<database::Database> db);
  std::unique_ptr<Held> Acquire(const std::string& object_id) override;

 private:
  class DatabaseHeld;
  void ReleaseLocal(const std::string& object_id);
  std::shared_ptr<database::Database> db_;
  std::mutex mu_;
  std::condition_variable released_;
  std::map<std::string, bool> taken_;  // object ids held (or being asked for) by this process
};

// The Store options of a deployment with a database: the index (both engines) and, with PostgreSQL, the locks.
StoreOptions DatabaseStoreOptions(std::shared_ptr<database::Database> db);

}  // namespace zhiping::archive
