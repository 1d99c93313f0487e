#include "database/database.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/DataException.h>
#include <Poco/Data/SessionPool.h>
#include <Poco/Exception.h>
#include <sys/stat.h>

#include <chrono>
#include <regex>
#include <thread>
#include <vector>

#include "common/error.h"

using namespace Poco::Data::Keywords;

namespace zhiping::database {

namespace {

void RegisterConnectors() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::PostgreSQL::Connector::registerConnector();
  });
}

void MakeParentDirs(const std::string& file) {
  const size_t slash = file.rfind('/');
  if (slash == std::string::npos || slash == 0) return;
  const std::string dir = file.substr(0, slash);
  std::string cur;
  for (size_t i = 0; i < dir.size(); ++i) {
    cur += dir[i];
    if ((dir[i] == '/' && i > 0) || i + 1 == dir.size()) ::mkdir(cur.c_str(), 0755);
  }
}

// libpq's messages run over several lines ("…unexpectedly\n\tThis probably means…"): one line each, for logs.
std::string OneLine(std::string text) {
  std::string out;
  bool space = false;
  for (char ch : text) {
    if (ch == '\n' || ch == '\r' || ch == '\t' || ch == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += ch;
  }
  return out;
}

}  // namespace

std::string RedactConnectionString(const std::string& url) {
  // key=value pairs (libpq): drop password=…, whether quoted ('…' with \' escapes) or bare.
  static const std::regex kPassword(R"((^|\s)password\s*=\s*('([^'\\]|\\.)*'|\S*))", std::regex::icase);
  std::string out = std::regex_replace(url, kPassword, "$1password=***");
  // postgresql://user:secret@host/… URIs: hide what follows the user.
  static const std::regex kUri(R"(^(postgres(ql)?://[^:/@]*):[^@]*@)", std::regex::icase);
  return std::regex_replace(out, kUri, "$1:***@");
}

std::string PlaceholderList(size_t n) {
  std::string s = "(";
  for (size_t i = 0; i < n; ++i) s += i == 0 ? "?" : ", ?";
  return s + ")";
}

Connection::Connection(const Database& db, std::unique_lock<std::mutex> sqlite_lock, const Poco::Data::Session& s,
                       std::shared_ptr<Poco::Data::SessionPool> pool)
    : db_(&db),
      sqlite_lock_(std::move(sqlite_lock)),
      pool_(std::move(pool)),
      session_(std::make_unique<Poco::Data::Session>(s)) {}

Connection::Connection(Connection&&) noexcept = default;

Connection::~Connection() {
  if (pool_ && session_) {
    bool broken = true;
    try {
      broken = !session_->isConnected();  // libpq's status: bad once a statement found the server gone
    } catch (...) {
    }
    try {
      if (broken) db_->Retire(pool_);
    } catch (...) {
      // A new pool could not be made (no thread for its janitor): the old one stays, which only costs a failed
      // statement per dead session, as before pools were retired. A destructor must not throw.
    }
  }
  session_.reset();  // before the lock (SQLite's session is used by one connection at a time) and the pool
}

std::string Connection::Sql(const std::string& sql) const { return db_->Sql(sql); }
Backend Connection::backend() const { return db_->backend(); }

Database::Database(DatabaseConfig config) : config_(std::move(config)) {}

Database::~Database() = default;

std::unique_ptr<Database> Database::Open(const DatabaseConfig& config) {
  RegisterConnectors();
  std::unique_ptr<Database> db(new Database(config));
  try {
    if (config.backend == Backend::kSqlite) {
      MakeParentDirs(config.sqlite_path);
      db->sqlite_ = std::make_unique<Poco::Data::Session>("SQLite", config.sqlite_path);
      *db->sqlite_ << "PRAGMA journal_mode=WAL", now;
      // Another process (the CLI beside a running service) may hold the write lock for a moment.
      *db->sqlite_ << "PRAGMA busy_timeout=5000", now;
    } else {
      db->pool_ = db->NewPool();
      Connection c = db->Connect();  // a wrong URL or a database that is down: say so now, not at first use
      int one = 0;
      c.session() << "SELECT 1", into(one), now;
    }
  } catch (...) {
    db->Translate("opening");
  }
  return db;
}

std::shared_ptr<Poco::Data::SessionPool> Database::NewPool() const {
  const int max = static_cast<int>(config_.pool_size < 2 ? 2 : config_.pool_size);
  return std::make_shared<Poco::Data::SessionPool>("PostgreSQL", config_.postgresql_url, 1, max, 600);
}

