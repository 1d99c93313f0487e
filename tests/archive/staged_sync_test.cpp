// archive/staged_sync.h: every staged path made durable (in parallel when the call is alone), the first failure
// in the given order thrown after every path was tried, and injected failures decided before any fsync.
#include "archive/staged_sync.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "archive/fs_util.h"
#include "common/error.h"
#include "test_util.h"

namespace zhiping::archive {
namespace {

std::vector<StagedPath> MakeStaged(const std::string& dir, int files) {
  std::vector<StagedPath> paths;
  fs::MakeDirs(dir + "/a/b", /*sync=*/false);
  for (int i = 0; i < files; ++i) {
    const std::string path = dir + "/a/b/f" + std::to_string(i);
    fs::WriteFileStaged(path, "bytes " + std::to_string(i));
    paths.push_back({path, false});
  }
  paths.push_back({dir + "/a/b", true});
  paths.push_back({dir + "/a", true});
  return paths;
}

TEST(archive_StagedSync, ALoneCallSyncsEveryPathInParallel) {
  testing::ScratchDir scratch("staged-lone");
  const auto paths = MakeStaged(scratch.path(), 12);
  const size_t before = ParallelStagedSyncs();
  SyncStaged(paths);
  EXPECT_EQ(ParallelStagedSyncs(), before + 1);
  EXPECT_EQ(fs::Read(scratch.path() + "/a/b/f11"), "bytes 11");
}

// A process that forks right after a parallel sync (tests do, to commit from several processes or to die midway)
// gets a child that syncs in parallel with threads of its own, and never waits for the parent's.
TEST(archive_StagedSync, AForkedChildSyncsInParallelWithItsOwnThreads) {
  testing::ScratchDir scratch("staged-fork");
  SyncStaged(MakeStaged(scratch.path() + "/parent", 12));  // the parent's pool exists from here on
  for (int round = 0; round < 8; ++round) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      const size_t before = ParallelStagedSyncs();
      try {
        SyncStaged(MakeStaged(scratch.path() + "/child" + std::to_string(round), 12));
      } catch (...) {
        ::_exit(3);
      }
      if (ParallelStagedSyncs() != before + 1) ::_exit(4);
      // Its own pool: threads besides this one (a child inherits only the forking thread).
      size_t threads = 0;
      for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) threads += entry.exists();
      ::_exit(threads > 1 ? 0 : 5);
    }
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        FAIL() << "round " << round << ": the forked child hung in its sync";
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), 0) << "round " << round;
  }
}

TEST(archive_StagedSync, AMissingPathIsTheErrorAndTheOthersAreStillTried) {
  testing::ScratchDir scratch("staged-missing");
  auto paths = MakeStaged(scratch.path(), 4);
  paths.insert(paths.begin() + 1, {scratch.path() + "/gone", false});
  try {
    SyncStaged(paths);
    ADD_FAILURE() << "a missing file synced";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("gone"), std::string::npos) << e.what();
  }
}

const char* g_fail_path = "";
int FailOneFsync(const char* op, const std::string& path) {
  return std::strcmp(op, "fsync") == 0 && path.find(g_fail_path) != std::string::npos ? EIO : 0;
}

TEST(archive_StagedSync, AnInjectedFailureIsDecidedBeforeAnyFsync) {
  testing::ScratchDir scratch("staged-inject");
  const auto paths = MakeStaged(scratch.path(), 5);
  g_fail_path = "/f3";
  fs::g_fault_hook = FailOneFsync;
  const size_t before = ParallelStagedSyncs();
  try {
    SyncStaged(paths);
    ADD_FAILURE() << "the injected EIO was not thrown";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable) << e.what();
    EXPECT_NE(std::string(e.what()).find("f3"), std::string::npos) << e.what();
  }
  fs::g_fault_hook = nullptr;
  EXPECT_EQ(ParallelStagedSyncs(), before);  // thrown before the pool was used
}

TEST(archive_StagedSync, ManyThreadsAtOnceEachSyncTheirOwn) {
  testing::ScratchDir scratch("staged-threads");
  std::vector<std::vector<StagedPath>> sets;
  for (int t = 0; t < 8; ++t) sets.push_back(MakeStaged(scratch.path() + "/t" + std::to_string(t), 6));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        try {
          SyncStaged(sets[t]);
        } catch (...) {
          ++failures;
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace zhiping::archive
