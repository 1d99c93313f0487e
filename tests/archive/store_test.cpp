// Writer and readers of the archive: round trips, history, dedupe, identifiers, damage, concurrency.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <set>
#include <thread>

#include "archive/archive.h"
#include "archive/digest.h"
#include "archive/fs_util.h"
#include "archive/store_internal.h"
#include "common/error.h"
#include "test_util.h"

namespace zhiping::archive {
namespace {

const User kClerk{"clerk", "urn:zhiping:user:clerk"};

std::string ContentFile(const Store& store, const std::string& id, const std::string& rel) {
  return store.ObjectRoot(id) + "/" + rel;
}

ErrorKind KindOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  ADD_FAILURE() << "no zhiping::Error thrown";
  return ErrorKind::kInternal;
}

bool HasIssue(const VerifyReport& r, const std::string& code, const std::string& text) {
  for (const auto& i : r.issues)
    if (i.code == code && i.message.find(text) != std::string::npos) return true;
  return false;
}

using testing::Describe;

TEST(archive_store, RoundTripAndStorageRootLayout) {
  testing::ScratchDir scratch("roundtrip");
  const std::string& root = scratch.path();
  Store store(root);
  std::string id = ApplicantObjectId("ZG2022-000123");
  std::string pdf = std::string("%PDF-1.7\n\x00\xff binary", 19);
  CommitResult r = store.Commit(id, {{"letter.pdf", pdf}, {"letter.json", "{\"a\":1}"}}, kClerk, "issue letter");
  EXPECT_TRUE(r.created);
  EXPECT_EQ(r.version, "v1");
  EXPECT_EQ(r.object_id, "urn:zhiping:applicant:ZG2022-000123");
  ASSERT_EQ(r.files.size(), 2u);
  EXPECT_EQ(store.Read(id, "letter.pdf"), pdf);
  EXPECT_EQ(store.Read(id, "letter.json", "v1"), "{\"a\":1}");
  auto files = store.Files(id);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[1].logical_path, "letter.pdf");
  EXPECT_EQ(files[1].size, pdf.size());
  EXPECT_EQ(files[1].digest, HexDigest("sha512", pdf));
  EXPECT_EQ(files[1].version, "v1");

  EXPECT_EQ(fs::Read(root + "/0=ocfl_1.1"), "ocfl_1.1\n");
  EXPECT_NE(fs::Read(root + "/ocfl_layout.json").find("0004-hashed-n-tuple-storage-layout"), std::string::npos);
  EXPECT_TRUE(fs::IsFile(root + "/extensions/0004-hashed-n-tuple-storage-layout/config.json"));
  std::string object_root = store.ObjectRoot(id);
  EXPECT_EQ(fs::Read(object_root + "/0=ocfl_object_1.1"), "ocfl_object_1.1\n");
  EXPECT_EQ(fs::Read(object_root + "/inventory.json"), fs::Read(object_root + "/v1/inventory.json"));
  EXPECT_EQ(fs::Read(object_root + "/inventory.json.sha512"),
            HexDigest("sha512", fs::Read(object_root + "/inventory.json")) + " inventory.json\n");

  // The inventory has exactly the keys of the spec.
  Poco::JSON::Parser parser;
  auto inv = parser.parse(fs::Read(object_root + "/inventory.json")).extract<Poco::JSON::Object::Ptr>();
  std::vector<std::string> keys = inv->getNames();
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"digestAlgorithm", "head", "id", "manifest", "type", "versions"}));
  EXPECT_EQ(inv->getValue<std::string>("type"), "https://ocfl.io/1.1/spec/#inventory");
  EXPECT_EQ(inv->getValue<std::string>("digestAlgorithm"), "sha512");
  auto v1 = inv->getObject("versions")->getObject("v1");
  std::vector<std::string> vkeys = v1->getNames();
  std::sort(vkeys.begin(), vkeys.end());
  EXPECT_EQ(vkeys, (std::vector<std::string>{"created", "message", "state", "user"}));
  EXPECT_TRUE(IsRfc3339(v1->getValue<std::string>("created"))) << v1->getValue<std::string>("created");
  EXPECT_EQ(v1->getObject("user")->getValue<std::string>("address"), "urn:zhiping:user:clerk");

  auto reports = VerifyStore(root);
  ASSERT_EQ(reports.size(), 2u);  // the storage root, then the one object
  for (const auto& rep : reports) EXPECT_TRUE(rep.valid()) << Describe(rep);
}

