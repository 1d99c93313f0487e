#include "paths.h"

#include <filesystem>

namespace zhiping::testing {

std::string SourceDir() { return ZHIPING_SOURCE_DIR; }
std::string BinaryDir() { return ZHIPING_BINARY_DIR; }
std::string ZhipingBinary() { return BinaryDir() + "/zhiping"; }

std::string TestTmpRoot() {
  const char* env = std::getenv("ZHIPING_TEST_TMP");
  std::string root = env != nullptr && *env != '\0' ? env : BinaryDir() + "/test-tmp";
  std::filesystem::create_directories(root);
  return root;
}

std::string SharedFontCache() {
  const std::string dir = TestTmpRoot() + "/font-cache";
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace zhiping::testing
