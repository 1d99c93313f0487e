// A full disk (or one failing writes) during a commit: kUnavailable with no absolute path in its message, the
// workspace entry gone at once, the object still exactly its last good version — on a real full tmpfs where this
// machine lets the test mount one, and by injected failures at every write, fsync, mkdir and rename of a commit.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "archive/archive.h"
#include "archive/fs_util.h"
#include "archive/store_internal.h"
#include "common/error.h"
#include "test_util.h"

namespace zhiping::archive {
namespace {

const User kClerk{"clerk", "urn:zhiping:user:clerk"};

bool AllValid(const std::vector<VerifyReport>& reports) {
  for (const auto& r : reports)
    if (!r.valid()) return false;
  return true;
}

// The commit's error; fails the test when it succeeds or throws anything but zhiping::Error.
Error FailedCommit(Store& store, const std::string& id, const std::vector<FileInput>& files) {
  try {
    store.Commit(id, files, kClerk, "while the disk is full");
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "the commit succeeded";
  return Error(ErrorKind::kInternal, "");
}

// What must hold after any failed commit: the answer, the workspace, the object.
void ExpectNothingStored(const Error& e, const std::string& scratch, Store& store, const std::string& id,
                         const std::string& v1_bytes) {
  EXPECT_EQ(e.kind(), ErrorKind::kUnavailable) << e.what();
  const std::string message = e.what();
  EXPECT_TRUE(message.rfind("the archive's disk ", 0) == 0) << message;
  EXPECT_NE(message.find("nothing was stored"), std::string::npos) << message;
  EXPECT_EQ(message.find(scratch), std::string::npos) << message;
  EXPECT_EQ(message.find(" /"), std::string::npos) << message;
  EXPECT_TRUE(fs::List(store.root() + "/" + kWorkspaceDir + "/tmp").empty());
  auto reports = VerifyStore(store.root());
  EXPECT_TRUE(AllValid(reports)) << testing::Describe(reports);
  if (v1_bytes.empty()) {
    EXPECT_FALSE(fs::Exists(store.ObjectRoot(id)));  // and no stray tuple directory: VerifyStore above
  } else {
    EXPECT_EQ(store.Versions(id).size(), 1u);
    EXPECT_EQ(store.Read(id, "letter.pdf"), v1_bytes);
  }
}

// Every write, fsync, mkdir and rename of one commit fails in turn (the Nth call of that kind), for a new object
// and for a second version: the commit that finally gets no injected failure succeeds.
int g_fail_at = 0;
int g_calls = 0;
const char* g_op = "";
int g_errno = ENOSPC;
int FailNth(const char* op, const std::string&) {
  if (std::strcmp(op, g_op) != 0) return 0;
  return ++g_calls == g_fail_at ? g_errno : 0;
}

struct FaultCase {
  const char* op;
  int err;
};

TEST(archive_disk_full, InjectedFailureAtEveryStepOfACommit) {
  const FaultCase cases[] = {{"write", ENOSPC}, {"write", EDQUOT}, {"fsync", EIO},
                             {"mkdir", ENOSPC}, {"link", ENOSPC},  {"rename", ENOSPC}};
  for (const auto& c : cases) {
    for (bool second_version : {false, true}) {
      SCOPED_TRACE(std::string(c.op) + " " + std::strerror(c.err) + (second_version ? " (v2)" : " (v1)"));
      testing::ScratchDir scratch("inject");
      Store store(scratch.path());
      const std::string id = ApplicantObjectId("F1");
      const std::string v1 = second_version ? "good v1" : "";
      if (second_version) store.Commit(id, {{"letter.pdf", v1}}, kClerk, "v1");
      const std::vector<FileInput> files = {{"letter.pdf", "new letter"}, {"a/b/letter.json", "{}"}};
      g_op = c.op;
      g_errno = c.err;
      fs::g_fault_hook = FailNth;
      bool done = false;
      int failures = 0;
      for (g_fail_at = 1; g_fail_at < 64 && !done; ++g_fail_at) {
        g_calls = 0;
        try {
          store.Commit(id, files, kClerk, "attempt");
          done = true;
        } catch (const Error& e) {
          fs::g_fault_hook = nullptr;
          ++failures;
          if (second_version && std::strcmp(c.op, "rename") == 0 && g_fail_at > 1) {
            // After vN is in place only the root inventory's renames remain: the version counts as stored.
            EXPECT_EQ(e.kind(), ErrorKind::kUnavailable) << e.what();
            EXPECT_NE(std::string(e.what()).find("v2 was stored"), std::string::npos) << e.what();
            EXPECT_EQ(store.Read(id, "letter.pdf"), "new letter");
            EXPECT_TRUE(fs::List(store.root() + "/" + kWorkspaceDir + "/tmp").empty());
            done = true;  // the next update repairs the root inventory
            store.Commit(id, {{"after.txt", "x"}}, kClerk, "repairs");
            auto reports = VerifyStore(store.root());
            EXPECT_TRUE(AllValid(reports)) << testing::Describe(reports);
            break;
          }
          ExpectNothingStored(e, scratch.path(), store, id, v1);
          fs::g_fault_hook = FailNth;
        }
      }
      fs::g_fault_hook = nullptr;
      EXPECT_TRUE(done) << "a commit never succeeded";
      EXPECT_GT(failures, 0) << "no failure was injected";
      EXPECT_EQ(store.Read(id, "letter.pdf"), "new letter");
      auto reports = VerifyStore(store.root());
      EXPECT_TRUE(AllValid(reports)) << testing::Describe(reports);
    }
  }
}

// A real full file system: a 4 MiB tmpfs mounted for the test (we run as root in CI; where mounting is not
// allowed the test says so and runs the same checks with an injected ENOSPC on the first content write instead).
TEST(archive_disk_full, FullTmpfs) {
  testing::ScratchDir scratch("tmpfs");
  const std::string mnt = scratch.path() + "/mnt";
  fs::MakeDirs(mnt);
  const bool mounted = ::mount("tmpfs", mnt.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,mode=0755") == 0;
  RecordProperty("variant", mounted ? "tmpfs" : "injected (mount refused)");
  struct Unmount {
    std::string path;
    bool on;
    ~Unmount() {
      if (on) ::umount2(path.c_str(), MNT_DETACH);
    }
  } unmount{mnt, mounted};
  {
    Store store(mnt + "/archive");
    const std::string id = ApplicantObjectId("F2");
    store.Commit(id, {{"letter.pdf", "good v1"}}, kClerk, "v1");
    const std::string filler = mnt + "/filler";
    if (mounted) {
      // Fill the disk to the last block.
      std::ofstream out(filler, std::ios::binary);
      std::string block(65536, 'x');
      while (out.write(block.data(), static_cast<std::streamsize>(block.size()))) {
      }
    } else {
      g_op = "write";
      g_errno = ENOSPC;
      g_fail_at = 1;
      g_calls = 0;
      fs::g_fault_hook = FailNth;
    }
    const std::string big(512 * 1024, 'p');
    ExpectNothingStored(FailedCommit(store, id, {{"letter.pdf", big}}), scratch.path(), store, id, "good v1");
    ExpectNothingStored(FailedCommit(store, ApplicantObjectId("F3"), {{"letter.pdf", big}}), scratch.path(), store,
                        ApplicantObjectId("F3"), "");
    // Room again: the same commit goes through.
    fs::g_fault_hook = nullptr;
    ::unlink(filler.c_str());
    EXPECT_EQ(store.Commit(id, {{"letter.pdf", big}}, kClerk, "v2").version, "v2");
    EXPECT_EQ(store.Read(id, "letter.pdf"), big);
    auto reports = VerifyStore(store.root());
    EXPECT_TRUE(AllValid(reports)) << testing::Describe(reports);
  }
}


// The root inventory and its sidecar are second names (hard links) for the newest version's, so their bytes are
// written and fsynced once. Where the file system makes no hard links (link(2) fails with EPERM), they are
// written instead; either way the object is valid and the root inventory is the version's, byte for byte.
int NoHardLinks(const char* op, const std::string&) { return std::strcmp(op, "link") == 0 ? EPERM : 0; }

TEST(archive_disk_full, TheRootInventoryIsTheVersionsFileOrACopyWithoutHardLinks) {
  for (bool links : {true, false}) {
    SCOPED_TRACE(links ? "hard links" : "no hard links");
    testing::ScratchDir scratch(links ? "links" : "nolinks");
    Store store(scratch.path());
    const std::string id = ApplicantObjectId("L1");
    const std::string object = store.root() + "/" + ObjectPathFromHash(ObjectHash(id));
    fs::g_fault_hook = links ? nullptr : NoHardLinks;
    for (const char* version : {"v1", "v2"}) {
      store.Commit(id, {{"letter.pdf", std::string("letter of ") + version}}, kClerk, version);
      for (const char* name : {"inventory.json", "inventory.json.sha512"}) {
        const std::string root_file = object + "/" + name, version_file = object + "/" + version + "/" + name;
        EXPECT_EQ(fs::Read(root_file), fs::Read(version_file)) << name;
        struct stat a {}, b {};
        ASSERT_EQ(::stat(root_file.c_str(), &a), 0);
        ASSERT_EQ(::stat(version_file.c_str(), &b), 0);
        EXPECT_EQ(a.st_ino == b.st_ino, links) << version << " " << name;
      }
    }
    fs::g_fault_hook = nullptr;
    // v1's inventory keeps its own bytes after v2 replaced the root one.
    EXPECT_EQ(fs::Read(object + "/v1/inventory.json").find("\"v2\""), std::string::npos);
    auto reports = VerifyStore(store.root());
    EXPECT_TRUE(AllValid(reports)) << testing::Describe(reports);
  }
}

}  // namespace
}  // namespace zhiping::archive