TEST(archive_store, SecondVersionKeepsFirstReadable) {
  testing::ScratchDir scratch("history");
  const std::string& root = scratch.path();
  Store store(root);
  std::string id = ApplicantObjectId("A1");
  store.Commit(id, {{"letter.pdf", "first"}}, kClerk, "first issue");
  CommitResult r = store.Commit(id, {{"letter.pdf", "second"}, {"review-form.pdf", "form"}}, {"boss", ""}, "again");
  EXPECT_TRUE(r.created);
  EXPECT_EQ(r.version, "v2");
  EXPECT_EQ(store.Read(id, "letter.pdf"), "second");
  EXPECT_EQ(store.Read(id, "letter.pdf", "v2"), "second");
  EXPECT_EQ(store.Read(id, "letter.pdf", "v1"), "first");
  EXPECT_EQ(store.Files(id, "v1").size(), 1u);
  EXPECT_EQ(store.Files(id).size(), 2u);
  auto versions = store.Versions(id);
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].message, "first issue");
  EXPECT_EQ(versions[0].user.name, "clerk");
  EXPECT_EQ(versions[1].user.name, "boss");
  EXPECT_EQ(versions[1].files.size(), 2u);
  EXPECT_EQ(KindOf([&] { store.Read(id, "review-form.pdf", "v1"); }), ErrorKind::kNotFound);
  EXPECT_EQ(KindOf([&] { store.Read(id, "letter.pdf", "v3"); }), ErrorKind::kNotFound);
  EXPECT_EQ(KindOf([&] { store.Files(id, "v9"); }), ErrorKind::kNotFound);
  EXPECT_EQ(KindOf([&] { store.Read(ApplicantObjectId("nobody"), "letter.pdf"); }), ErrorKind::kNotFound);
  EXPECT_EQ(KindOf([&] { store.Versions(ApplicantObjectId("nobody")); }), ErrorKind::kNotFound);
  VerifyReport rep = VerifyObject(store.ObjectRoot(id));
  EXPECT_TRUE(rep.valid()) << Describe(rep);
  // A user without an address is a warning (W008), not an error.
  EXPECT_TRUE(HasIssue(rep, "W008", "v2"));
}

// A version may leave a file out (FileInput::remove): the head no longer has it, the versions before still do, and
// the object stays valid OCFL. Removing what the head lacks is no change; a version left with no file is refused.
TEST(archive_store, AVersionCanLeaveAFileOut) {
  testing::ScratchDir scratch("remove");
  Store store(scratch.path());
  const std::string id = ApplicantObjectId("A1");
  store.Commit(id, {{"letter.pdf", "first"}, {"letter.ofd", "ofd"}}, kClerk, "both forms");
  CommitResult r = store.Commit(id, {{"letter.pdf", "second"}, {"letter.ofd", "", true}}, kClerk, "pdf only");
  EXPECT_TRUE(r.created);
  EXPECT_EQ(r.version, "v2");
  ASSERT_EQ(store.Files(id).size(), 1u);
  EXPECT_EQ(store.Files(id)[0].logical_path, "letter.pdf");
  EXPECT_EQ(KindOf([&] { store.Read(id, "letter.ofd"); }), ErrorKind::kNotFound);
  EXPECT_EQ(store.Read(id, "letter.ofd", "v1"), "ofd");
  EXPECT_FALSE(store.Commit(id, {{"letter.ofd", "", true}}, kClerk, "nothing to remove").created);
  EXPECT_EQ(KindOf([&] { store.Commit(id, {{"letter.pdf", "", true}}, kClerk, "empty"); }), ErrorKind::kInvalidInput);
  EXPECT_EQ(store.Versions(id).size(), 2u);
  VerifyReport rep = VerifyObject(store.ObjectRoot(id));
  EXPECT_TRUE(rep.valid()) << Describe(rep);
}

// A new object whose first tuple directory already holds another object goes in one level deeper: the rename
// installs only the missing branch and leaves the neighbour alone.
TEST(archive_store, NewObjectSharingATupleDirectoryWithAnother) {
  testing::ScratchDir scratch("shared-tuple");
  const std::string& root = scratch.path();
  Store store(root);
  const std::string first = ApplicantObjectId("T0");
  const std::string prefix = ObjectHash(first).substr(0, 3);
  std::string second;
  for (int i = 1; i < 200000 && second.empty(); ++i) {
    std::string id = ApplicantObjectId("T" + std::to_string(i));
    if (ObjectHash(id).substr(0, 3) == prefix) second = id;
  }
  ASSERT_FALSE(second.empty());
  store.Commit(first, {{"letter.pdf", "first"}}, kClerk, "m");
  store.Commit(second, {{"letter.pdf", "second"}}, kClerk, "m");
  EXPECT_EQ(fs::List(root + "/" + prefix).size(), ObjectHash(first).substr(3, 3) == ObjectHash(second).substr(3, 3) ? 1u : 2u);
  EXPECT_EQ(store.Read(first, "letter.pdf"), "first");
  EXPECT_EQ(store.Read(second, "letter.pdf"), "second");
  auto reports = VerifyStore(root);
  for (const auto& rep : reports) EXPECT_TRUE(rep.valid()) << Describe(rep);
  EXPECT_EQ(reports.size(), 3u);  // the storage root and two objects
}

