// The job queue on both engines: SQLite in a scratch folder and a real PostgreSQL 15 started by the test. Claims,
// leases, heartbeats, the outcome of each item recorded once, cancelling, giving work back.
#include "jobs/job_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "common/error.h"
#include "database/database.h"
#include "support/postgres_cluster.h"
#include "support/temp_dir.h"

namespace zhiping::jobs {
namespace {

using database::Backend;

testing::PostgresCluster& Cluster() {
  static auto* cluster = new testing::PostgresCluster();  // one server for the binary's tests
  return *cluster;
}

std::unique_ptr<JobStore> OpenStore(Backend backend, const std::string& name) {
  const std::string dir = testing::FreshDir(name);
  if (backend == Backend::kSqlite) return std::make_unique<JobStore>(dir);
  database::DatabaseConfig config;
  config.backend = Backend::kPostgresql;
  config.postgresql_url = Cluster().CreateDatabase(name);
  return std::make_unique<JobStore>(std::shared_ptr<database::Database>(database::Database::Open(config)), dir);
}

class JobQueue : public ::testing::TestWithParam<Backend> {
 protected:
  std::string Name(const std::string& base) const {
    return base + (GetParam() == Backend::kSqlite ? "_sqlite" : "_pg");
  }
};

TEST_P(JobQueue, ManyWorkersClaimEveryChunkExactlyOnce) {
  auto store = OpenStore(GetParam(), Name("claim_once"));
  const size_t total = 10 * JobStore::kChunkItems + 3;
  const std::string job = store->Create("clerk", "{}", total, "m");
  EXPECT_EQ(store->Get(job)->state, "queued");
  std::mutex mu;
  std::map<size_t, int> claimed;  // first item → times
  std::vector<std::thread> threads;
  for (int w = 0; w < 6; ++w)
    threads.emplace_back([&, w] {
      for (;;) {
        std::optional<ChunkClaim> c = store->Claim("worker-" + std::to_string(w), 60000);
        if (!c) return;
        EXPECT_EQ(c->job, job);
        EXPECT_EQ(c->last - c->first, std::min(JobStore::kChunkItems, total - c->first));
        std::lock_guard<std::mutex> lock(mu);
        ++claimed[c->first];
      }
    });
  for (auto& t : threads) t.join();
  ASSERT_EQ(claimed.size(), 11u);
  for (const auto& [first, times] : claimed) EXPECT_EQ(times, 1) << "chunk at " << first;
  EXPECT_EQ(store->Get(job)->state, "running");
}

TEST_P(JobQueue, ALeaseThatRunsOutIsClaimedAgainAndRecordedItemsAreSkipped) {
  auto store = OpenStore(GetParam(), Name("lease_out"));
  const std::string job = store->Create("clerk", "{}", 5, "m");
  std::optional<ChunkClaim> a = store->Claim("dead", 1);
  ASSERT_TRUE(a.has_value());
  store->AddIssued(job, ItemIssued{0, "ZG2022-000120", "v1", true, "", "", nullptr});
  store->AddFailure(job, ItemFailed{1, "bad"});
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::optional<ChunkClaim> b = store->Claim("alive", 60000);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->job, job);
  EXPECT_EQ(b->first, a->first);
  EXPECT_EQ(store->Recorded(job, b->first, b->last), (std::set<size_t>{0, 1}));
  // The dead instance's item recorded again (it was issued a second time): still one outcome.
  store->AddIssued(job, ItemIssued{0, "ZG2022-000120", "v1", false, "", "", nullptr});
  store->AddFailure(job, ItemFailed{1, "bad again"});
  for (size_t i = 2; i < 5; ++i) store->AddIssued(job, ItemIssued{i, "ZG2022-00012" + std::to_string(i), "v1", true, "", "", nullptr});
  EXPECT_TRUE(store->CompleteChunk(*b, "alive"));
  EXPECT_FALSE(store->CompleteChunk(*b, "alive"));  // only one caller is told it finished the job
  auto r = store->Get(job);
  EXPECT_EQ(r->state, "done");
  EXPECT_EQ(r->done, 5u);
  EXPECT_EQ(r->failed_count, 1u);
  ASSERT_EQ(r->failures.size(), 1u);
  EXPECT_EQ(r->failures[0].reason, "bad");
  EXPECT_EQ(store->Issued(job).size(), 4u);
  EXPECT_FALSE(store->Claim("alive", 60000).has_value());
}

TEST_P(JobQueue, AHeartbeatKeepsTheLeaseAndReleaseGivesTheWorkBack) {
  auto store = OpenStore(GetParam(), Name("heartbeat"));
  const std::string job = store->Create("clerk", "{}", 3, "m");
  std::optional<ChunkClaim> a = store->Claim("a", 300);
  ASSERT_TRUE(a.has_value());
  for (int i = 0; i < 6; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(store->Heartbeat("a", {*a}, 300), 1u);
    EXPECT_EQ(store->Heartbeat("b", {*a}, 300), 0u);  // only the owner's
    EXPECT_FALSE(store->Claim("b", 300).has_value()) << "claimed a chunk whose owner is alive";
  }
  store->ReleaseAll("a");
  EXPECT_EQ(store->Get(job)->state, "queued");
  std::optional<ChunkClaim> b = store->Claim("b", 60000);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->first, a->first);
  store->Release(*b, "b");
  EXPECT_TRUE(store->Claim("c", 60000).has_value());
}

