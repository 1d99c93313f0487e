#include "archive/fs_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/durable_file.h"
#include "common/error.h"

namespace zhiping::archive::fs {

int (*g_fault_hook)(const char* op, const std::string& path) = nullptr;

namespace {

// errno of an injected fault for `op` on `path`, 0 for none (production).
int Injected(const char* op, const std::string& path) {
  return g_fault_hook != nullptr ? g_fault_hook(op, path) : 0;
}

[[noreturn]] void Fail(const std::string& what, const std::string& path, int err) { ThrowErrno(what, path, err); }
// For write(2), fsync(2) and close(2) of file data, where EIO means the disk failed the write.
[[noreturn]] void FailWrite(const std::string& what, const std::string& path, int err) {
  ThrowErrno(what, path, err, /*writing=*/true);
}

// One segment opened below `dir` without following a link; `flags` adds O_DIRECTORY for the inner segments.
int OpenSegment(int dir, const std::string& name, int flags) {
  if (name.empty() || name == "." || name == ".." || name.find('\0') != std::string::npos) {
    errno = EINVAL;
    return -1;
  }
  int fd;
  do {
    fd = ::openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | flags);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

// Feeds `fd` to `sink` in blocks and closes it, also when `sink` throws; `name` is for messages.
void ReadAndClose(int fd, const std::string& name, const std::function<void(const char* data, size_t size)>& sink) {
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      Fail("cannot read", name, err);
    }
    if (n == 0) break;
    try {
      sink(buf, static_cast<size_t>(n));
    } catch (...) {
      ::close(fd);
      throw;
    }
  }
  ::close(fd);
}

}  // namespace

void ThrowErrno(const std::string& what, const std::string& path, int err, bool writing) {
  // A full disk (or quota) is a condition of the moment, and so is a disk that failed a write: the caller may
  // retry later, and the service answers 503. Everything else is ours.
  const std::string detail = what + " " + path + ": " + std::strerror(err);
  if (FileErrorKind(err, writing) != ErrorKind::kUnavailable) throw Error(ErrorKind::kInternal, detail);
  throw Error(ErrorKind::kUnavailable,
              (err == EIO ? "the archive's disk failed a write (" : "the archive's disk is full (") + detail + ")");
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

bool IsDir(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool IsFile(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::vector<DirEntry> List(const std::string& path) {
  std::vector<DirEntry> out;
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) return out;
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    DirEntry entry;
    entry.name = name;
    struct stat st;
    if (::lstat(Join(path, name).c_str(), &st) == 0) {
      entry.is_dir = S_ISDIR(st.st_mode);
      entry.is_file = S_ISREG(st.st_mode);
    }
    out.push_back(entry);
  }
  ::closedir(d);
  std::sort(out.begin(), out.end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return out;
}

std::string Read(const std::string& path) {
  std::string out;
  ReadChunks(path, [&](const char* data, size_t size) { out.append(data, size); });
  return out;
}

void ReadChunks(const std::string& path, const std::function<void(const char* data, size_t size)>& sink) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorKind::kNotFound, "cannot read " + path + ": " + std::strerror(errno));
  ReadAndClose(fd, path, sink);
}

int OpenBeneath(const std::string& base, const std::string& relative) {
  int dir = ::open(base.empty() ? "." : base.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return -1;
  size_t start = 0;
  for (;;) {
    size_t slash = relative.find('/', start);
    const bool last = slash == std::string::npos;
    std::string name = relative.substr(start, last ? std::string::npos : slash - start);
    int next = OpenSegment(dir, name, last ? 0 : O_DIRECTORY);
    int err = errno;
    ::close(dir);
    if (next < 0) {
      errno = err;
      return -1;
    }
    if (last) {
      struct stat st;
      if (::fstat(next, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(next);
        errno = EINVAL;
        return -1;
      }
      return next;
    }
    dir = next;
    start = slash + 1;
  }
}

void ReadChunksBeneath(const std::string& base, const std::string& relative,
                       const std::function<void(const char* data, size_t size)>& sink) {
  int fd = OpenBeneath(base, relative);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) throw Error(ErrorKind::kNotFound, "cannot read " + relative + ": " + std::strerror(err));
    if (err == ELOOP) throw Error(ErrorKind::kInternal, relative + " leads through a symbolic link; not followed");
    throw Error(ErrorKind::kInternal, "cannot read " + relative + ": " + std::strerror(err));
  }
  ReadAndClose(fd, relative, sink);
}

