#include "support/serve_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include "support/files.h"
#include "support/paths.h"

namespace zhiping::testing {

ServeProcess::ServeProcess(const std::vector<std::string>& args, const std::string& dir, const CliOptions& options) {
  static std::atomic<int> counter{0};
  err_path_ = dir + "/serve-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".err";
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("no pipe for zhiping serve");
  const int err = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  std::vector<std::string> full = {"serve", "--port", "0", "--templates", SourceDir() + "/templates", "--fonts",
                                   SourceDir() + "/fonts/fonts.conf"};
  full.insert(full.end(), args.begin(), args.end());
  pid_ = SpawnCli(full, dir, "", fds[1], err, options);
  ::close(err);
  ::close(fds[1]);
  // "zhiping 0.x serving on http://127.0.0.1:PORT"
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, 500) <= 0) continue;
    char c;
    if (::read(fds[0], &c, 1) != 1 || c == '\n') break;
    line += c;
  }
  ::close(fds[0]);
  const size_t colon = line.rfind(':');
  port_ = colon == std::string::npos ? 0 : static_cast<uint16_t>(std::atoi(line.c_str() + colon + 1));
  if (port_ == 0) {
    Stop(SIGKILL);
    throw std::runtime_error("zhiping serve did not start: " + log());
  }
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0) Stop(SIGTERM);
}

int ServeProcess::Stop(int signal) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  const int status = WaitCli(pid_, 120);
  pid_ = -1;
  return status;
}

std::string ServeProcess::Describe() {
  if (pid_ > 0) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return "running";
    ended_ = WIFEXITED(status) ? "exited with " + std::to_string(WEXITSTATUS(status))
                               : "killed by signal " + std::to_string(WTERMSIG(status));
    pid_ = -1;
  }
  return ended_.empty() ? "stopped by the test" : ended_;
}

std::string ServeProcess::log() const {
  try {
    return ReadAll(err_path_);
  } catch (const std::exception&) {
    return "";
  }
}

}  // namespace zhiping::testing
