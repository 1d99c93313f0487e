// tests/support/run_cli.h — `zhiping` as users run it: the built binary (ZhipingBinary()) in a child process.
//
// The child runs in `cwd` with stdin from `stdin_text`, stdout/stderr to files in `cwd` (.run-<pid>-<n>.*),
// XDG_CACHE_HOME set to `options.cache_home` (default: <cwd>/.cache, so parallel tests never share a cache; its
// zhiping/fonts is linked to SharedFontCache() by LinkSharedFontCache, so each test does not prepare 70 MB of fonts), and
// none of the environment that would change what it does (ZHIPING_ADMIN_TOKEN, ZHIPING_SIGN_KEY/_CERT/_CHAIN)
// unless `options.env` sets it. FinishCli waits at most `seconds` and then kills the child (status -1).
// Not thread-safe (fork); call from the test's main thread.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace zhiping::testing {

struct CliResult {
  int status = -1;  // exit status; -1 when killed or signalled
  std::string out, err;
};

struct CliOptions {
  std::map<std::string, std::string> env;
  std::string cache_home;  // "" : <cwd>/.cache
};

struct CliChild {
  pid_t pid = -1;
  std::string base;  // its stdin, stdout and stderr are <base>.in/.out/.err
};

// <cache_home>/zhiping/fonts becomes a link to SharedFontCache() unless it already exists (the renderer's default
// font cache under XDG_CACHE_HOME). For tests that start `zhiping` themselves.
void LinkSharedFontCache(const std::string& cache_home);

CliChild StartCli(const std::vector<std::string>& args, const std::string& cwd, const std::string& stdin_text = "",
                  const CliOptions& options = {});
CliResult FinishCli(const CliChild& child, int seconds = 60);
CliResult RunCli(const std::vector<std::string>& args, const std::string& cwd, const std::string& stdin_text = "",
                 const CliOptions& options = {});

// The child alone, for tests that read its output through a pipe or wait4 for its resource use: stdin from
// `stdin_path` ("" : /dev/null), stdout and stderr to `out_fd` and `err_fd` (the caller closes its copies).
pid_t SpawnCli(const std::vector<std::string>& args, const std::string& cwd, const std::string& stdin_path,
               int out_fd, int err_fd, const CliOptions& options = {});
// Waits for `pid` at most `seconds`, then kills it. Its exit status, or -1 when killed or signalled.
int WaitCli(pid_t pid, int seconds);

}  // namespace zhiping::testing
