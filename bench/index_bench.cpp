// Issue 14: the archive's object index. Versions() of one object from the index vs from its inventory on disk,
// and reindex of an archive made without the index (time, rows, peak memory), on a real PostgreSQL 15 started
// here (tests/support/postgres_cluster.h). Run by hand: build/bench/index_bench [OBJECTS] (default 2000).
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "archive/archive.h"
#include "archive/database_object_index.h"
#include "archive/database_object_locks.h"
#include "archive/object_index.h"
#include "database/database.h"
#include "support/postgres_cluster.h"
#include "support/temp_dir.h"

using namespace zhiping;

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int objects = argc > 1 ? std::atoi(argv[1]) : 2000;
  testing::PostgresCluster cluster;
  database::DatabaseConfig config;
  config.backend = database::Backend::kPostgresql;
  config.postgresql_url = cluster.CreateDatabase("index_bench");
  std::shared_ptr<database::Database> db(database::Database::Open(config));

  const std::string root = testing::FreshDir("index_bench_one");
  archive::Store indexed(root, archive::DatabaseStoreOptions(db));
  archive::Store plain(root);
  const std::string id = archive::ApplicantObjectId("BENCH-1");
  for (int v = 0; v < 20; ++v)
    indexed.Commit(id, {{"letter.pdf", "letter " + std::to_string(v)}, {"letter.json", "{}"},
                        {"letter.issue.json", std::to_string(v)}, {"review-form.pdf", "form"}},
                   {"clerk", ""}, "issue " + std::to_string(v));
  const int reads = 200;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < reads; ++i) indexed.Versions(id);
  const double from_index = Seconds(start) / reads;
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < reads; ++i) plain.Versions(id);
  const double from_disk = Seconds(start) / reads;
  archive::DatabaseObjectIndex lookups(db);
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < reads; ++i) lookups.Find({id});
  const double query = Seconds(start) / reads;
  std::printf("Versions() of a 20-version, 4-file object: index %.3f ms (its query %.3f ms), inventory on disk "
              "%.3f ms\n", from_index * 1e3, query * 1e3, from_disk * 1e3);

  const std::string big = testing::FreshDir("index_bench_many");
  archive::Store old_archive(big);
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < objects; ++i)
    old_archive.Commit(archive::ApplicantObjectId("B" + std::to_string(i)),
                       {{"letter.pdf", "letter " + std::to_string(i)}, {"letter.json", "{}"}}, {"clerk", ""}, "bulk");
  std::printf("made %d objects without the index in %.1f s\n", objects, Seconds(start));
  archive::DatabaseObjectIndex index(db);
  start = std::chrono::steady_clock::now();
  archive::ReindexReport first = archive::Reindex(old_archive, index);
  const double t1 = Seconds(start);
  start = std::chrono::steady_clock::now();
  archive::ReindexReport second = archive::Reindex(old_archive, index);
  const double t2 = Seconds(start);
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  std::printf("reindex %zu objects: %.2f s (%zu rows written); again: %.2f s (%zu rows); peak RSS %ld MiB\n",
              first.objects, t1, first.rows_fixed, t2, second.rows_fixed, usage.ru_maxrss / 1024);
  return 0;
}
