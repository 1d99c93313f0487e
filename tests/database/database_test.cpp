// The one database code path on both engines: SQLite in a scratch folder and a real PostgreSQL 15 started by the
// test (tests/support/postgres_cluster.h).
#include "database/database.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "common/error.h"
#include "database/row_insert.h"
#include "support/postgres_cluster.h"
#include "support/temp_dir.h"

using namespace Poco::Data::Keywords;
using zhiping::Error;
using zhiping::ErrorKind;
using zhiping::database::Backend;
using zhiping::database::Connection;
using zhiping::database::Database;
using zhiping::database::DatabaseConfig;
using zhiping::database::InsertRows;

namespace {

zhiping::testing::PostgresCluster& Cluster() {
  static auto* cluster = new zhiping::testing::PostgresCluster();  // one server for the binary's tests
  return *cluster;
}

std::unique_ptr<Database> OpenEngine(Backend backend, const std::string& name) {
  DatabaseConfig config;
  config.backend = backend;
  if (backend == Backend::kSqlite)
    config.sqlite_path = zhiping::testing::FreshDir(name) + "/state/jobs.sqlite";
  else
    config.postgresql_url = Cluster().CreateDatabase(name);
  return Database::Open(config);
}

class DatabaseEngines : public ::testing::TestWithParam<Backend> {};

TEST_P(DatabaseEngines, OneSqlTextWithQuestionMarksRunsOnBothEngines) {
  auto db = OpenEngine(GetParam(), GetParam() == Backend::kSqlite ? "sqlite_one_sql" : "pg_one_sql");
  Connection c = db->Connect();
  c.session() << "CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT, note TEXT)", now;
  std::string k = "a", note = "what? 'quoted ?' text";
  Poco::Int64 n = 5;
  c.session() << c.Sql("INSERT INTO t (k, n, note) VALUES (?, ?, ?)"), use(k), use(n), use(note), now;
  std::string got;
  Poco::Int64 got_n = 0;
  c.session() << c.Sql("SELECT note, n FROM t WHERE k=? AND note <> 'x?'"), use(k), into(got), into(got_n), now;
  EXPECT_EQ(got, note);
  EXPECT_EQ(got_n, 5);
}

TEST_P(DatabaseEngines, ATransactionThatThrowsLeavesNothingAndSaysWhichDatabase) {
  auto db = OpenEngine(GetParam(), GetParam() == Backend::kSqlite ? "sqlite_tx" : "pg_tx");
  db->Transaction([](Connection& c) { c.session() << "CREATE TABLE t (k TEXT)", now; });
  EXPECT_THROW(db->Transaction([](Connection& c) {
    c.session() << "INSERT INTO t VALUES ('kept?')", now;
    throw Error(ErrorKind::kConflict, "changed my mind");
  }),
               Error);
  try {
    db->Transaction([](Connection& c) {
      c.session() << "INSERT INTO t VALUES ('x')", now;
      c.session() << "INSERT INTO no_such_table VALUES (1)", now;
    });
    ADD_FAILURE() << "a statement on a missing table went through";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable);
    EXPECT_NE(std::string(e.what()).find(GetParam() == Backend::kSqlite ? "SQLite" : "PostgreSQL"), std::string::npos)
        << e.what();
  }
  Connection c = db->Connect();
  int n = -1;
  c.session() << "SELECT COUNT(*) FROM t", into(n), now;
  EXPECT_EQ(n, 0);
}

TEST_P(DatabaseEngines, AddColumnIfMissingUpgradesAnOldTableOnce) {
  auto db = OpenEngine(GetParam(), GetParam() == Backend::kSqlite ? "sqlite_upgrade" : "pg_upgrade");
  Connection c = db->Connect();
  c.session() << "CREATE TABLE jobs (id TEXT)", now;
  c.session() << "INSERT INTO jobs VALUES ('old')", now;
  db->AddColumnIfMissing(c, "jobs", "kind", "TEXT NOT NULL DEFAULT 'letters'");
  db->AddColumnIfMissing(c, "jobs", "kind", "TEXT NOT NULL DEFAULT 'letters'");
  std::string kind;
  c.session() << "SELECT kind FROM jobs", into(kind), now;
  EXPECT_EQ(kind, "letters");
}

