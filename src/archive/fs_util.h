// archive/fs_util.h — the few POSIX file operations the archive's crash safety rests on.
//
// Internal to the archive stage. Every write that must survive a crash goes through WriteFileDurable (write, fsync)
// followed by SyncDir on the directory that names it: a rename or create is only durable once its directory is.
// The archive does not use common/durable_file.h's DurableFileWriter (it uses its building blocks: WriteAll,
// FsyncDir, UniqueTempSuffix, FileErrorKind) because its commit is a different sequence: every file is written
// into a workspace outside the object root, the renames that publish them come only after a compare-and-swap on
// the head, several renames share one directory fsync, every call can be failed by g_fault_hook for the crash and
// disk-full tests, and errors speak of "the archive's disk".
// Failures throw zhiping::Error naming the path (as given) and errno: kUnavailable when the disk is full (ENOSPC,
// EDQUOT, from any call) or failed a write (EIO from write/fsync/close) — the caller may try again later —,
// kInternal otherwise. Callers that show messages to clients make the paths relative first (store.cpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace zhiping::archive::fs {

struct DirEntry {
  std::string name;
  bool is_dir = false;
  bool is_file = false;  // regular file; anything else (symlink, fifo) is neither
};

// Throws the zhiping::Error described above for `err` from the call `what` ("cannot create") on `path`; `writing`
// for write/fsync/close of file data (where EIO is a failed disk, kUnavailable).
[[noreturn]] void ThrowErrno(const std::string& what, const std::string& path, int err, bool writing = false);

bool Exists(const std::string& path);
bool IsDir(const std::string& path);
bool IsFile(const std::string& path);
// Entries except "." and "..", sorted by name. Empty when `path` is not a readable directory.
std::vector<DirEntry> List(const std::string& path);
// Whole file; kNotFound when it cannot be opened.
std::string Read(const std::string& path);
// Feeds the file to `sink` in blocks, so large files are never held whole (hashing during verification).
void ReadChunks(const std::string& path, const std::function<void(const char* data, size_t size)>& sink);

// The regular file `relative` below the directory `base`, opened without following any symbolic link on the way:
// every segment of `relative` is opened by itself (openat with O_NOFOLLOW), so neither a `..` segment nor a link
// planted anywhere below `base` can lead outside it. `base` itself is opened as given. `relative` must already obey
// the OCFL path rules (CheckPathRules); a segment ".." or "." is refused here too.
// Returns the open descriptor (the caller closes it), or -1 with errno: ENOENT for a missing file, ELOOP for a
// symbolic link on the way, ENOTDIR for a segment that is not a directory, EINVAL for a bad segment or a last
// segment that is not a regular file.
int OpenBeneath(const std::string& base, const std::string& relative);
// ReadChunks via OpenBeneath. kNotFound when missing; kInternal with a message naming only `relative` otherwise.
void ReadChunksBeneath(const std::string& base, const std::string& relative,
                       const std::function<void(const char* data, size_t size)>& sink);
std::string ReadBeneath(const std::string& base, const std::string& relative);
// Size via OpenBeneath; false (and *size 0) when it cannot be opened that way, errno as OpenBeneath.
bool FileSizeBeneath(const std::string& base, const std::string& relative, uint64_t* size);

// Creates `path` and missing parents; with `sync`, fsyncs each directory it created and that directory's parent.
// Without: for a staging area whose directories are fsynced once each before it is published (see store.cpp).
void MakeDirs(const std::string& path, bool sync = true);
// Writes `bytes` to a new file at `path` (O_EXCL) and fsyncs it. The directory entry is not yet durable.
void WriteFileDurable(const std::string& path, const std::string& bytes);
// The same without the fsync: for a staged file that SyncStaged (staged_sync.h) makes durable with the rest of
// its commit before the commit publishes it.
void WriteFileStaged(const std::string& path, const std::string& bytes);
// A second name `path` for the file `existing`, written by WriteFileDurable (link(2)): the same bytes, already on
// disk, are not written or fsynced again. Where the file system makes no hard links (EPERM, EXDEV, EMLINK,
// EOPNOTSUPP, ENOSYS), writes `bytes` — which must be the file's — with WriteFileDurable instead. Other errors
// (ENOSPC, EIO, …) fail as a write would. The new directory entry is not yet durable.
void LinkOrWriteDurable(const std::string& existing, const std::string& path, const std::string& bytes);
void SyncDir(const std::string& path);
// rename(2) that fails (returns false, errno EEXIST/ENOTEMPTY) instead of replacing an existing target.
bool RenameNoReplace(const std::string& from, const std::string& to);
// rename(2) that replaces; throws on failure.
void Rename(const std::string& from, const std::string& to);
// rm -rf; missing is fine.
void RemoveTree(const std::string& path);

// "a/b/c" -> "a/b"; "c" -> "".
std::string Dirname(const std::string& path);
std::string Join(const std::string& a, const std::string& b);

// Test hook: called before every write(2), fsync(2) of a file, mkdir(2), link(2) and rename(2) the archive makes for
// a commit ("write", "fsync", "mkdir", "link", "rename") with the path; a nonzero return is taken as that call's errno (ENOSPC to
// simulate a full disk). nullptr (the default) in production.
extern int (*g_fault_hook)(const char* op, const std::string& path);

// An exclusive flock(2) on a lock file, released on destruction. flock locks belong to the open file description,
// so two threads of one process that each construct a FileLock exclude each other as two processes would.
class FileLock {
 public:
  // Blocks until the lock is held.
  explicit FileLock(const std::string& path);
  // Tries once; held() tells whether it succeeded.
  FileLock(const std::string& path, bool try_only);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

}  // namespace zhiping::archive::fs
