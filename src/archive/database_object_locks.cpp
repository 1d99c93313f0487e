#include "archive/database_object_locks.h"

#include <Poco/Data/Session.h>

#include <optional>

#include "archive/database_object_index.h"
#include "common/error.h"
#include "database/database.h"

using namespace Poco::Data::Keywords;

namespace zhiping::archive {

// The process's turn on the object (the mutex of the contract), then the database's lock in a transaction.
class DatabaseObjectLocks::DatabaseHeld : public Held {
 public:
  DatabaseHeld(DatabaseObjectLocks& owner, std::string object_id) : owner_(owner), id_(std::move(object_id)) {
    std::unique_lock<std::mutex> lock(owner_.mu_);
    owner_.released_.wait(lock, [&] { return owner_.taken_.count(id_) == 0; });
    owner_.taken_[id_] = true;
  }

  ~DatabaseHeld() override {
    if (connection_) {
      try {
        // The transaction's end releases pg_advisory_xact_lock. A session that died has released it already.
        if (connection_->session().isTransaction()) connection_->session().rollback();
      } catch (...) {
        // The connection is gone, and with it the lock; the pool drops the dead session.
      }
      connection_.reset();
    }
    owner_.ReleaseLocal(id_);
  }

  void Lock() {
    connection_.emplace(owner_.db_->Connect());
    Poco::Data::Session& s = connection_->session();
    s.begin();
    int one = 0;
    // pg_advisory_xact_lock returns void, which the connector cannot extract: count the one row instead.
    s << connection_->Sql("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(hashtextextended(?, 0))) AS held"),
        use(id_), into(one), now;
  }

 private:
  DatabaseObjectLocks& owner_;
  std::string id_;
  std::optional<database::Connection> connection_;
};

DatabaseObjectLocks::DatabaseObjectLocks(std::shared_ptr<database::Database> db) : db_(std::move(db)) {
  if (db_->backend() != database::Backend::kPostgresql)
    throw Error(ErrorKind::kInvalidInput, "archive object locks need PostgreSQL, not " + db_->Describe());
}

std::unique_ptr<ObjectLocks::Held> DatabaseObjectLocks::Acquire(const std::string& object_id) {
  auto held = std::make_unique<DatabaseHeld>(*this, object_id);
  try {
    held->Lock();
  } catch (...) {
    held.reset();
    db_->Translate("locking an archive object in");
  }
  return held;
}

void DatabaseObjectLocks::ReleaseLocal(const std::string& object_id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    taken_.erase(object_id);
  }
  released_.notify_all();
}

StoreOptions DatabaseStoreOptions(std::shared_ptr<database::Database> db) {
  StoreOptions options;
  if (db->backend() == database::Backend::kPostgresql) options.locks = std::make_shared<DatabaseObjectLocks>(db);
  options.index = std::make_shared<DatabaseObjectIndex>(db);
  return options;
}

}  // namespace zhiping::archive
