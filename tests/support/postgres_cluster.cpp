#include "support/postgres_cluster.h"

#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

#include "support/run_command.h"

namespace zhiping::testing {

namespace {

std::string FindBinDir() {
  if (const char* env = std::getenv("ZHIPING_PG_BINDIR"); env && *env) return env;
  CommandResult r = RunCommand("pg_config --bindir 2>/dev/null");
  std::string dir = r.out;
  while (!dir.empty() && (dir.back() == '\n' || dir.back() == ' ')) dir.pop_back();
  if (r.exit_code == 0 && !dir.empty() && ::access((dir + "/initdb").c_str(), X_OK) == 0) return dir;
  return "/usr/lib/postgresql/15/bin";
}

uint16_t FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("no free loopback port for PostgreSQL");
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

}  // namespace

PostgresCluster::PostgresCluster() : bindir_(FindBinDir()) {
  if (::access((bindir_ + "/initdb").c_str(), X_OK) != 0)
    throw std::runtime_error("PostgreSQL is not installed (no " + bindir_ +
                             "/initdb): run ./setup.sh, which installs Debian's postgresql package");
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/zhiping-pg-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot make a folder for PostgreSQL under " + pattern);
  dir_ = pattern;
  if (::geteuid() == 0) {
    const passwd* pw = ::getpwnam("postgres");
    if (!pw) throw std::runtime_error("running as root and there is no `postgres` user to run PostgreSQL as");
    as_user_ = "postgres";
    if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0)
      throw std::runtime_error("cannot give " + dir_ + " to the postgres user");
  }
  StartWatchdog();
  Run(Quote(bindir_ + "/initdb") + " -D " + Quote(dir_ + "/data") +
      " -U zhiping --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >" + Quote(dir_ + "/initdb.log") + " 2>&1");
  port_ = FreeLoopbackPort();
  Start();
}

// A test process that ends without running the destructor (a suite's shared server is never destroyed; a crash or
// ctest's timeout kills the process) must not leave a server and its ~100 MB folder behind, as it did: after one
// CI run, 40 servers were still up and /tmp held 45 GB of them. A watchdog in its own session stops the server and
// removes the folder within a second of the process ending; the destructor, which does both at once, kills it.
void PostgresCluster::StartWatchdog() {
  const std::string stop = Quote(bindir_ + "/pg_ctl") + " -D " + Quote(dir_ + "/data") + " -m immediate -w stop";
  const std::string stop_as = as_user_.empty() ? stop : "runuser -u " + as_user_ + " -- sh -c " + Quote(stop);
  const std::string watch = "while kill -0 " + std::to_string(::getpid()) + " 2>/dev/null; do sleep 1; done; " +
                            stop_as + " >/dev/null 2>&1; rm -rf " + Quote(dir_);
  CommandResult r = RunCommand("setsid sh -c " + Quote(watch) + " </dev/null >/dev/null 2>&1 & echo $!");
  watchdog_ = std::atoi(r.out.c_str());
  if (r.exit_code != 0 || watchdog_ <= 0) throw std::runtime_error("cannot start the watchdog of " + dir_ + ": " + r.output());
}

PostgresCluster::~PostgresCluster() {
  if (watchdog_ > 0) ::kill(watchdog_, SIGKILL);
  if (running_) Run(Quote(bindir_ + "/pg_ctl") + " -D " + Quote(dir_ + "/data") + " -m immediate -w stop >/dev/null 2>&1", false);
  RunCommand("rm -rf " + Quote(dir_));
}

std::string PostgresCluster::Run(const std::string& command, bool check) const {
  const std::string full = as_user_.empty() ? command : "runuser -u " + as_user_ + " -- sh -c " + Quote(command);
  CommandResult r = RunCommand(full);
  if (check && r.exit_code != 0) {
    CommandResult log = RunCommand("cat " + Quote(dir_) + "/*.log 2>/dev/null | tail -n 40");
    throw std::runtime_error("PostgreSQL: `" + command + "` failed (" + std::to_string(r.exit_code) +
                             "): " + r.output() + "\n" + log.out);
  }
  return r.out;
}

void PostgresCluster::Start() {
  // No Unix socket outside our folder; fsync off: a test's database need not survive a power cut.
  const std::string options = "-c listen_addresses=127.0.0.1 -c port=" + std::to_string(port_) +
                              " -c unix_socket_directories=" + dir_ + " -c fsync=off -c max_connections=200";
  Run(Quote(bindir_ + "/pg_ctl") + " -D " + Quote(dir_ + "/data") + " -l " + Quote(dir_ + "/server.log") + " -o " +
      Quote(options) + " -w -t 60 start >/dev/null");
  running_ = true;
}

void PostgresCluster::Stop() {
  Run(Quote(bindir_ + "/pg_ctl") + " -D " + Quote(dir_ + "/data") + " -m fast -w -t 60 stop >/dev/null");
  running_ = false;
}

std::string PostgresCluster::Url(const std::string& dbname) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=" + dbname + " user=zhiping";
}

std::string PostgresCluster::Psql(const std::string& dbname, const std::string& sql) const {
  return Run(Quote(bindir_ + "/psql") + " -X -q -At -h 127.0.0.1 -p " + std::to_string(port_) + " -U zhiping -d " +
             Quote(dbname) + " -c " + Quote(sql));
}

std::string PostgresCluster::CreateDatabase(const std::string& name) {
  Psql("postgres", "CREATE DATABASE \"" + name + "\"");
  return Url(name);
}

}  // namespace zhiping::testing