TEST_P(JobQueue, CancelledAndFailedJobsAreNotClaimedAndOldestJobsComeFirst) {
  auto store = OpenStore(GetParam(), Name("cancel"));
  const std::string first = store->Create("clerk", "{}", 2, "m");
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const std::string second = store->Create("clerk", "{}", 2, "m");
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const std::string third = store->Create("clerk", "{}", 2, "m");
  EXPECT_EQ(store->Claim("w", 60000)->job, first);
  EXPECT_TRUE(store->Cancel(second));
  EXPECT_FALSE(store->Cancel(second));
  EXPECT_TRUE(store->Fail(third, "job failed: its body cannot be read"));
  EXPECT_FALSE(store->Claim("w", 60000).has_value());
  auto states = store->States({first, second, third, std::string(32, 'e')});
  EXPECT_EQ(states, (std::map<std::string, std::string>{{first, "running"}, {second, "cancelled"}, {third, "interrupted"}}));
  EXPECT_EQ(store->Get(third)->failures.at(0).index, static_cast<size_t>(-1));
  EXPECT_EQ(store->CountUnfinished(), 1u);
  EXPECT_EQ(store->CountByState().at("cancelled"), 1u);
  size_t total = 0;
  auto list = store->List(10, 0, &total);
  ASSERT_EQ(total, 3u);
  EXPECT_EQ(list[0].id, third);  // newest first
  EXPECT_EQ(list[2].id, first);
}

TEST_P(JobQueue, TheBodyIsKeptInTheDatabaseForEveryInstance) {
  auto store = OpenStore(GetParam(), Name("body"));
  const std::string body = "{\"batch\":{\"id\":\"2022-zj\"},\"items\":[\"测试 ' \\\" ?\"]}";
  const std::string job = store->Create("clerk", body, 1, "m", "letters", true, "https://portal.example/cb");
  EXPECT_EQ(store->Body(job), body);
  auto r = store->Get(job);
  EXPECT_TRUE(r->ofd);
  EXPECT_EQ(r->callback_url, "https://portal.example/cb");
  // A job with no items has nothing to wait for.
  EXPECT_EQ(store->Get(store->Create("clerk", "{}", 0, "m"))->state, "done");
}

INSTANTIATE_TEST_SUITE_P(Both, JobQueue, ::testing::Values(Backend::kSqlite, Backend::kPostgresql),
                         [](const auto& info) { return info.param == Backend::kSqlite ? "Sqlite" : "Postgresql"; });

// SQLite is one process's file: leases found when it opens belong to a process that is gone, and are given back
// at once (PostgreSQL waits for them to run out: other instances may be alive).
TEST(jobs_JobStore, SqliteGivesADeadProcessesChunksBackWhenItOpens) {
  const std::string dir = testing::FreshDir("sqlite_reopen");
  std::string job;
  {
    JobStore store(dir);
    job = store.Create("clerk", "{}", 3, "m");
    ASSERT_TRUE(store.Claim("crashed", 3600 * 1000).has_value());
  }
  JobStore again(dir);
  std::optional<ChunkClaim> c = again.Claim("restarted", 60000);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->job, job);
}

TEST(jobs_JobStore, ConcurrentClaimsOnPostgresqlTakeEachChunkOnce) {
  // 4 instances' worth of connections claiming one job's 64 chunks at once: with SKIP LOCKED no claim waits on
  // another's row lock, so none takes long even on a loaded machine.
  auto store = OpenStore(Backend::kPostgresql, "claim_latency");
  store->Create("clerk", "{}", 64 * JobStore::kChunkItems, "m");
  std::atomic<int> claims{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 8; ++w)
    threads.emplace_back([&, w] {
      while (store->Claim("w" + std::to_string(w), 60000)) ++claims;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(claims.load(), 64);
}

}  // namespace
}  // namespace zhiping::jobs
