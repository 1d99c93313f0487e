#include "run_cli.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "files.h"
#include "paths.h"

namespace zhiping::testing {

void LinkSharedFontCache(const std::string& cache_home) {
  namespace fs = std::filesystem;
  const fs::path fonts = fs::path(cache_home) / "zhiping" / "fonts";
  std::error_code ec;
  if (fs::exists(fs::symlink_status(fonts, ec))) return;
  fs::create_directories(fonts.parent_path(), ec);
  fs::create_directory_symlink(SharedFontCache(), fonts, ec);  // a racing process may have made it first
}

pid_t SpawnCli(const std::vector<std::string>& args, const std::string& cwd, const std::string& stdin_path,
               int out_fd, int err_fd, const CliOptions& options) {
  const std::string binary = ZhipingBinary();
  const std::string cache_home = options.cache_home.empty() ? cwd + "/.cache" : options.cache_home;
  const std::string in_path = stdin_path.empty() ? "/dev/null" : stdin_path;
  LinkSharedFontCache(cache_home);
  std::vector<char*> argv{const_cast<char*>(binary.c_str())};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  if (::chdir(cwd.c_str()) != 0) ::_exit(127);
  const int in = ::open(in_path.c_str(), O_RDONLY);
  ::dup2(in, 0);
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  ::setenv("XDG_CACHE_HOME", cache_home.c_str(), 1);
  for (const char* v : {"ZHIPING_ADMIN_TOKEN", "ZHIPING_SIGN_KEY", "ZHIPING_SIGN_CERT", "ZHIPING_SIGN_CHAIN"})
    ::unsetenv(v);
  for (const auto& [k, v] : options.env) ::setenv(k.c_str(), v.c_str(), 1);
  ::execv(binary.c_str(), argv.data());
  ::_exit(127);
}

int WaitCli(pid_t pid, int seconds) {
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

CliChild StartCli(const std::vector<std::string>& args, const std::string& cwd, const std::string& stdin_text,
                  const CliOptions& options) {
  static std::atomic<int> counter{0};
  CliChild child;
  child.base = cwd + "/.run-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
  WriteAll(child.base + ".in", stdin_text);
  const int out = ::open((child.base + ".out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err = ::open((child.base + ".err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  child.pid = SpawnCli(args, cwd, child.base + ".in", out, err, options);
  ::close(out);
  ::close(err);
  return child;
}

CliResult FinishCli(const CliChild& child, int seconds) {
  CliResult r;
  r.status = WaitCli(child.pid, seconds);
  r.out = ReadAll(child.base + ".out");
  r.err = ReadAll(child.base + ".err");
  return r;
}

CliResult RunCli(const std::vector<std::string>& args, const std::string& cwd, const std::string& stdin_text,
                 const CliOptions& options) {
  return FinishCli(StartCli(args, cwd, stdin_text, options), 60);
}

}  // namespace zhiping::testing
