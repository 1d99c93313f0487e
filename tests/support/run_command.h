// tests/support/run_command.h — running a shell command (poppler, qpdf, openssl, python) and collecting what it
// printed. Never throws; a command that cannot be started has exit_code -1 (or the shell's 127).
#pragma once

#include <string>

namespace zhiping::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out, err;
  std::string output() const { return out + err; }  // both, for failure messages and searches
};

// Runs `command` with /bin/sh; stdout and stderr are kept apart. Thread-safe.
CommandResult RunCommand(const std::string& command);
// `s` in single quotes for /bin/sh.
std::string Quote(const std::string& s);

}  // namespace zhiping::testing