TEST(archive_store, ContentIsStoredOnceAndIdenticalCommitMakesNoVersion) {
  testing::ScratchDir scratch("dedupe");
  const std::string& root = scratch.path();
  Store store(root);
  std::string id = BatchObjectId("2022-1");
  store.Commit(id, {{"notice.pdf", "same bytes"}}, kClerk, "v1");
  CommitResult r = store.Commit(id, {{"copy/notice.pdf", "same bytes"}, {"other.pdf", "new"}}, kClerk, "v2");
  ASSERT_TRUE(r.created);
  EXPECT_FALSE(fs::Exists(ContentFile(store, id, "v2/content/copy/notice.pdf")));
  EXPECT_TRUE(fs::IsFile(ContentFile(store, id, "v2/content/other.pdf")));
  EXPECT_EQ(store.Read(id, "copy/notice.pdf"), "same bytes");
  // Two identical files in one commit are stored once too.
  r = store.Commit(id, {{"x.pdf", "twin"}, {"y.pdf", "twin"}}, kClerk, "v3");
  int stored = 0;
  for (const auto& e : fs::List(ContentFile(store, id, "v3/content"))) stored += e.is_file ? 1 : 0;
  EXPECT_EQ(stored, 1);

  // Every file byte-identical to the head: no version.
  r = store.Commit(id, {{"notice.pdf", "same bytes"}, {"x.pdf", "twin"}}, kClerk, "nothing new");
  EXPECT_FALSE(r.created);
  EXPECT_EQ(r.version, "v3");
  EXPECT_EQ(r.files.size(), 5u);
  EXPECT_FALSE(fs::Exists(ContentFile(store, id, "v4")));
  EXPECT_EQ(store.Versions(id).size(), 3u);
  EXPECT_TRUE(VerifyObject(store.ObjectRoot(id)).valid());
}

TEST(archive_store, IdsAreHashedNeverUsedAsPaths) {
  EXPECT_EQ(ObjectHash("object-01").substr(0, 8), "3c0ff424");
  testing::ScratchDir scratch("ids");
  const std::string& root = scratch.path();
  Store store(root);
  EXPECT_EQ(store.ObjectRoot("object-01"), root + "/3c0/ff4/240/" + ObjectHash("object-01"));
  // Even a hostile object id lands under its hash.
  std::string hostile = "urn:x:../../etc/passwd";
  store.Commit(hostile, {{"a.txt", "a"}}, kClerk, "m");
  store.Commit(ApplicantObjectId("ZG2022-000123"), {{"a.txt", "a"}}, kClerk, "m");
  std::vector<std::string> stack = {root};
  while (!stack.empty()) {
    std::string dir = stack.back();
    stack.pop_back();
    for (const auto& e : fs::List(dir)) {
      EXPECT_EQ(e.name.find("ZG2022"), std::string::npos) << dir << "/" << e.name;
      EXPECT_EQ(e.name.find("passwd"), std::string::npos) << dir << "/" << e.name;
      if (e.is_dir) stack.push_back(dir + "/" + e.name);
    }
  }
  EXPECT_EQ(store.Read(hostile, "a.txt"), "a");
}

