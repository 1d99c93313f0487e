// tests/support/temp_dir.h — scratch folders below TestTmpRoot() for one test.
//
// FreshDir(name): TestTmpRoot()/<name>-<pid>-<n>, empty, unique per process and call (CTest runs the tests of one
// binary as parallel processes, and one process may ask for the same name twice). Thread-safe.
// Every FreshDir is removed again when it is no longer needed and nothing failed: one made while a test runs when
// that test ends passed, one made outside a test (a suite's set-up) when the whole program ends passed. A failure
// keeps them for inspection. Why: a full CTest run writes gigabytes of archives, PDFs and font caches, and CI
// machines run out of disk long before they run out of time.
// ScratchDir: a FreshDir removed as soon as the object goes out of scope (when the test has not failed), for tests
// that make many in a loop.
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
