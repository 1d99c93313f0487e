// The archive on a shared database: per-object locks across Store instances and the object index, with a real
// PostgreSQL 15 started by the test (tests/support/postgres_cluster.h) and, for the index, SQLite too.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "archive/archive.h"
#include "archive/database_object_index.h"
#include "archive/database_object_locks.h"
#include "archive/object_index.h"
#include "archive/store_internal.h"
#include "common/error.h"
#include "database/database.h"
#include "support/postgres_cluster.h"
#include "test_util.h"

namespace zhiping::archive {
namespace {

using database::Backend;
using database::Database;
using database::DatabaseConfig;

zhiping::testing::PostgresCluster& Cluster() {
  static auto* cluster = new zhiping::testing::PostgresCluster();  // one server for the process's tests
  return *cluster;
}

std::shared_ptr<Database> OpenPostgres(const std::string& url) {
  DatabaseConfig config;
  config.backend = Backend::kPostgresql;
  config.postgresql_url = url;
  return std::shared_ptr<Database>(Database::Open(config));
}

std::shared_ptr<Database> OpenEngine(Backend backend, const std::string& name, std::string* url = nullptr) {
  if (backend == Backend::kPostgresql) {
    std::string u = Cluster().CreateDatabase(name);
    if (url != nullptr) *url = u;
    return OpenPostgres(u);
  }
  DatabaseConfig config;
  config.sqlite_path = testing::FreshDir(name) + "/jobs.sqlite";
  return std::shared_ptr<Database>(Database::Open(config));
}

// "host=… port=… dbname=NAME user=…" -> NAME
std::string DbName(const std::string& url) {
  const size_t at = url.find("dbname=") + 7;
  return url.substr(at, url.find(' ', at) - at);
}

std::string Rel(const std::string& id) { return ObjectPathFromHash(ObjectHash(id)); }

// What the index holds for `id` must be what the archive's inventory says.
void ExpectIndexMatchesArchive(const Store& store, const ObjectIndex& index, const std::string& id) {
  auto found = index.Find({id});
  ASSERT_EQ(found.count(id), 1u) << id << " is not indexed";
  IndexedObject on_disk = ReadIndexRecord(store.root(), Rel(id));
  EXPECT_TRUE(found[id] == on_disk) << id << ": " << DifferingRows(found[id], on_disk) << " rows differ";
}

std::string ErrorsOf(const std::string& root) {
  std::string errors;
  for (const auto& r : VerifyStore(root))
    for (const auto& i : r.issues)
      if (i.error) errors += i.code + " " + i.message + "\n";
  return errors;
}

class ArchiveIndex : public ::testing::TestWithParam<Backend> {
 protected:
  std::string Name(const std::string& what) const {
    return (GetParam() == Backend::kSqlite ? "sqlite_" : "pg_") + what;
  }
};

TEST_P(ArchiveIndex, AfterCommitsTheIndexIsWhatTheInventorySays) {
  auto db = OpenEngine(GetParam(), Name("after_commits"));
  testing::ScratchDir dir("index_commits");
  Store store(dir.path(), DatabaseStoreOptions(db));
  const std::string id = ApplicantObjectId("ZG2022-000123");
  store.Commit(id, {{"letter.pdf", "letter v1"}, {"letter.json", "{}"}, {"letter.ofd", "ofd"}},
               {"clerk", "urn:zhiping:user:clerk"}, "first letter");
  store.Commit(id, {{"letter.pdf", "letter v2"}, {"letter.ofd", "", true}}, {"", ""}, "reissue 再次出具");
  store.Commit(id, {{"b/z.json", "z"}, {"B.json", "upper"}, {"a.json", "a"}}, {"审核员", "mailto:a@b.c"}, "");
  store.Commit(BatchObjectId("2022-1"), {{"notice.pdf", "notice"}}, {"clerk", ""}, "notice");
  DatabaseObjectIndex index(db);
  ExpectIndexMatchesArchive(store, index, id);
  ExpectIndexMatchesArchive(store, index, BatchObjectId("2022-1"));
  // Read through the index, the listings are those of a Store that reads the inventories.
  Store plain(dir.path());
  auto indexed = store.Versions(id);
  ASSERT_EQ(indexed.size(), 3u);
  EXPECT_TRUE(indexed == plain.Versions(id));
  EXPECT_TRUE(store.Files(id, "v1") == plain.Files(id, "v1"));
  EXPECT_TRUE(store.Files(id) == plain.Files(id));
  EXPECT_EQ(indexed[1].user.name, "zhiping");
  EXPECT_EQ(indexed[1].message, "reissue 再次出具");
  EXPECT_EQ(indexed[1].files.size(), 2u);  // letter.ofd removed
  EXPECT_THROW(store.Files(id, "v9"), Error);
  // The objects can be listed without walking the tree.
  EXPECT_EQ(index.List("", 10), (std::vector<std::string>{id, BatchObjectId("2022-1")}));
  EXPECT_EQ(index.List(id, 10), std::vector<std::string>{BatchObjectId("2022-1")});
  EXPECT_EQ(index.List("", 1), std::vector<std::string>{id});
}

TEST_P(ArchiveIndex, AVersionCommittedWithoutTheIndexIsPickedUpByTheNextRead) {
  auto db = OpenEngine(GetParam(), Name("digest_rule"));
  testing::ScratchDir dir("index_digest_rule");
  Store store(dir.path(), DatabaseStoreOptions(db));
  const std::string id = ApplicantObjectId("A1");
  store.Commit(id, {{"letter.pdf", "one"}}, {"clerk", ""}, "first");
  Store without_index(dir.path());  // a `zhiping issue` run without the configuration
  without_index.Commit(id, {{"letter.pdf", "two"}}, {"clerk", ""}, "second");
  DatabaseObjectIndex index(db);
  EXPECT_EQ(index.Find({id})[id].versions.size(), 1u);  // behind, as expected
  auto versions = store.Versions(id);
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[1].message, "second");
  ExpectIndexMatchesArchive(store, index, id);  // repaired by the read
  // The next commit through the index finds it current again and adds to it.
  store.Commit(id, {{"letter.pdf", "three"}}, {"clerk", ""}, "third");
  ExpectIndexMatchesArchive(store, index, id);
  EXPECT_EQ(store.Files(id).front().version, "v3");
}

// A process that committed a version and died before indexing it: the same document committed again through the
// index (a job's item issued a second time by another instance) makes no version but brings the index up to date,
// so a reindex afterwards has nothing to fix.
TEST_P(ArchiveIndex, AnUnchangedCommitBringsABehindIndexUpToDate) {
  auto db = OpenEngine(GetParam(), Name("unchanged_commit"));
  testing::ScratchDir dir("index_unchanged_commit");
  Store store(dir.path(), DatabaseStoreOptions(db));
  const std::string id = ApplicantObjectId("B1");
  store.Commit(id, {{"letter.pdf", "one"}}, {"clerk", ""}, "first");
  Store without_index(dir.path());  // the version whose index update never happened
  without_index.Commit(id, {{"letter.pdf", "two"}}, {"clerk", ""}, "second");
  DatabaseObjectIndex index(db);
  ASSERT_EQ(index.Find({id})[id].versions.size(), 1u);
  CommitResult again = store.Commit(id, {{"letter.pdf", "two"}}, {"clerk", ""}, "second, again");
  EXPECT_FALSE(again.created);
  EXPECT_EQ(index.Find({id})[id].versions.size(), 2u);
  ExpectIndexMatchesArchive(store, index, id);
}

// A writer that stopped after installing v2 but before replacing the root inventory: the root sidecar still says
// v1, as the index does, yet v2 is the head readers believe. The index must not answer then.
TEST_P(ArchiveIndex, AVersionInstalledBehindTheRootInventoryIsNotHiddenByTheIndex) {
  auto db = OpenEngine(GetParam(), Name("behind_root"));
  testing::ScratchDir dir("index_behind_root");
  Store store(dir.path(), DatabaseStoreOptions(db));
  const std::string id = ApplicantObjectId("C1");
  store.Commit(id, {{"letter.pdf", "one"}}, {"clerk", ""}, "first");
  ASSERT_EQ(store.Versions(id).size(), 1u);  // answered by the index from now on
  g_commit_step_hook = [](const char* step) {
    if (std::string(step) == "version-installed") throw Error(ErrorKind::kInternal, "stopped for the test");
  };
  Store without_index(dir.path());
  EXPECT_THROW(without_index.Commit(id, {{"letter.pdf", "two"}}, {"clerk", ""}, "second"), Error);
  g_commit_step_hook = nullptr;
  auto versions = store.Versions(id);
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[1].message, "second");
  EXPECT_EQ(store.Files(id).front().version, "v2");
}