TEST_P(DatabaseEngines, ManyThreadsShareOneDatabase) {
  auto db = OpenEngine(GetParam(), GetParam() == Backend::kSqlite ? "sqlite_threads" : "pg_threads");
  db->Connect().session() << "CREATE TABLE t (k TEXT)", now;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&db, t] {
      for (int i = 0; i < 25; ++i) {
        Connection c = db->Connect();
        std::string k = std::to_string(t) + "-" + std::to_string(i);
        c.session() << c.Sql("INSERT INTO t VALUES (?)"), use(k), now;
      }
    });
  for (auto& th : threads) th.join();
  int n = 0;
  db->Connect().session() << "SELECT COUNT(*) FROM t", into(n), now;
  EXPECT_EQ(n, 200);
}

// 1,234 rows of three values: three statements (500 rows each at most), every row there with its values.
TEST_P(DatabaseEngines, InsertRowsWritesManyRowsInStatementsOfAFewHundred) {
  auto db = OpenEngine(GetParam(), GetParam() == Backend::kSqlite ? "sqlite_rows" : "pg_rows");
  Connection c = db->Connect();
  c.session() << "CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT, note TEXT)", now;
  std::vector<std::string> keys, notes;
  std::vector<Poco::Int64> numbers;
  for (int i = 0; i < 1234; ++i) {
    keys.push_back("k" + std::to_string(i));
    numbers.push_back(i);
    notes.push_back(i % 2 ? "odd, 'quoted ?'" : "even");
  }
  InsertRows(c, "INSERT INTO t (k, n, note)", 3, keys.size(), [&](Poco::Data::Statement& st, size_t r) {
    st, use(keys[r]), use(numbers[r]), use(notes[r]);
  });
  // A tail after the VALUES list: the same rows again change nothing.
  InsertRows(
      c, "INSERT INTO t (k, n, note)", 3, keys.size(),
      [&](Poco::Data::Statement& st, size_t r) { st, use(keys[r]), use(numbers[r]), use(notes[r]); },
      " ON CONFLICT DO NOTHING");
  Poco::Int64 count = 0, sum = 0, odd = 0;
  c.session() << "SELECT COUNT(*), SUM(n) FROM t", into(count), into(sum), now;
  c.session() << "SELECT COUNT(*) FROM t WHERE note LIKE 'odd%'", into(odd), now;
  EXPECT_EQ(count, 1234);
  EXPECT_EQ(sum, 1234 * 1233 / 2);
  EXPECT_EQ(odd, 617);
  std::string note;
  c.session() << "SELECT note FROM t WHERE k = 'k7'", into(note), now;
  EXPECT_EQ(note, "odd, 'quoted ?'");
}

// A row that fails midway (a duplicate key in the second statement) fails the call with an exception and, in a
// transaction, leaves no row. Poco's bulk binding (`use(vector)`), which InsertRows replaces, aborted the process
// here on PostgreSQL: it executes its statement once a row, and Poco 1.11 frees the previous row's result twice
// when a later row fails.
TEST_P(DatabaseEngines, ARowThatFailsMidwayThrowsAndLeavesNoRow) {
  auto db = OpenEngine(GetParam(), GetParam() == Backend::kSqlite ? "sqlite_rows_fail" : "pg_rows_fail");
  db->Connect().session() << "CREATE TABLE t (k TEXT PRIMARY KEY)", now;
  std::vector<std::string> keys;
  for (int i = 0; i < 700; ++i) keys.push_back("k" + std::to_string(i));
  keys[600] = keys[599];
  EXPECT_THROW(db->Transaction([&](Connection& c) {
    InsertRows(c, "INSERT INTO t (k)", 1, keys.size(), [&](Poco::Data::Statement& st, size_t r) { st, use(keys[r]); });
  }),
               Error);
  int n = -1;
  db->Connect().session() << "SELECT COUNT(*) FROM t", into(n), now;
  EXPECT_EQ(n, 0);
}

INSTANTIATE_TEST_SUITE_P(Both, DatabaseEngines, ::testing::Values(Backend::kSqlite, Backend::kPostgresql),
                         [](const auto& info) { return info.param == Backend::kSqlite ? "Sqlite" : "Postgresql"; });

