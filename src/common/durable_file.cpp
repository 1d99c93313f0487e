#include "common/durable_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <streambuf>
#include <vector>

#include "common/messages.h"

namespace zhiping {

namespace {

[[noreturn]] void Fail(const std::string& what, const std::string& path, int err, bool writing) {
  throw Error(FileErrorKind(err, writing), what + " " + path + ": " + std::strerror(err));
}

std::string DirOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string TempPathFor(const std::string& target) {
  size_t slash = target.find_last_of('/');
  std::string dir = slash == std::string::npos ? "" : target.substr(0, slash + 1);
  std::string name = slash == std::string::npos ? target : target.substr(slash + 1);
  return dir + "." + name + ".tmp." + UniqueTempSuffix();
}

// The new file's descriptor, or -1 with errno set.
int OpenExclusive(const std::string& path, mode_t mode) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

int CreateExclusive(const std::string& path, mode_t mode) {
  const int fd = OpenExclusive(path, mode);
  if (fd < 0) Fail("cannot create", path, errno, false);
  return fd;
}

// fsync + close; on failure closes anyway, removes `path` and throws.
void SyncAndClose(int fd, const std::string& path) {
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    ::unlink(path.c_str());
    Fail("cannot fsync", path, err, true);
  }
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(path.c_str());
    Fail("cannot write", path, err, true);
  }
}

}  // namespace

ErrorKind FileErrorKind(int err, bool writing) {
  if (err == ENOSPC || err == EDQUOT) return ErrorKind::kUnavailable;
  if (err == EIO && writing) return ErrorKind::kUnavailable;
  return ErrorKind::kInternal;
}

int WriteAll(int fd, const char* data, size_t size) {
  for (size_t done = 0; done < size;) {
    ssize_t w = ::write(fd, data + done, size - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    done += static_cast<size_t>(w);
  }
  return 0;
}

std::string UniqueTempSuffix() {
  // The pid keeps processes apart, the counter keeps this process's threads apart, and the random part keeps a
  // reused pid (a crashed writer's leftovers) from colliding; O_EXCL makes any remaining collision an error, not a
  // shared file.
  static std::atomic<unsigned long> counter{0};
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[96];
  std::snprintf(buf, sizeof buf, "%ld.%lu.%08lx", static_cast<long>(::getpid()), counter.fetch_add(1),
                static_cast<unsigned long>(rng() & 0xffffffffUL));
  return buf;
}

int FsyncDir(const std::string& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  int err = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  return err;
}

void SyncDir(const std::string& dir) {
  if (int err = FsyncDir(dir)) Fail("cannot fsync directory", dir.empty() ? "." : dir, err, true);
}

void WriteNewFileSynced(const std::string& path, std::string_view bytes, mode_t mode) {
  int fd = CreateExclusive(path, mode);
  if (int err = WriteAll(fd, bytes.data(), bytes.size())) {
    ::close(fd);
    ::unlink(path.c_str());
    Fail("cannot write", path, err, true);
  }
  SyncAndClose(fd, path);
}

// ---- DurableFileWriter ------------------------------------------------------------------------------------------

class DurableFileWriter::Buffer : public std::streambuf {
 public:
  explicit Buffer(int fd) : fd_(fd), data_(1 << 16) { setp(data_.data(), data_.data() + data_.size()); }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type ch) override {
    if (Drain() != 0) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override { return Drain() == 0 ? 0 : -1; }

 private:
  int Drain() {
    if (error_ == 0) error_ = WriteAll(fd_, pbase(), static_cast<size_t>(pptr() - pbase()));
    setp(data_.data(), data_.data() + data_.size());
    return error_;
  }
  int fd_;
  int error_ = 0;
  std::vector<char> data_;
};

namespace {

// The file a user named cannot be made: said of that file (not of its temporary name), in the process's
// language, with a kind the command line turns into its exit status (a missing folder is a usage mistake).
[[noreturn]] void ThrowCannotCreateOutput(const std::string& target, int err) {
  const Lang lang = ProcessLanguage();
  const std::string folder = DirOf(target);
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      throw Error(ErrorKind::kInvalidInput, RenderMessage(Msg::kOutputFolderMissing, {target, folder}, lang));
    case EACCES:
    case EPERM:
    case EROFS:
      throw Error(ErrorKind::kInvalidInput, RenderMessage(Msg::kOutputNotPermitted, {target, folder}, lang));
    case ENOSPC:
    case EDQUOT:
      throw Error(ErrorKind::kUnavailable, RenderMessage(Msg::kOutputDiskFull, {target}, lang));
    default:
      throw Error(FileErrorKind(err, false),
                  RenderMessage(Msg::kOutputCannotCreate, {target, std::string(std::strerror(err))}, lang));
  }
}

}  // namespace

