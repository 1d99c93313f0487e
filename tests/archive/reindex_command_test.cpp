// `zhiping archive reindex` as users run it: the built binary, a real PostgreSQL named by ZHIPING_DATABASE_URL.
#include <gtest/gtest.h>

#include <memory>

#include "archive/archive.h"
#include "archive/database_object_index.h"
#include "database/database.h"
#include "support/paths.h"
#include "support/postgres_cluster.h"
#include "support/run_cli.h"
#include "support/samples.h"
#include "support/temp_dir.h"

namespace zhiping::archive {
namespace {

using zhiping::testing::RunCli;

TEST(ArchiveReindexCommand, FillsThePostgresqlIndexAndASecondRunChangesNothing) {
  zhiping::testing::PostgresCluster cluster;
  const std::string url = cluster.CreateDatabase("reindex_cli");
  const std::string dir = zhiping::testing::FreshDir("reindex_cli");
  {
    Store store(dir + "/archive");  // an archive from before the index
    store.Commit(ApplicantObjectId("ZG2022-000123"), {{"letter.pdf", "v1"}, {"letter.json", "{}"}}, {"c", ""}, "a");
    store.Commit(ApplicantObjectId("ZG2022-000123"), {{"letter.pdf", "v2"}}, {"c", ""}, "b");
    store.Commit(BatchObjectId("2022-1"), {{"notice.pdf", "n"}}, {"c", ""}, "c");
  }
  zhiping::testing::CliOptions options;
  options.env["ZHIPING_DATABASE_URL"] = url;
  auto first = RunCli({"archive", "reindex", "--lang", "en"}, dir, "", options);
  EXPECT_EQ(first.status, 0) << first.err;
  // 2 objects, 3 versions; rows: 2 objects + 3 versions + (2 + 2 + 1) files.
  EXPECT_NE(first.out.find("indexed 2 object(s), 3 version(s); 10 index row(s) were wrong or missing"),
            std::string::npos)
      << first.out << first.err;
  auto second = RunCli({"archive", "reindex", "--lang", "en"}, dir, "", options);
  EXPECT_EQ(second.status, 0) << second.err;
  EXPECT_NE(second.out.find("indexed 2 object(s), 3 version(s); the index already matched the archive: nothing "
                            "changed"),
            std::string::npos)
      << second.out;
  database::DatabaseConfig config;
  config.backend = database::Backend::kPostgresql;
  config.postgresql_url = url;
  DatabaseObjectIndex index(std::shared_ptr<database::Database>(database::Database::Open(config)));
  auto found = index.Find({ApplicantObjectId("ZG2022-000123")});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found.begin()->second.versions.size(), 2u);
  EXPECT_EQ(found.begin()->second.versions[1].message, "b");
}

// The wiring: `zhiping issue` with the database configured commits through the locks and the index
// (cli/deployment_database.h → issuing::IssuerConfig::database → archive::DatabaseStoreOptions).
TEST(ArchiveReindexCommand, AnIssueWithTheDatabaseConfiguredIsIndexedAsItCommits) {
  zhiping::testing::PostgresCluster cluster;
  const std::string url = cluster.CreateDatabase("issue_indexed");
  const std::string dir = zhiping::testing::FreshDir("issue_indexed");
  const std::string source = zhiping::testing::SourceDir();
  zhiping::testing::CliOptions options;
  options.env["ZHIPING_DATABASE_URL"] = url;
  auto issued = RunCli({"issue", "letter", zhiping::testing::SamplePath("letter"), "-o", "out.pdf", "--templates",
                        source + "/templates", "--fonts", source + "/fonts/fonts.conf", "--archive", "archive"},
                       dir, "", options);
  ASSERT_EQ(issued.status, 0) << issued.err;
  database::DatabaseConfig config;
  config.backend = database::Backend::kPostgresql;
  config.postgresql_url = url;
  DatabaseObjectIndex index(std::shared_ptr<database::Database>(database::Database::Open(config)));
  const std::string id = ApplicantObjectId("ZG2022-000123");
  auto found = index.Find({id});
  ASSERT_EQ(found.size(), 1u) << "the issue did not index its version";
  ASSERT_EQ(found[id].versions.size(), 1u);
  Store plain(dir + "/archive");
  EXPECT_TRUE(found[id].versions == plain.Versions(id));
  auto reindex = RunCli({"archive", "reindex", "--lang", "en", "--archive", "archive"}, dir, "", options);
  EXPECT_EQ(reindex.status, 0) << reindex.err;
  EXPECT_NE(reindex.out.find("nothing changed"), std::string::npos) << reindex.out;
}

TEST(ArchiveReindexCommand, WithTheEmbeddedDefaultItSaysThereIsNoIndex) {
  const std::string dir = zhiping::testing::FreshDir("reindex_cli_sqlite");
  { Store store(dir + "/archive"); }
  auto r = RunCli({"archive", "reindex", "--lang", "en"}, dir);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("there is no object index to rebuild"), std::string::npos) << r.err;
  auto zh = RunCli({"archive", "reindex"}, dir);
  EXPECT_EQ(zh.status, 1);
  EXPECT_NE(zh.err.find("没有对象索引可重建"), std::string::npos) << zh.err;
}

}  // namespace
}  // namespace zhiping::archive
