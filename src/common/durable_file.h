// common/durable_file.h — writing a file so that it survives a crash and never appears half-written.
//
// The one place that knows the sequence: create a temporary file beside the target (same directory, hence same
// file system, so the rename is atomic), write, fsync the file, rename it over the target, fsync the directory (a
// rename is durable only once the directory that names it is). A reader sees the old file or the new one, never a
// mixture; after a crash the target is the old file or the new one, never empty.
//
// Temporary names are ".<target name>.tmp.<pid>.<counter>.<random>" and are created with O_EXCL, so writers in
// other threads of this process and in other processes never share one: when many write the same target at once,
// each rename installs one complete file and the last rename wins.
//
// Thread safety: the free functions may be called from any thread. One DurableFileWriter is used by one thread at
// a time; different writers (of the same target too) are independent.
//
// Errors: zhiping::Error naming the path and the system's reason. kUnavailable when the disk is full (ENOSPC,
// EDQUOT) or failed a write (EIO from write/fsync/close) — a condition of the moment the caller may retry —,
// kInternal otherwise (a missing directory, no permission). After a failure the target is unchanged and no
// temporary file is left behind, with one exception: when the final directory fsync fails the new file is already
// in place (the error says so) but may not survive a crash.
//
// The archive (archive/fs_util.h) uses the building blocks at the end but not DurableFileWriter: its commit writes
// every file into a workspace first and publishes by renames only after a compare-and-swap, with one directory
// fsync for several renames and its own fault-injection hook.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <ostream>
#include <functional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace zhiping {

// Replaces (or creates) `path` with `bytes`, durably and atomically. The new file gets `mode` (less the umask).
void WriteFileDurably(const std::string& path, std::string_view bytes, mode_t mode = 0644);

// For output produced piece by piece, or written by a library that wants a file name (libxlsxwriter).
//
//   DurableFileWriter out(path);
//   WriteDocumentsZip(..., out.stream());
//   out.Commit();
//
// The constructor creates the temporary file. When it cannot, it throws a catalogued message about the target
// (common/messages.h output.*, in the process's language): kInvalidInput for a missing folder or no permission,
// kUnavailable for a full disk. The bytes go in through Write, stream(), or by anyone writing the file at
// temp_path() (reopening it by name is fine: Commit fsyncs the file, not a buffer). Commit makes them the target. Destroying the writer without a successful Commit (an exception on the
// way, an early return) removes the temporary file and leaves the target as it was.
class DurableFileWriter {
 public:
  explicit DurableFileWriter(std::string target, mode_t mode = 0644);
  ~DurableFileWriter();
  DurableFileWriter(const DurableFileWriter&) = delete;
  DurableFileWriter& operator=(const DurableFileWriter&) = delete;

  const std::string& target() const { return target_; }
  const std::string& temp_path() const { return temp_; }

  // Appends; throws as above.
  void Write(std::string_view bytes);
  // A buffered stream onto the same file (do not mix with Write without flushing it). A failed write sets its
  // badbit; Commit then throws, naming the reason.
  std::ostream& stream();

  // Flushes stream(), fsyncs, renames over the target, fsyncs the directory. Throws as above; at most once.
  void Commit();

 private:
  class Buffer;
  std::string target_;
  std::string temp_;
  int fd_ = -1;
  bool committed_ = false;
  std::unique_ptr<Buffer> buffer_;
  std::unique_ptr<std::ostream> stream_;
};

// ---- building blocks (also used by the archive and the development identity) ---------------------------------

// Creates `path`, which must not exist (O_EXCL), with `mode`; writes `bytes`; fsyncs and closes it. The directory
// entry is not yet durable (SyncDir). On failure the partial file is removed.
void WriteNewFileSynced(const std::string& path, std::string_view bytes, mode_t mode = 0644);
// fsync(2) of a directory ("" means "."), making the creates and renames in it durable. Throws as above.
void SyncDir(const std::string& dir);
// The same, for callers with their own error wording: 0, or the errno of the open or the fsync.
int FsyncDir(const std::string& dir);
// "<pid>.<counter>.<random>": distinct for every call in every thread of every process on this machine.
std::string UniqueTempSuffix();
// write(2) until all of `data` is written (retrying EINTR and short writes); 0, or the errno of the failure.
int WriteAll(int fd, const char* data, size_t size);
// Makes the directory `dir` appear whole or not at all, for state made once on first use by whichever process
// comes first (the development identity and seal): unless `dir/marker` exists already, `fill` writes the files
// into a private temporary directory beside `dir` (mode 0700 while it is written, 0755 when published), which is
// fsynced and renamed into place. rename(2) onto a populated directory fails, so of processes racing, one wins
// and the others use its files. Errors (kUnavailable): the directory cannot be made or published; whatever
// `fill` throws passes through. The temporary directory never stays behind.
void PublishDirectoryOnce(const std::string& dir, const std::string& marker,
                          const std::function<void(const std::string& tmp)>& fill);
// The kind for errno `err` from a file operation: kUnavailable for a full disk (ENOSPC, EDQUOT) and, when
// `writing` (write/fsync/close of file data), for EIO; kInternal otherwise.
ErrorKind FileErrorKind(int err, bool writing);

}  // namespace zhiping