DurableFileWriter::DurableFileWriter(std::string target, mode_t mode)
    : target_(std::move(target)), temp_(TempPathFor(target_)) {
  fd_ = OpenExclusive(temp_, mode);
  if (fd_ < 0) ThrowCannotCreateOutput(target_, errno);
}

DurableFileWriter::~DurableFileWriter() {
  if (committed_) return;
  if (fd_ >= 0) ::close(fd_);
  ::unlink(temp_.c_str());
}

void DurableFileWriter::Write(std::string_view bytes) {
  if (committed_ || fd_ < 0) throw Error(ErrorKind::kInternal, "write to " + target_ + " after Commit");
  if (int err = WriteAll(fd_, bytes.data(), bytes.size())) Fail("cannot write", temp_, err, true);
}

std::ostream& DurableFileWriter::stream() {
  if (!stream_) {
    buffer_ = std::make_unique<Buffer>(fd_);
    stream_ = std::make_unique<std::ostream>(buffer_.get());
  }
  return *stream_;
}

void DurableFileWriter::Commit() {
  if (committed_ || fd_ < 0) throw Error(ErrorKind::kInternal, "second Commit of " + target_);
  if (stream_) {
    stream_->flush();
    if (buffer_->error() != 0) Fail("cannot write", temp_, buffer_->error(), true);
    if (!*stream_) throw Error(ErrorKind::kInternal, "cannot write " + temp_ + ": the stream failed");
  }
  int fd = fd_;
  fd_ = -1;              // SyncAndClose closes it (and removes the file on failure)
  SyncAndClose(fd, temp_);
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    int err = errno;
    ::unlink(temp_.c_str());
    Fail("cannot rename " + temp_ + " to", target_, err, false);
  }
  committed_ = true;  // from here the temporary name is gone: nothing for the destructor to remove
  try {
    SyncDir(DirOf(target_));
  } catch (const Error& e) {
    throw Error(e.kind(), std::string(e.what()) + " (" + target_ + " was replaced but may not survive a crash)");
  }
}

void WriteFileDurably(const std::string& path, std::string_view bytes, mode_t mode) {
  DurableFileWriter writer(path, mode);
  writer.Write(bytes);
  writer.Commit();
}

void PublishDirectoryOnce(const std::string& dir_text, const std::string& marker,
                          const std::function<void(const std::string& tmp)>& fill) {
  namespace sfs = std::filesystem;
  const sfs::path dir(dir_text);
  if (sfs::exists(dir / marker)) return;
  std::error_code ec;
  const sfs::path parent = dir.parent_path().empty() ? sfs::path(".") : dir.parent_path();
  sfs::create_directories(parent, ec);
  const sfs::path tmp = parent / ("." + dir.filename().string() + ".tmp." + UniqueTempSuffix());
  if (::mkdir(tmp.c_str(), 0700) != 0)
    throw Error(ErrorKind::kUnavailable, "cannot create " + tmp.string() + ": " + std::strerror(errno));
  try {
    fill(tmp.string());
    ::chmod(tmp.c_str(), 0755);
    FsyncDir(tmp.string());  // the names in it, before the directory that holds them is published
    // rename(2) onto a missing or empty directory succeeds; onto a populated one (the race was lost) it fails.
    if (::rename(tmp.c_str(), dir.c_str()) != 0) {
      const int err = errno;
      sfs::remove_all(tmp, ec);
      if (sfs::exists(dir / marker)) return;
      throw Error(ErrorKind::kUnavailable, "cannot create " + dir.string() + ": " + std::strerror(err));
    }
    FsyncDir(parent.string());  // best effort: a lost rename only means the state is made again next time
  } catch (...) {
    sfs::remove_all(tmp, ec);
    throw;
  }
}

}  // namespace zhiping
