// Reads never leave the object root: a crafted inventory (`../` content paths) or a planted symbolic link makes the
// object an error, and not one byte of the file outside comes back — through Read, Files, Versions or verification.
#include <gtest/gtest.h>
#include <unistd.h>

#include <functional>
#include <string>

#include "archive/archive.h"
#include "archive/fs_util.h"
#include "archive/store_internal.h"
#include "common/error.h"
#include "test_util.h"

namespace zhiping::archive {
namespace {

const User kClerk{"clerk", "urn:zhiping:user:clerk"};
const char kSecret[] = "-----BEGIN PRIVATE KEY-----\nthe office's signing key, never to be served\n";

// The kind and message of the zhiping::Error `f` throws; fails the test when it throws none.
std::pair<ErrorKind, std::string> Thrown(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return {e.kind(), e.what()};
  }
  ADD_FAILURE() << "no zhiping::Error thrown";
  return {ErrorKind::kInternal, ""};
}

// A store holding one applicant object (v1: letter.pdf, letter.json) and, beside the storage root, a secret file.
struct Planted {
  testing::ScratchDir scratch{"escape"};
  std::string root = scratch.path() + "/archive";
  std::string outside = scratch.path() + "/keys";
  std::string id = ApplicantObjectId("ZG2022-000123");
  Store store{root};
  Planted() {
    store.Commit(id, {{"letter.pdf", "%PDF the letter"}, {"letter.json", "{}"}}, kClerk, "v1");
    fs::MakeDirs(outside);
    fs::WriteFileDurable(outside + "/letter.pdf", kSecret);
  }
  // Every reader refuses the object with kInternal, names no absolute path and serves nothing of the secret.
  void ExpectRefused() {
    for (const auto& read : std::vector<std::function<void()>>{
             [&] { store.Read(id, "letter.pdf"); },
             [&] { store.Read(id, "letter.pdf", "v1"); },
             [&] { store.Files(id); },
             [&] { store.Versions(id); },
         }) {
      auto [kind, message] = Thrown(read);
      EXPECT_EQ(kind, ErrorKind::kInternal) << message;
      EXPECT_NE(message.find("is damaged"), std::string::npos) << message;
      EXPECT_EQ(message.find(scratch.path()), std::string::npos) << message;
      EXPECT_EQ(message.find("signing key"), std::string::npos) << message;
    }
    // A commit to the object is refused the same way rather than carrying the crafted manifest forward.
    EXPECT_EQ(Thrown([&] { store.Commit(id, {{"other.txt", "x"}}, kClerk, "v2"); }).first, ErrorKind::kInternal);
    // Verification reports the object invalid and never hashes the outside file into a "match".
    auto reports = VerifyStore(root);
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_FALSE(reports[1].valid());
  }
};

TEST(archive_read_path, ManifestPathWithDotDotIsRefused) {
  Planted p;
  // From <root>/t1/t2/t3/<hash>, five levels up is the scratch folder that holds keys/.
  testing::PointHeadAt(p.store, p.id, "letter.pdf", "../../../../../keys/letter.pdf", kSecret);
  p.ExpectRefused();
  bool e099 = false;
  for (const auto& issue : VerifyObject(p.store.ObjectRoot(p.id)).issues) e099 |= issue.code == "E099";
  EXPECT_TRUE(e099) << testing::Describe(VerifyObject(p.store.ObjectRoot(p.id)));
}

TEST(archive_read_path, AbsoluteManifestPathIsRefused) {
  Planted p;
  testing::PointHeadAt(p.store, p.id, "letter.pdf", p.outside + "/letter.pdf", kSecret);
  p.ExpectRefused();
}

TEST(archive_read_path, SymlinkedContentDirectoryIsNotFollowed) {
  Planted p;
  // v1/content becomes a link to the keys folder; the content path itself is valid ("v1/content/letter.pdf").
  const std::string content = p.store.ObjectRoot(p.id) + "/v1/content";
  fs::RemoveTree(content);
  ASSERT_EQ(::symlink(p.outside.c_str(), content.c_str()), 0);
  testing::PointHeadAt(p.store, p.id, "letter.pdf", "v1/content/letter.pdf", kSecret);
  p.ExpectRefused();
}

TEST(archive_read_path, SymlinkedContentFileIsNotFollowed) {
  Planted p;
  const std::string file = p.store.ObjectRoot(p.id) + "/v1/content/letter.pdf";
  ASSERT_EQ(::unlink(file.c_str()), 0);
  ASSERT_EQ(::symlink((p.outside + "/letter.pdf").c_str(), file.c_str()), 0);
  testing::PointHeadAt(p.store, p.id, "letter.pdf", "v1/content/letter.pdf", kSecret);
  p.ExpectRefused();
}

TEST(archive_read_path, SymlinkedObjectRootIsNotFollowed) {
  // A tuple directory of the hierarchy replaced by a link to a copy of the object elsewhere.
  Planted p;
  const std::string object_root = p.store.ObjectRoot(p.id);
  const std::string copy = p.scratch.path() + "/copy";
  ASSERT_EQ(::rename(fs::Dirname(object_root).c_str(), copy.c_str()), 0);
  ASSERT_EQ(::symlink(copy.c_str(), fs::Dirname(object_root).c_str()), 0);
  auto [kind, message] = Thrown([&] { p.store.Read(p.id, "letter.pdf"); });
  EXPECT_EQ(kind, ErrorKind::kInternal) << message;
  EXPECT_EQ(message.find(p.scratch.path()), std::string::npos) << message;
}

TEST(archive_read_path, GoodObjectsStillRead) {
  // The same checks pass every object the store wrote itself, across versions and deduplicated content.
  testing::ScratchDir scratch("good");
  Store store(scratch.path());
  std::string id = BatchObjectId("2022");
  store.Commit(id, {{"a/b/notice.pdf", "one"}, {"x.json", "{}"}}, kClerk, "v1");
  store.Commit(id, {{"a/b/notice.pdf", "two"}, {"copy.pdf", "one"}}, kClerk, "v2");
  EXPECT_EQ(store.Read(id, "a/b/notice.pdf", "v1"), "one");
  EXPECT_EQ(store.Read(id, "copy.pdf"), "one");
  EXPECT_EQ(store.Read(id, "a/b/notice.pdf"), "two");
  auto files = store.Files(id);
  ASSERT_EQ(files.size(), 3u);
  for (const auto& f : files) EXPECT_GT(f.size, 0u) << f.logical_path;
  EXPECT_EQ(store.Versions(id).size(), 2u);
}

}  // namespace
}  // namespace zhiping::archive
