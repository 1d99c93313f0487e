#include "run_command.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "paths.h"

namespace zhiping::testing {

CommandResult RunCommand(const std::string& command) {
  static std::atomic<int> counter{0};
  // stderr to a file of its own: reading two pipes without a poll loop could deadlock on a chatty command.
  const std::string err_path =
      TestTmpRoot() + "/stderr-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  CommandResult result;
  FILE* pipe = ::popen(("(" + command + ") 2>'" + err_path + "'").c_str(), "r");
  if (pipe == nullptr) return result;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) result.out.append(buf, n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(err_path, std::ios::binary);
  std::ostringstream text;
  text << err.rdbuf();
  result.err = text.str();
  std::remove(err_path.c_str());
  return result;
}

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace zhiping::testing
