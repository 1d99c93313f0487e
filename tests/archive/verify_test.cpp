// The verifier against the official OCFL 1.1 conformance fixtures (tests/fixtures/ocfl-1.1, CC-BY-4.0).
#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>
#include <set>

#include "archive/archive.h"
#include "archive/fs_util.h"
#include "test_util.h"

namespace zhiping::archive {
namespace {

const std::string kFixtures = std::string(ZHIPING_SOURCE_DIR) + "/tests/fixtures/ocfl-1.1";

std::set<std::string> CodesInName(const std::string& name, char kind) {
  std::set<std::string> codes;
  std::regex code(std::string(1, kind) + "[0-9]{3}");
  for (auto it = std::sregex_iterator(name.begin(), name.end(), code); it != std::sregex_iterator(); ++it)
    codes.insert(it->str());
  return codes;
}

using testing::Describe;

TEST(archive_verify, GoodAndWarnFixturesAreValid) {
  int objects = 0, warnings_named = 0, warnings_found = 0;
  for (const char* group : {"good-objects", "warn-objects"}) {
    for (const auto& e : fs::List(kFixtures + "/" + group)) {
      if (!e.is_dir) continue;
      ++objects;
      VerifyReport r = VerifyObject(kFixtures + "/" + group + "/" + e.name);
      EXPECT_TRUE(r.valid()) << group << "/" << e.name << "\n" << Describe(r);
      for (const auto& code : CodesInName(e.name, 'W')) {
        ++warnings_named;
        for (const auto& i : r.issues)
          if (i.code == code && !i.error) {
            ++warnings_found;
            break;
          }
      }
    }
  }
  EXPECT_EQ(objects, 25);
  std::printf("good+warn fixtures valid: %d; named warnings reported: %d of %d\n", objects, warnings_found,
              warnings_named);
  EXPECT_EQ(warnings_found, warnings_named);
}

TEST(archive_verify, BadFixturesAreRejectedWithTheirCode) {
  int objects = 0, rejected = 0, with_named_code = 0;
  std::string misses;
  for (const auto& e : fs::List(kFixtures + "/bad-objects")) {
    if (!e.is_dir) continue;
    ++objects;
    VerifyReport r = VerifyObject(kFixtures + "/bad-objects/" + e.name);
    EXPECT_FALSE(r.valid()) << e.name << " was accepted\n" << Describe(r);
    if (!r.valid()) ++rejected;
    bool named = false;
    for (const auto& code : CodesInName(e.name, 'E'))
      for (const auto& i : r.issues) named = named || (i.error && i.code == code);
    if (named) ++with_named_code;
    else misses += e.name + ":\n" + Describe(r);
  }
  EXPECT_EQ(objects, 55);
  EXPECT_EQ(rejected, 55);
  std::printf("bad fixtures rejected: %d of %d; reporting a code from the folder name: %d\n%s", rejected, objects,
              with_named_code, misses.c_str());
  EXPECT_EQ(with_named_code, 55);
}

TEST(archive_verify, StorageRootChecks) {
  // A fixture object is not a storage root: no declaration.
  auto reports = VerifyStore(kFixtures + "/good-objects");
  ASSERT_FALSE(reports.empty());
  bool e069 = false;
  for (const auto& i : reports[0].issues) e069 = e069 || i.code == "E069";
  EXPECT_TRUE(e069);
}

// Objects written by other OCFL tools (zero-padded names, sha256, a contentDirectory) can be extended: the new
// version follows their conventions and the object stays valid.
TEST(archive_verify, CommitToObjectsWrittenElsewhere) {
  for (const char* fixture : {"good-objects/spec-ex-full", "good-objects/minimal_content_dir_called_stuff",
                              "warn-objects/W001_W004_W005_zero_padded_versions", "warn-objects/W004_uses_sha256"}) {
    SCOPED_TRACE(fixture);
    testing::ScratchDir scratch("foreign-object");  // one store each: some fixtures share an object id
    Store store(scratch.path());
    std::string source = kFixtures + "/" + fixture;
    std::string id = VerifyObject(source).object_id;
    ASSERT_FALSE(id.empty());
    std::string target = store.ObjectRoot(id);
    fs::MakeDirs(fs::Dirname(target));
    ASSERT_EQ(std::system(("cp -r '" + source + "' '" + target + "'").c_str()), 0);
    auto before = store.Versions(id);
    CommitResult r = store.Commit(id, {{"added/by-zhiping.txt", "hello"}}, {"clerk", "urn:zhiping:user:clerk"}, "m");
    EXPECT_TRUE(r.created);
    EXPECT_EQ(r.version.size(), before.back().version.size());  // v0004 after v0003, v4 after v3
    EXPECT_EQ(store.Read(id, "added/by-zhiping.txt"), "hello");
    for (const auto& f : before.front().files)
      EXPECT_EQ(store.Read(id, f.logical_path, before.front().version).size(), f.size) << f.logical_path;
    for (const auto& report : VerifyStore(scratch.path())) EXPECT_TRUE(report.valid()) << Describe(report);
  }
}

TEST(archive_verify, StorageHierarchyProblems) {
  testing::ScratchDir scratch("hierarchy");
  const std::string& root = scratch.path();
  Store store(root);
  store.Commit("urn:t:ok", {{"a.txt", "a"}}, {"clerk", "urn:zhiping:user:clerk"}, "m");
  fs::MakeDirs(root + "/abc/def");
  fs::WriteFileDurable(root + "/abc/stray.txt", "x");
  fs::WriteFileDurable(root + "/top.txt", "x");
  fs::WriteFileDurable(root + "/extensions/file.txt", "x");
  auto reports = VerifyStore(root);
  ASSERT_EQ(reports.size(), 2u);
  std::set<std::string> codes;
  for (const auto& i : reports[0].issues) codes.insert(i.code);
  EXPECT_EQ(codes, (std::set<std::string>{"E072", "E073", "E084", "E112"})) << Describe(reports[0]);
  EXPECT_TRUE(reports[1].valid());
  auto missing = VerifyStore(root, {"urn:t:nothing"});
  ASSERT_EQ(missing.size(), 2u);
  ASSERT_EQ(missing[1].issues.size(), 1u);
  EXPECT_EQ(missing[1].issues[0].code, "E063");
}

}  // namespace
}  // namespace zhiping::archive
