// tests/archive/test_util.h — scratch directories for the archive tests.
#pragma once

#include <stdlib.h>
#include <sys/stat.h>

#include <string>

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

}  // namespace zhiping::archive::testing