TEST_P(ArchiveIndex, ReindexFillsTheIndexOfAnOldArchiveAndASecondRunChangesNothing) {
  auto db = OpenEngine(GetParam(), Name("reindex"));
  testing::ScratchDir dir("index_reindex");
  Store plain(dir.path());
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    ids.push_back(ApplicantObjectId("R" + std::to_string(i)));
    for (int v = 0; v <= i % 3; ++v)
      plain.Commit(ids.back(), {{"letter.pdf", "letter " + std::to_string(v)}, {"letter.json", "{}"}}, {"c", ""}, "m");
  }
  DatabaseObjectIndex index(db);
  ReindexReport first = Reindex(plain, index, /*batch=*/3);  // several batches
  EXPECT_EQ(first.objects, 7u);
  EXPECT_EQ(first.versions, 13u);  // 1+2+3+1+2+3+1
  EXPECT_EQ(first.objects_fixed, 7u);
  EXPECT_EQ(first.rows_fixed, 7u + 13u + 26u);  // objects, versions, two files each
  EXPECT_TRUE(first.unreadable.empty());
  for (const auto& id : ids) ExpectIndexMatchesArchive(plain, index, id);
  ReindexReport second = Reindex(plain, index, 3);
  EXPECT_EQ(second.objects, 7u);
  EXPECT_EQ(second.rows_fixed, 0u);
  EXPECT_EQ(second.objects_fixed, 0u);
  EXPECT_EQ(second.objects_removed, 0u);
}

