// tests/support/serve_process.h — `zhiping serve` as a child process on 127.0.0.1, as a deployment runs it: the
// built binary, `--port 0` (the port it prints on its first stdout line is read back), the repository's templates
// and fonts, stderr to `<dir>/serve-<n>.err`. For tests of what only separate processes show: restarts, SIGKILL,
// several instances on one database.
//
// The destructor stops a child still running (SIGTERM, then SIGKILL after 30 s). Not thread-safe (fork); start and
// stop from the test's main thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "support/run_cli.h"

namespace zhiping::testing {

class ServeProcess {
 public:
  // `args` after `serve --port 0 --templates … --fonts …` (e.g. {"--archive", dir + "/archive"}). Throws
  // std::runtime_error with its stderr when it does not print its port within 120 s.
  ServeProcess(const std::vector<std::string>& args, const std::string& dir, const CliOptions& options);
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  // Sends `signal` and waits for the child (at most 120 s, then SIGKILL). Returns its exit status (-1: signalled).
  int Stop(int signal);
  std::string log() const;  // what it wrote to stderr so far
  // "running", or how the child ended when it did so on its own ("exited with 3", "killed by signal 11"), for a
  // test's failure message when an instance stops answering.
  std::string Describe();

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::string err_path_;
  std::string ended_;  // set by Describe() once the child has been reaped
};

}  // namespace zhiping::testing
