#include "temp_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <vector>

#include "paths.h"

namespace zhiping::testing {
namespace {

void RemoveAll(std::vector<std::string>& dirs) {
  for (const auto& d : dirs) {
    std::error_code ignored;
    std::filesystem::remove_all(d, ignored);
  }
  dirs.clear();
}

// Remembers every FreshDir of this process and removes it when gtest reports that its owner passed.
class FreshDirsOfPassedTests : public ::testing::EmptyTestEventListener {
 public:
  static FreshDirsOfPassedTests& Instance() {
    // Appended once, at the first FreshDir; gtest owns and deletes the listener.
    static FreshDirsOfPassedTests* self = [] {
      auto* l = new FreshDirsOfPassedTests;
      ::testing::UnitTest::GetInstance()->listeners().Append(l);
      return l;
    }();
    return *self;
  }

  void Made(const std::string& dir) {
    std::lock_guard<std::mutex> lock(mu_);
    (in_test_ ? of_test_ : of_program_).push_back(dir);
  }

  void OnTestStart(const ::testing::TestInfo&) override {
    std::lock_guard<std::mutex> lock(mu_);
    in_test_ = true;
  }
  void OnTestEnd(const ::testing::TestInfo& info) override {
    std::lock_guard<std::mutex> lock(mu_);
    in_test_ = false;
    if (info.result() != nullptr && info.result()->Passed()) RemoveAll(of_test_);
    of_test_.clear();
  }
  void OnTestProgramEnd(const ::testing::UnitTest& unit) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (unit.Passed()) RemoveAll(of_program_);
  }

 private:
  std::mutex mu_;
  bool in_test_ = false;
  std::vector<std::string> of_test_, of_program_;
};

}  // namespace

std::string FreshDir(const std::string& name) {
  static std::atomic<int> counter{0};
  std::filesystem::path dir = std::filesystem::path(TestTmpRoot()) /
                              (name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  FreshDirsOfPassedTests::Instance().Made(dir.string());
  return dir.string();
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  if (!::testing::Test::HasFailure() && !path_.empty()) std::filesystem::remove_all(path_, ignored);
}

}  // namespace zhiping::testing