std::string ReadBeneath(const std::string& base, const std::string& relative) {
  std::string out;
  ReadChunksBeneath(base, relative, [&](const char* data, size_t size) { out.append(data, size); });
  return out;
}

bool FileSizeBeneath(const std::string& base, const std::string& relative, uint64_t* size) {
  *size = 0;
  int fd = OpenBeneath(base, relative);
  if (fd < 0) return false;
  struct stat st;
  bool ok = ::fstat(fd, &st) == 0;
  if (ok) *size = static_cast<uint64_t>(st.st_size);
  int err = errno;
  ::close(fd);
  errno = err;
  return ok;
}

void SyncDir(const std::string& path) {
  if (int err = FsyncDir(path)) FailWrite("cannot fsync directory", path, err);
}

void MakeDirs(const std::string& path, bool sync) {
  if (path.empty() || IsDir(path)) return;
  std::string parent = Dirname(path);
  if (!parent.empty()) MakeDirs(parent, sync);
  if (int injected = Injected("mkdir", path)) Fail("cannot create directory", path, injected);
  if (::mkdir(path.c_str(), 0755) != 0) {
    if (errno == EEXIST && IsDir(path)) return;  // another writer made it first
    Fail("cannot create directory", path, errno);
  }
  if (!sync) return;
  SyncDir(path);
  SyncDir(parent.empty() ? "." : parent);
}

namespace {

void WriteNewFile(const std::string& path, const std::string& bytes, bool sync) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) Fail("cannot create", path, errno);
  // One injection point for the bytes (a regular file takes them in one write(2)); none for an empty file.
  int err = bytes.empty() ? 0 : Injected("write", path);
  if (err == 0) err = WriteAll(fd, bytes.data(), bytes.size());
  if (err != 0) {
    ::close(fd);
    FailWrite("cannot write", path, err);
  }
  if (sync) {
    err = Injected("fsync", path);
    if (err == 0 && ::fsync(fd) != 0) err = errno;
    if (err != 0) {
      ::close(fd);
      FailWrite("cannot fsync", path, err);
    }
  }
  if (::close(fd) != 0) FailWrite("cannot close", path, errno);
}

}  // namespace

void WriteFileDurable(const std::string& path, const std::string& bytes) { WriteNewFile(path, bytes, true); }

void WriteFileStaged(const std::string& path, const std::string& bytes) { WriteNewFile(path, bytes, false); }

void LinkOrWriteDurable(const std::string& existing, const std::string& path, const std::string& bytes) {
  int err = Injected("link", path);
  if (err == 0 && ::link(existing.c_str(), path.c_str()) != 0) err = errno;
  if (err == 0) return;
  if (err == EPERM || err == EXDEV || err == EMLINK || err == EOPNOTSUPP || err == ENOSYS) {
    WriteFileDurable(path, bytes);
    return;
  }
  FailWrite("cannot link", path, err);
}

bool RenameNoReplace(const std::string& from, const std::string& to) {
  if (int injected = Injected("rename", to)) {
    errno = injected;
    return false;
  }
  return ::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0;
}

void Rename(const std::string& from, const std::string& to) {
  if (int injected = Injected("rename", to)) Fail("cannot rename " + from + " to", to, injected);
  if (::rename(from.c_str(), to.c_str()) != 0) Fail("cannot rename " + from + " to", to, errno);
}

void RemoveTree(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return;
  if (S_ISDIR(st.st_mode)) {
    for (const auto& e : List(path)) RemoveTree(Join(path, e.name));
    if (::rmdir(path.c_str()) != 0 && errno != ENOENT) Fail("cannot remove", path, errno);
  } else if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    Fail("cannot remove", path, errno);
  }
}

std::string Dirname(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return "";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string Join(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (a.back() == '/') return a + b;
  return a + "/" + b;
}

FileLock::FileLock(const std::string& path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) Fail("cannot open lock file", path, errno);
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    int err = errno;
    ::close(fd_);
    fd_ = -1;
    Fail("cannot lock", path, err);
  }
}

FileLock::FileLock(const std::string& path, bool try_only) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) Fail("cannot open lock file", path, errno);
  int rc;
  do {
    rc = ::flock(fd_, try_only ? (LOCK_EX | LOCK_NB) : LOCK_EX);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

}  // namespace zhiping::archive::fs