TEST(archive_store, ArchiveKeysAndLogicalPathsAreChecked) {
  EXPECT_FALSE(IsValidArchiveKey("../x"));
  EXPECT_FALSE(IsValidArchiveKey(""));
  EXPECT_FALSE(IsValidArchiveKey(std::string(65, 'a')));
  EXPECT_FALSE(IsValidArchiveKey("a/b"));
  EXPECT_FALSE(IsValidArchiveKey("a b"));
  EXPECT_FALSE(IsValidArchiveKey(".."));
  EXPECT_FALSE(IsValidArchiveKey("张三"));
  EXPECT_TRUE(IsValidArchiveKey(std::string(64, 'a')));
  EXPECT_TRUE(IsValidArchiveKey("ZG2022-000123"));
  EXPECT_TRUE(IsValidArchiveKey("round_2022.1"));
  EXPECT_EQ(KindOf([] { ApplicantObjectId("../x"); }), ErrorKind::kInvalidInput);
  EXPECT_EQ(KindOf([] { BatchObjectId("a b"); }), ErrorKind::kInvalidInput);

  testing::ScratchDir scratch("paths");
  const std::string& root = scratch.path();
  Store store(root);
  for (const std::string& bad : std::vector<std::string>{"../x", "/a", "a/", "a//b", "a/./b", "", ".", "a/..", std::string("a\0b", 3), "\xff"}) {
    EXPECT_EQ(KindOf([&] { store.Commit("urn:t:1", {{bad, "x"}}, kClerk, "m"); }), ErrorKind::kInvalidInput)
        << bad;
  }
  EXPECT_EQ(KindOf([&] { store.Commit("urn:t:1", {{"a", "1"}, {"a", "2"}}, kClerk, "m"); }),
            ErrorKind::kInvalidInput);
  EXPECT_EQ(KindOf([&] { store.Commit("urn:t:1", {{"a", "1"}, {"a/b", "2"}}, kClerk, "m"); }),
            ErrorKind::kInvalidInput);
  store.Commit("urn:t:1", {{"a", "1"}}, kClerk, "m");
  EXPECT_EQ(KindOf([&] { store.Commit("urn:t:1", {{"a/b", "2"}}, kClerk, "m"); }), ErrorKind::kInvalidInput);
  EXPECT_EQ(store.Versions("urn:t:1").size(), 1u);
  // Unicode logical paths are fine.
  EXPECT_TRUE(store.Commit("urn:t:1", {{"张三/评审表.pdf", "x"}}, kClerk, "m").created);
  EXPECT_EQ(store.Read("urn:t:1", "张三/评审表.pdf"), "x");
  EXPECT_TRUE(VerifyObject(store.ObjectRoot("urn:t:1")).valid());
}

TEST(archive_store, NotAStorageRootIsRefused) {
  testing::ScratchDir scratch("foreign");
  const std::string& root = scratch.path();
  std::ofstream(root + "/something.txt") << "x";
  // Not the user's request data but an unusable folder: kUnavailable (exit 1), not kInvalidInput (exit 2).
  EXPECT_EQ(KindOf([&] { Store store(root); }), ErrorKind::kUnavailable);
}

TEST(archive_store, DamageIsReportedByName) {
  testing::ScratchDir scratch("damage");
  const std::string& root = scratch.path();
  Store store(root);
  std::string id = ApplicantObjectId("D1");
  store.Commit(id, {{"letter.pdf", "version one letter"}, {"letter.json", "{}"}}, kClerk, "one");
  store.Commit(id, {{"letter.pdf", "version two letter"}}, kClerk, "two");
  std::string obj = store.ObjectRoot(id);
  ASSERT_TRUE(VerifyObject(obj).valid());

  // Flip one byte.
  std::string path = obj + "/v1/content/letter.pdf";
  std::string bytes = fs::Read(path);
  bytes[3] ^= 0x01;
  fs::RemoveTree(path);
  fs::WriteFileDurable(path, bytes);
  VerifyReport r = VerifyObject(obj);
  EXPECT_FALSE(r.valid());
  EXPECT_TRUE(HasIssue(r, "E092", "v1/content/letter.pdf")) << Describe(r);
  EXPECT_EQ(KindOf([&] { store.Read(id, "letter.pdf", "v1"); }), ErrorKind::kInternal);
  EXPECT_EQ(store.Read(id, "letter.pdf"), "version two letter");  // the rest is still served

  // Delete a file.
  fs::RemoveTree(obj + "/v1/content/letter.json");
  r = VerifyObject(obj);
  EXPECT_TRUE(HasIssue(r, "E092", "v1/content/letter.json")) << Describe(r);

  // Truncate the root inventory: verification names it, readers fall back to v2/inventory.json.
  std::string inv = fs::Read(obj + "/inventory.json");
  fs::RemoveTree(obj + "/inventory.json");
  fs::WriteFileDurable(obj + "/inventory.json", inv.substr(0, inv.size() / 2));
  r = VerifyObject(obj);
  EXPECT_TRUE(HasIssue(r, "E033", "inventory.json")) << Describe(r);
  EXPECT_EQ(store.Read(id, "letter.pdf"), "version two letter");

  // Truncate a version inventory.
  std::string v1inv = fs::Read(obj + "/v1/inventory.json");
  fs::RemoveTree(obj + "/v1/inventory.json");
  fs::WriteFileDurable(obj + "/v1/inventory.json", v1inv.substr(0, 10));
  r = VerifyObject(obj);
  EXPECT_TRUE(HasIssue(r, "E033", "v1/inventory.json")) << Describe(r);

  // An extra file in the object root.
  std::ofstream(obj + "/stray.txt") << "x";
  EXPECT_TRUE(HasIssue(VerifyObject(obj), "E001", "stray.txt"));
}

