#include "temp_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "paths.h"

namespace zhiping::testing {

std::string FreshDir(const std::string& name) {
  static std::atomic<int> counter{0};
  std::filesystem::path dir = std::filesystem::path(TestTmpRoot()) /
                              (name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  if (!::testing::Test::HasFailure() && !path_.empty()) std::filesystem::remove_all(path_, ignored);
}

}  // namespace zhiping::testing
