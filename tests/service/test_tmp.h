// tests/service/test_tmp.h — where service tests may write: $ZHIPING_TEST_TMP (set by CTest) or
// ZHIPING_BINARY_DIR/test-tmp, one fresh folder per test binary and name.
#pragma once

#include <Poco/File.h>
#include <Poco/Path.h>

#include <cstdlib>
#include <string>

inline std::string TestTmpDir(const std::string& name) {
  const char* env = std::getenv("ZHIPING_TEST_TMP");
  std::string root = env && *env ? env : std::string(ZHIPING_BINARY_DIR) + "/test-tmp";
  std::string dir = root + "/" + name;
  Poco::File f(dir);
  if (f.exists()) f.remove(true);
  f.createDirectories();
  return dir;
}