INSTANTIATE_TEST_SUITE_P(Both, ArchiveIndex, ::testing::Values(Backend::kSqlite, Backend::kPostgresql),
                         [](const auto& info) { return info.param == Backend::kSqlite ? "Sqlite" : "Postgresql"; });

TEST(ArchiveIndexPostgresql, ATamperedRowAndAnObjectTheArchiveLacksAreRepairedByReindex) {
  std::string url;
  auto db = OpenEngine(Backend::kPostgresql, "tampered", &url);
  testing::ScratchDir dir("index_tampered");
  Store store(dir.path(), DatabaseStoreOptions(db));
  const std::string id = ApplicantObjectId("T1");
  store.Commit(id, {{"letter.pdf", "one"}, {"letter.json", "{}"}}, {"clerk", ""}, "first");
  store.Commit(id, {{"letter.pdf", "two"}}, {"clerk", ""}, "second");
  DatabaseObjectIndex index(db);
  IndexedObject ghost;
  ghost.object_id = ApplicantObjectId("GHOST");
  ghost.head = "v1";
  ghost.inventory_digest = "00";
  ghost.versions.push_back({"v1", "2026-01-01T00:00:00Z", {"x", ""}, "", {{"a.pdf", "11", 1, "v1"}}});
  index.Put({ghost}, false);
  const std::string dbname = DbName(url);
  Cluster().Psql(dbname, "UPDATE archive_files SET size = 999 WHERE logical_path = 'letter.json' AND number = 2");
  Cluster().Psql(dbname, "UPDATE archive_versions SET message = 'forged' WHERE number = 1");
  ReindexReport r = Reindex(store, index);
  EXPECT_EQ(r.objects, 1u);
  EXPECT_EQ(r.objects_fixed, 1u);
  EXPECT_EQ(r.objects_removed, 1u);
  EXPECT_EQ(r.rows_fixed, 2u + 3u);  // the two tampered rows; the ghost's object, version and file rows
  ExpectIndexMatchesArchive(store, index, id);
  EXPECT_EQ(index.Find({ghost.object_id}).size(), 0u);
  EXPECT_EQ(Reindex(store, index).rows_fixed, 0u);
}