TEST(Database, PlaceholdersBecomeNumberedForPostgresqlOutsideQuotedText) {
  DatabaseConfig config;
  config.backend = Backend::kPostgresql;
  config.postgresql_url = Cluster().Url();
  auto db = Database::Open(config);
  EXPECT_EQ(db->Sql("SELECT a FROM t WHERE b=? AND c='?' AND d IN (?, ?)"),
            "SELECT a FROM t WHERE b=$1 AND c='?' AND d IN ($2, $3)");
}

TEST(Database, AnOutageIsUnavailableAndTheDatabaseIsUsedAgainWhenItIsBack) {
  zhiping::testing::PostgresCluster own;  // its own server: stopping the shared one would disturb other tests
  DatabaseConfig config;
  config.backend = Backend::kPostgresql;
  config.postgresql_url = own.CreateDatabase("outage");
  auto db = Database::Open(config);
  db->Connect().session() << "CREATE TABLE t (k TEXT)", now;
  EXPECT_EQ(db->Unreachable(), "");
  own.Stop();
  const std::string why = db->Unreachable();
  EXPECT_NE(why, "");
  EXPECT_NE(why.find("PostgreSQL host=127.0.0.1"), std::string::npos) << why;
  try {
    Connection c = db->Connect();
    c.session() << "INSERT INTO t VALUES ('lost')", now;
    ADD_FAILURE() << "a statement went through with the server stopped";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable) << e.what();
  } catch (const std::exception& e) {
    // The statement itself may fail on a pooled session whose server went away: a Poco exception, which the
    // callers pass through Database::Translate.
    EXPECT_NE(std::string(e.what()), "");
  }
  own.Start();
  // The pool drops the dead sessions and opens new ones.
  std::string back;
  for (int i = 0; i < 50 && (back = db->Unreachable()) != ""; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(back, "");
  Connection c = db->Connect();
  c.session() << "INSERT INTO t VALUES ('kept')", now;
  int n = 0;
  c.session() << "SELECT COUNT(*) FROM t", into(n), now;
  EXPECT_EQ(n, 1);
}

// After a restart every idle pooled session is dead, though libpq only finds out on its next statement. The first
// one found dead retires the pool: /readyz (Unreachable) is clear at once and no later statement fails.
TEST(Database, AfterARestartOneDeadSessionRetiresTheWholePool) {
  zhiping::testing::PostgresCluster own;
  DatabaseConfig config;
  config.backend = Backend::kPostgresql;
  config.postgresql_url = own.CreateDatabase("retire");
  auto db = Database::Open(config);
  db->Prepare(8);  // eight idle sessions in the pool
  own.Stop();
  own.Start();
  EXPECT_EQ(db->Unreachable(), "");  // its first try may meet a dead session; its second is on a new pool
  std::vector<Connection> held;
  for (int i = 0; i < 8; ++i) held.push_back(db->Connect());
  for (Connection& c : held) {
    int one = 0;
    EXPECT_NO_THROW((c.session() << "SELECT 1", into(one), now));
    EXPECT_EQ(one, 1);
  }
}

TEST(Database, AWrongUrlIsAStartUpErrorWithoutThePassword) {
  DatabaseConfig config;
  config.backend = Backend::kPostgresql;
  config.postgresql_url = "host=127.0.0.1 port=1 dbname=zhiping user=zhiping password=s3cret connect_timeout=2";
  try {
    Database::Open(config);
    ADD_FAILURE() << "opened a database on port 1";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable);
    EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("password=***"), std::string::npos) << e.what();
  }
}

TEST(Database, RedactConnectionStringHidesPasswordsInBothForms) {
  using zhiping::database::RedactConnectionString;
  EXPECT_EQ(RedactConnectionString("host=a password='x y\\'z' user=u"), "host=a password=*** user=u");
  EXPECT_EQ(RedactConnectionString("password=abc host=a"), "password=*** host=a");
  EXPECT_EQ(RedactConnectionString("postgresql://u:secret@db:5432/z"), "postgresql://u:***@db:5432/z");
  EXPECT_EQ(RedactConnectionString("host=a user=u"), "host=a user=u");
}

}  // namespace
