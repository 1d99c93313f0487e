// database/database.h — the one SQL database of a deployment, behind one code path for both engines.
//
// The embedded default is SQLite, a file beside the archive (`<state dir>/jobs.sqlite`): one process, nothing to
// run. `store.backend = postgresql` (docs/deploy.md) puts the same tables in PostgreSQL 15 so several `zhiping
// serve` instances share the job queue, its leases and the archive's object index. Both go through Poco::Data; the
// code above writes one SQL text with `?` placeholders and the few statements that differ ask `backend()`.
//
// Contract:
// - Open() connects (PostgreSQL: checks one connection at once, so a wrong URL is a start-up error) or throws
//   zhiping::Error kUnavailable naming the database (never its password).
// - Connect() hands out a Connection for one unit of work: SQLite's one session behind a mutex (SQLite allows one
//   writer; a second session would only add "database is locked" errors), or a pooled PostgreSQL session. Hold
//   it briefly; it returns to the pool when destroyed.
// - A statement that fails because the database cannot be reached (PostgreSQL down, network cut) is reported by
//   Run()/Query helpers of the callers as Poco exceptions; Translate() turns any of them into zhiping::Error
//   kUnavailable ("the database … cannot be reached …"), which the service answers 503 with Retry-After.
// - After an outage (PostgreSQL restarted, a network cut), every idle pooled session is dead but libpq only finds
//   out on its next statement. So the first Connection handed back broken retires the whole pool it came from:
//   later Connect() calls get sessions from a fresh pool, and one failed statement — not one per idle session —
//   is what an outage costs once the database is back. Unreachable() (GET /readyz) asks twice for that reason.
// - Thread safety: Database is safe to share; a Connection belongs to one thread while it lives.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace Poco::Data {
class Session;
class SessionPool;
}  // namespace Poco::Data

namespace zhiping::database {

enum class Backend { kSqlite, kPostgresql };

struct DatabaseConfig {
  Backend backend = Backend::kSqlite;
  std::string sqlite_path;     // kSqlite: the file (created with its folder)
  std::string postgresql_url;  // kPostgresql: a libpq connection string, "host=… port=… dbname=… user=…"
  size_t pool_size = 32;       // kPostgresql: most sessions open at once (Connect waits up to 10 s for one)
};

// "host=db port=5432 dbname=zhiping user=zhiping" with any password=… left out: what logs and errors may show.
std::string RedactConnectionString(const std::string& url);

// "(?, ?, ?)" for `n` values: an IN list or one row of a VALUES list.
std::string PlaceholderList(size_t n);

class Database;

// One session for one unit of work (see the contract above).
class Connection {
 public:
  Connection(Connection&&) noexcept;
  ~Connection();
  Poco::Data::Session& session() { return *session_; }
  // `sql` with `?` placeholders made right for this engine (Database::Sql).
  std::string Sql(const std::string& sql) const;
  Backend backend() const;

 private:
  friend class Database;
  Connection(const Database& db, std::unique_lock<std::mutex> sqlite_lock, const Poco::Data::Session& s,
             std::shared_ptr<Poco::Data::SessionPool> pool = nullptr);
  const Database* db_;
  std::unique_lock<std::mutex> sqlite_lock_;
  // PostgreSQL: the pool the session came from, kept alive until the session is back in it (a retired pool lives
  // on until its last session returns).
  std::shared_ptr<Poco::Data::SessionPool> pool_;
  // A Session is a handle: SQLite's copy shares the Database's one session; a pooled one returns to the pool when
  // the last handle goes.
  std::unique_ptr<Poco::Data::Session> session_;
};

class Database {
 public:
  static std::unique_ptr<Database> Open(const DatabaseConfig& config);
  ~Database();

  Backend backend() const { return config_.backend; }
  // What the database is, for logs and errors: "SQLite /var/lib/zhiping/jobs.sqlite" or
  // "PostgreSQL host=… dbname=…" (no password).
  std::string Describe() const;
  // Throws zhiping::Error kUnavailable when no session can be had.
  Connection Connect() const;
  // Opens `sessions` pooled sessions now (PostgreSQL; idle ones are kept 10 minutes), so the first requests of a
  // busy moment do not each wait for a new server process. Throws like Connect.
  void Prepare(size_t sessions) const;
  // `?` placeholders → `$1, $2, …` for PostgreSQL (outside quoted text); unchanged for SQLite.
  std::string Sql(const std::string& sql) const;
  // "" when the database answers `SELECT 1` now; otherwise why not (GET /readyz).
  std::string Unreachable() const;
  // Adds a column to an existing table if it is not there yet (schema upgrades of a database made by an earlier
  // version). `type` is SQL both engines read ("TEXT NOT NULL DEFAULT ''", "BIGINT NOT NULL DEFAULT 0").
  void AddColumnIfMissing(Connection& c, const std::string& table, const std::string& column,
                          const std::string& type) const;
  // Runs `work` in a transaction on one connection; commits when it returns, rolls back when it throws (and
  // rethrows). Poco exceptions leave as zhiping::Error (Translate).
  void Transaction(const std::function<void(Connection&)>& work) const;
  // Runs `work(connection)` on one connection, without a transaction, and returns what it returns; whatever it
  // throws leaves as Translate(doing) makes it.
  template <typename Work>
  auto Run(const char* doing, Work&& work) const -> decltype(work(std::declval<Connection&>())) {
    try {
      Connection c = Connect();
      return work(c);
    } catch (...) {
      Translate(doing);
    }
  }
  // Any exception from a statement → zhiping::Error: database errors kUnavailable naming this database; a
  // zhiping::Error passes through unchanged. Call inside a catch block.
  [[noreturn]] void Translate(const char* doing) const;

 private:
  friend class Connection;
  explicit Database(DatabaseConfig config);
  std::shared_ptr<Poco::Data::SessionPool> NewPool() const;
  std::shared_ptr<Poco::Data::SessionPool> CurrentPool() const;
  // A session of `pool` was handed back broken: later connections come from a new pool (unless that has happened
  // already).
  void Retire(const std::shared_ptr<Poco::Data::SessionPool>& pool) const;
  std::string SelectOne() const;  // "" or why `SELECT 1` failed

  DatabaseConfig config_;
  mutable std::mutex sqlite_mu_;
  std::unique_ptr<Poco::Data::Session> sqlite_;
  mutable std::mutex pool_mu_;  // guards pool_ (the pointer; the pool itself is thread-safe)
  mutable std::shared_ptr<Poco::Data::SessionPool> pool_;
};

}  // namespace zhiping::database
