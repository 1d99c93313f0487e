// The verifier against the official OCFL 1.1 conformance fixtures (tests/fixtures/ocfl-1.1, CC-BY-4.0).
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace zhiping::archive