TEST(archive_store, ManyThreadsCommitToOneObject) {
  testing::ScratchDir scratch("threads");
  const std::string& root = scratch.path();
  Store store(root);
  std::string id = ApplicantObjectId("T1");
  std::vector<std::thread> threads;
  std::vector<std::string> versions(8);
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      versions[i] = store.Commit(id, {{"t" + std::to_string(i) + ".pdf", "thread " + std::to_string(i)}}, kClerk,
                                 "thread " + std::to_string(i)).version;
    });
  for (auto& t : threads) t.join();
  std::set<std::string> distinct(versions.begin(), versions.end());
  EXPECT_EQ(distinct.size(), 8u);
  EXPECT_EQ(store.Versions(id).size(), 8u);
  EXPECT_EQ(store.Files(id).size(), 8u);
  VerifyReport r = VerifyObject(store.ObjectRoot(id));
  EXPECT_TRUE(r.valid()) << Describe(r);
}

TEST(archive_store, EightProcessesCommitToOneObjectAtOnce) {
  testing::ScratchDir scratch("procs");
  const std::string& root = scratch.path();
  std::string id = ApplicantObjectId("P1");
  { Store(root).Commit(id, {{"base.pdf", "base"}}, kClerk, "base"); }
  int gate[2];
  ASSERT_EQ(::pipe(gate), 0);
  std::vector<pid_t> children;
  for (int i = 0; i < 8; ++i) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(gate[1]);
      char c;
      while (::read(gate[0], &c, 1) > 0) {
      }  // released all at once when the parent closes the pipe
      int code = 0;
      try {
        Store store(root);
        CommitResult r = store.Commit(id, {{"p" + std::to_string(i) + ".pdf", "process " + std::to_string(i)}},
                                      kClerk, "process " + std::to_string(i));
        code = r.created ? 0 : 3;
      } catch (...) {
        code = 4;
      }
      ::_exit(code);
    }
    children.push_back(pid);
  }
  ::close(gate[0]);
  ::close(gate[1]);
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  }
  Store store(root);
  auto versions = store.Versions(id);
  EXPECT_EQ(versions.size(), 9u);
  EXPECT_EQ(store.Files(id).size(), 9u);
  for (const auto& r : VerifyStore(root)) EXPECT_TRUE(r.valid()) << Describe(r);
}

TEST(archive_store, MeasuredCommitAndVerifyTimes) {
  testing::ScratchDir scratch("timing");
  const std::string& root = scratch.path();
  Store store(root);
  std::string id = ApplicantObjectId("M1");
  std::string pdf(200 * 1024, 'x');
  const int kCommits = 20;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kCommits; ++i) {
    pdf[i] = 'y';
    ASSERT_TRUE(store.Commit(id, {{"letter.pdf", pdf}, {"letter.json", std::to_string(i)}}, kClerk, "m").created);
  }
  auto t1 = std::chrono::steady_clock::now();
  VerifyReport r = VerifyObject(store.ObjectRoot(id));
  auto t2 = std::chrono::steady_clock::now();
  EXPECT_TRUE(r.valid()) << Describe(r);
  // Reads open every segment below the storage root on its own (O_NOFOLLOW) and re-hash what they serve.
  const int kReads = 100;
  for (int i = 0; i < kReads; ++i) ASSERT_EQ(store.Read(id, "letter.pdf").size(), pdf.size());
  auto t3 = std::chrono::steady_clock::now();
  std::printf("commit (200 KiB + small file, fsync'd): %.2f ms each; verify %d versions: %.1f ms; "
              "read 200 KiB: %.3f ms each\n",
              std::chrono::duration<double, std::milli>(t1 - t0).count() / kCommits, kCommits,
              std::chrono::duration<double, std::milli>(t2 - t1).count(),
              std::chrono::duration<double, std::milli>(t3 - t2).count() / kReads);
}

}  // namespace
}  // namespace zhiping::archive
