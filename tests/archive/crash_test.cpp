// Crash safety: a writer that dies at any point leaves the last good version readable, and recovery leaves a
// valid object holding every version that was reported as written.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "archive/archive.h"
#include "archive/fs_util.h"
#include "archive/store_internal.h"
#include "common/error.h"
#include "test_util.h"

namespace zhiping::archive {
namespace {

const User kClerk{"clerk", "urn:zhiping:user:clerk"};
const char* g_crash_step = nullptr;

void CrashAt(const char* step) {
  if (std::strcmp(step, g_crash_step) == 0) ::_exit(42);  // no destructors, no flushing: like kill -9
}

using testing::Describe;

bool AllValid(const std::vector<VerifyReport>& reports) {
  for (const auto& r : reports)
    if (!r.valid()) return false;
  return true;
}

// Runs a commit in a child that dies at `step`; returns the child's exit code.
int CommitAndDieAt(const std::string& root, const std::string& id, const std::string& bytes, const char* step) {
  pid_t pid = ::fork();
  if (pid == 0) {
    g_crash_step = step;
    g_commit_step_hook = CrashAt;
    try {
      Store(root).Commit(id, {{"letter.pdf", bytes}}, kClerk, "crashing");
    } catch (...) {
      ::_exit(3);
    }
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct StepCase {
  const char* step;
  bool new_version_survives;  // the step came after the version was installed
};

TEST(archive_crash, DeathBetweenAnyTwoStepsOfAnUpdate) {
  const StepCase cases[] = {{"content-written", false},       {"version-inventory-written", false},
                            {"version-installed", true},      {"root-inventory-replaced", true},
                            {"root-sidecar-replaced", true},  {"done", true}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.step);
    testing::ScratchDir scratch("step");
    const std::string& root = scratch.path();
    std::string id = ApplicantObjectId("S1");
    Store reader(root);
    reader.Commit(id, {{"letter.pdf", "good v1"}}, kClerk, "v1");
    ASSERT_EQ(CommitAndDieAt(root, id, "new v2", c.step), 42);
    // Before any recovery, a reader serves a consistent version: v1, or v2 once it was installed.
    std::string expected = c.new_version_survives ? "new v2" : "good v1";
    EXPECT_EQ(reader.Read(id, "letter.pdf"), expected);
    EXPECT_EQ(reader.Read(id, "letter.pdf", "v1"), "good v1");
    // Recovery (a new Store) repairs the root inventory and clears the workspace.
    Store recovered(root);
    EXPECT_TRUE(fs::List(root + "/" + kWorkspaceDir + "/tmp").empty());
    auto reports = VerifyStore(root);
    EXPECT_TRUE(AllValid(reports)) << Describe(reports);
    EXPECT_EQ(recovered.Versions(id).size(), c.new_version_survives ? 2u : 1u);
    EXPECT_EQ(recovered.Read(id, "letter.pdf"), expected);
    // And the next commit works normally.
    CommitResult r = recovered.Commit(id, {{"letter.pdf", "after"}}, kClerk, "after");
    EXPECT_EQ(r.version, c.new_version_survives ? "v3" : "v2");
    EXPECT_TRUE(AllValid(VerifyStore(root)));
  }
}

TEST(archive_crash, DeathWhileCreatingAnObject) {
  for (const char* step : {"content-written", "version-inventory-written", "object-built", "object-installed"}) {
    SCOPED_TRACE(step);
    testing::ScratchDir scratch("newobj");
    const std::string& root = scratch.path();
    std::string id = ApplicantObjectId("N1");
    { Store init(root); }
    ASSERT_EQ(CommitAndDieAt(root, id, "first", step), 42);
    // The object appears by one rename, so even before any recovery the hierarchy has no empty tuple
    // directory (E073) and no partial object.
    auto before = VerifyStore(root);
    EXPECT_TRUE(AllValid(before)) << Describe(before);
    Store recovered(root);
    bool installed = std::strcmp(step, "object-installed") == 0;
    EXPECT_EQ(recovered.Exists(id), installed);
    if (installed) {
      EXPECT_EQ(recovered.Read(id, "letter.pdf"), "first");
    }
    auto reports = VerifyStore(root);
    EXPECT_TRUE(AllValid(reports)) << Describe(reports);
    EXPECT_TRUE(recovered.Commit(id, {{"letter.pdf", "again"}}, kClerk, "again").created);
  }
}

// kill -9 at random moments of a writer that commits in a loop and reports each version it finished.
TEST(archive_crash, KillNineAtRandomPoints) {
  const int kRuns = 60;
  testing::ScratchDir scratch("kill9");
  const std::string& root = scratch.path();
  { Store init(root); }
  std::mt19937 rng(20221230);
  std::map<std::string, std::map<std::string, std::string>> reported;  // object -> version -> bytes
  int killed_mid_commit = 0;
  auto started = std::chrono::steady_clock::now();
  for (int run = 0; run < kRuns; ++run) {
    std::string id = ApplicantObjectId("K" + std::to_string(run / 10));
    int pipefd[2];
    ASSERT_EQ(::pipe(pipefd), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(pipefd[0]);
      try {
        Store store(root);
        for (int k = 0;; ++k) {
          std::string bytes = "run " + std::to_string(run) + " commit " + std::to_string(k);
          CommitResult r = store.Commit(id, {{"letter.pdf", bytes}}, kClerk, bytes);
          std::string line = r.version + " " + bytes + "\n";
          if (::write(pipefd[1], line.data(), line.size()) < 0) ::_exit(5);
        }
      } catch (const std::exception& e) {
        std::string line = std::string("ERROR ") + e.what() + "\n";
        if (::write(pipefd[1], line.data(), line.size()) < 0) ::_exit(5);
        ::_exit(3);
      }
    }
    ::close(pipefd[1]);
    std::string text;
    char buf[4096];
    ssize_t n;
    // Commit time varies with the disk's load; every third run first waits for one finished version, so some
    // kills always land in an object's later history rather than all before its first commit.
    if (run % 3 == 2)
      while (text.find('\n') == std::string::npos && (n = ::read(pipefd[0], buf, sizeof buf)) > 0)
        text.append(buf, static_cast<size_t>(n));
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 80000));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
    ASSERT_TRUE(WIFSIGNALED(status)) << "writer ended by itself (status " << status << "): " << text;
    ::close(pipefd[0]);
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) reported[id][line.substr(0, line.find(' '))] = line.substr(line.find(' ') + 1);

    if (!fs::List(root + "/" + kWorkspaceDir + "/tmp").empty()) ++killed_mid_commit;
    Store store(root);  // recovery
    EXPECT_TRUE(fs::List(root + "/" + kWorkspaceDir + "/tmp").empty());
    auto reports = store.Exists(id) ? VerifyStore(root, {id}) : VerifyStore(root);
    ASSERT_TRUE(AllValid(reports)) << "run " << run << "\n" << Describe(reports);
    if (!reported[id].empty()) {
      auto versions = store.Versions(id);
      for (const auto& [version, bytes] : reported[id]) EXPECT_EQ(store.Read(id, "letter.pdf", version), bytes);
      EXPECT_GE(versions.size(), reported[id].size());
    }
  }
  size_t total = 0;
  for (const auto& [id, versions] : reported) total += versions.size();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("kill -9 runs: %d, killed mid-commit: %d, versions reported: %zu, %.1f s\n", kRuns,
              killed_mid_commit, total, seconds);
  EXPECT_GT(total, 0u);
  EXPECT_GT(killed_mid_commit, 0);
}

}  // namespace
}  // namespace zhiping::archive