std::shared_ptr<Poco::Data::SessionPool> Database::CurrentPool() const {
  std::lock_guard<std::mutex> lock(pool_mu_);
  return pool_;
}

void Database::Retire(const std::shared_ptr<Poco::Data::SessionPool>& pool) const {
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (pool_ == pool) pool_ = NewPool();  // sessions still out return to the old pool, which goes with the last
}

std::string Database::Describe() const {
  return config_.backend == Backend::kSqlite ? "SQLite " + config_.sqlite_path
                                             : "PostgreSQL " + RedactConnectionString(config_.postgresql_url);
}

Connection Database::Connect() const {
  if (config_.backend == Backend::kSqlite)
    return Connection(*this, std::unique_lock<std::mutex>(sqlite_mu_), *sqlite_);
  // Every session busy: wait for one to come back (a commit holds two for a moment) rather than fail the
  // request at once; 10 s without one is an overload, told as the database being unavailable.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    try {
      std::shared_ptr<Poco::Data::SessionPool> pool = CurrentPool();
      Poco::Data::Session session = pool->get();
      return Connection(*this, {}, session, std::move(pool));
    } catch (const Poco::Data::SessionPoolExhaustedException&) {
      if (std::chrono::steady_clock::now() > deadline) Translate("waiting for a free session of");
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    } catch (...) {
      Translate("connecting to");
    }
  }
}

void Database::Prepare(size_t sessions) const {
  if (config_.backend == Backend::kSqlite) return;
  std::vector<Connection> held;
  for (size_t i = 0; i < sessions && i + 1 < config_.pool_size; ++i) held.push_back(Connect());
}

std::string Database::Sql(const std::string& sql) const {
  if (config_.backend == Backend::kSqlite) return sql;
  std::string out;
  out.reserve(sql.size() + 16);
  bool quoted = false;
  int n = 0;
  for (char ch : sql) {
    if (ch == '\'') quoted = !quoted;
    if (ch == '?' && !quoted)
      out += "$" + std::to_string(++n);
    else
      out += ch;
  }
  return out;
}

std::string Database::Unreachable() const {
  // A first failure may only be an idle session that died in an outage already over; it retired its pool, so
  // the second try is on a new session.
  const std::string first = SelectOne();
  return first.empty() || config_.backend == Backend::kSqlite ? first : SelectOne();
}

std::string Database::SelectOne() const {
  try {
    Connection c = Connect();
    int one = 0;
    c.session() << "SELECT 1", into(one), now;
    return "";
  } catch (const Error& e) {
    return e.what();
  } catch (const Poco::Exception& e) {
    return Describe() + ": " + OneLine(e.displayText());
  } catch (const std::exception& e) {
    return Describe() + ": " + OneLine(e.what());
  }
}

void Database::AddColumnIfMissing(Connection& c, const std::string& table, const std::string& column,
                                  const std::string& type) const {
  // Asked first rather than ADD COLUMN IF NOT EXISTS, whose NOTICE libpq would print on stderr, past the log.
  int n = 0;
  std::string t = table, col = column;
  if (config_.backend == Backend::kPostgresql)
    c.session() << "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema()"
                   " AND table_name=$1 AND column_name=$2",
        use(t), use(col), into(n), now;
  else
    c.session() << "SELECT COUNT(*) FROM pragma_table_info(?) WHERE name=?", use(t), use(col), into(n), now;
  if (n == 0) c.session() << "ALTER TABLE " + table + " ADD COLUMN " + column + " " + type, now;
}

void Database::Transaction(const std::function<void(Connection&)>& work) const {
  Connection c = Connect();
  try {
    c.session().begin();
    work(c);
    c.session().commit();
  } catch (...) {
    try {
      if (c.session().isTransaction()) c.session().rollback();
    } catch (...) {
      // The connection itself is gone; the database rolls the transaction back on its own.
    }
    Translate("a transaction on");
  }
}

void Database::Translate(const char* doing) const {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const Poco::Exception& e) {
    throw Error(ErrorKind::kUnavailable,
                std::string("the database (") + Describe() + ") failed while " + doing + " it: " + OneLine(e.displayText()));
  } catch (const std::exception& e) {
    throw Error(ErrorKind::kUnavailable,
                std::string("the database (") + Describe() + ") failed while " + doing + " it: " + OneLine(e.what()));
  }
}

}  // namespace zhiping::database
