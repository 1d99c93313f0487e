// tests/support/postgres_cluster.h — a real PostgreSQL 15 for one test: initdb in a fresh folder under $TMPDIR
// (or /tmp), the server on 127.0.0.1 on a free port, trust authentication for the user `zhiping`, stopped and
// removed again by the destructor — or, when the process ends without it (a shared server kept to the end, a crash,
// a timeout), by a watchdog within a second.
//
// The binaries come from ZHIPING_PG_BINDIR, else `pg_config --bindir` (Debian's libpq-dev), else
// /usr/lib/postgresql/15/bin; setup.sh installs the `postgresql` package. PostgreSQL refuses to run as root, so
// a test running as root runs initdb, pg_ctl and the server as the `postgres` user the package creates.
// Anything that fails throws std::runtime_error with the server's log: a test that needs a database fails when
// there is none, it never skips.
#pragma once

#include <cstdint>
#include <string>

namespace zhiping::testing {

class PostgresCluster {
 public:
  PostgresCluster();  // initdb + start; throws std::runtime_error
  ~PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  // A new empty database; returns its libpq connection string ("host=127.0.0.1 port=N dbname=NAME user=zhiping").
  std::string CreateDatabase(const std::string& name);
  std::string Url(const std::string& dbname = "postgres") const;
  uint16_t port() const { return port_; }

  // pg_ctl stop -m fast / start again on the same port (an outage in the middle of a test).
  void Stop();
  void Start();
  // psql -At -c SQL on `dbname`: its output.
  std::string Psql(const std::string& dbname, const std::string& sql) const;

 private:
  std::string Run(const std::string& command, bool check = true) const;  // as the server's user
  void StartWatchdog();
  std::string bindir_, dir_, as_user_;
  int watchdog_ = 0;  // the watchdog's process id
  uint16_t port_ = 0;
  bool running_ = false;
};

}  // namespace zhiping::testing
