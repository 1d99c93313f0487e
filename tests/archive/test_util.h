// tests/archive/test_util.h — scratch directories for the archive tests.
#pragma once

#include <stdlib.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <string>

#include "archive/archive.h"
#include "archive/fs_util.h"

namespace zhiping::archive::testing {

// A fresh directory below $ZHIPING_TEST_TMP (or <build>/test-tmp), unique per call and per process.
inline std::string MakeTempDir(const std::string& label) {
  const char* env = ::getenv("ZHIPING_TEST_TMP");
  std::string base = env != nullptr && *env != '\0' ? env : std::string(ZHIPING_BINARY_DIR) + "/test-tmp";
  fs::MakeDirs(base + "/archive");
  std::string templ = base + "/archive/" + label + ".XXXXXX";
  char* made = ::mkdtemp(templ.data());
  return made != nullptr ? std::string(made) : std::string();
}

// "[E092] v1/content/a.pdf: sha512 mismatch" lines, for failure messages.
inline std::string Describe(const VerifyReport& r) {
  std::string s;
  for (const auto& i : r.issues) s += "  [" + i.code + "] " + r.object_root + ": " + i.message + "\n";
  return s;
}

inline std::string Describe(const std::vector<VerifyReport>& reports) {
  std::string s;
  for (const auto& r : reports) s += Describe(r);
  return s;
}

// A MakeTempDir that is removed again when the test passed (kept for inspection when it failed). Forked children
// leave with _exit, so only the parent cleans up.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& label) : path_(MakeTempDir(label)) {}
  ~ScratchDir() {
    if (!::testing::Test::HasFailure() && !path_.empty()) fs::RemoveTree(path_);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace zhiping::archive::testing
