// tests/support/temp_dir.h — scratch folders below TestTmpRoot() for one test.
//
// FreshDir(name): TestTmpRoot()/<name>-<pid>-<n>, empty, unique per process and call (CTest runs the tests of one
// binary as parallel processes, and one process may ask for the same name twice). Thread-safe.
// ScratchDir: a FreshDir that is removed again when the test passed and kept for inspection when it failed.
// Forked children leave with _exit, so only the parent cleans up.
#pragma once

#include <string>

namespace zhiping::testing {

std::string FreshDir(const std::string& name);

class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name) : path_(FreshDir(name)) {}
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace zhiping::testing