TEST(ArchiveIndexPostgresql, SixteenStoresCommittingToOneObjectAtOnceLoseNoVersion) {
  std::string url;
  OpenEngine(Backend::kPostgresql, "sixteen", &url);
  testing::ScratchDir dir("index_sixteen");
  // Three instances: three databases handles (pools) on one database, sixteen Store objects on one root.
  std::vector<std::shared_ptr<Database>> instances = {OpenPostgres(url), OpenPostgres(url), OpenPostgres(url)};
  const std::string id = ApplicantObjectId("ZG2022-000016");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t)
    threads.emplace_back([&, t] {
      try {
        Store store(dir.path(), DatabaseStoreOptions(instances[t % 3]));
        CommitResult r = store.Commit(id, {{"letter.pdf", "letter from thread " + std::to_string(t)}},
                                      {"clerk" + std::to_string(t), ""}, "issue " + std::to_string(t));
        if (!r.created) ++failures;
      } catch (const std::exception& e) {
        ADD_FAILURE() << "thread " << t << ": " << e.what();
        ++failures;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  Store plain(dir.path());
  auto versions = plain.Versions(id);
  ASSERT_EQ(versions.size(), 16u);
  std::set<std::string> messages;
  for (const auto& v : versions) messages.insert(v.message);
  EXPECT_EQ(messages.size(), 16u);
  EXPECT_EQ(ErrorsOf(dir.path()), "");
  DatabaseObjectIndex index(instances[0]);
  ExpectIndexMatchesArchive(plain, index, id);
  EXPECT_EQ(Reindex(plain, index).rows_fixed, 0u);
}

TEST(ArchiveIndexPostgresql, TheLockOfOneInstanceMakesAnotherWait) {
  std::string url;
  OpenEngine(Backend::kPostgresql, "lock_wait", &url);
  DatabaseObjectLocks a(OpenPostgres(url)), b(OpenPostgres(url));
  auto db = OpenPostgres(url);
  const std::string dbname = DbName(url);
  auto held = a.Acquire("urn:zhiping:applicant:L1");
  auto other_object = b.Acquire("urn:zhiping:applicant:L2");  // another object: no wait
  other_object.reset();
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    auto h = b.Acquire("urn:zhiping:applicant:L1");
    got = true;
  });
  // Wait until the database shows the second instance waiting for the advisory lock.
  std::string waiting;
  for (int i = 0; i < 300 && waiting != "1"; ++i) {
    waiting = Cluster().Psql(dbname, "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
    while (!waiting.empty() && (waiting.back() == '\n' || waiting.back() == ' ')) waiting.pop_back();
    if (waiting != "1") std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(waiting, "1");
  EXPECT_FALSE(got.load());
  held.reset();
  waiter.join();
  EXPECT_TRUE(got.load());
}

TEST(ArchiveIndexPostgresql, ADatabaseOutageFailsTheCommitBeforeAnythingIsWritten) {
  zhiping::testing::PostgresCluster own;  // its own server: stopping the shared one would disturb other tests
  auto db = OpenPostgres(own.CreateDatabase("outage"));
  testing::ScratchDir dir("index_outage");
  Store store(dir.path(), DatabaseStoreOptions(db));
  const std::string id = ApplicantObjectId("O1");
  store.Commit(id, {{"letter.pdf", "kept"}}, {"clerk", ""}, "first");
  own.Stop();
  try {
    store.Commit(id, {{"letter.pdf", "lost"}}, {"clerk", ""}, "during the outage");
    ADD_FAILURE() << "a commit went through with the database stopped";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable) << e.what();
  }
  Store plain(dir.path());
  ASSERT_EQ(plain.Versions(id).size(), 1u);
  EXPECT_EQ(plain.Read(id, "letter.pdf"), "kept");
  EXPECT_TRUE(fs::List(dir.path() + "/" + kWorkspaceDir + "/tmp").empty());
  EXPECT_EQ(ErrorsOf(dir.path()), "");
  own.Start();
  std::string back = "not yet";
  for (int i = 0; i < 100 && !back.empty(); ++i) {
    back = db->Unreachable();
    if (!back.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(back, "");
  CommitResult r = store.Commit(id, {{"letter.pdf", "after"}}, {"clerk", ""}, "after the outage");
  EXPECT_EQ(r.version, "v2");
  DatabaseObjectIndex index(db);
  ExpectIndexMatchesArchive(plain, index, id);
}

}  // namespace
}  // namespace zhiping::archive
