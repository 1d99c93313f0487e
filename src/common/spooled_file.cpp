#include "common/spooled_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/durable_file.h"
#include "common/error.h"

namespace zhiping {

SpooledFile::SpooledFile() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/zhiping-body-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  fd_ = ::mkstemp(name.data());
  if (fd_ < 0) {
    throw Error(ErrorKind::kUnavailable,
                "cannot create a temporary file " + pattern + ": " + std::strerror(errno));
  }
  path_ = name.data();
}

SpooledFile::~SpooledFile() {
  if (fd_ >= 0) ::close(fd_);
  ::unlink(path_.c_str());
}

void SpooledFile::Write(const char* data, size_t size) {
  if (fd_ < 0) throw Error(ErrorKind::kInternal, "write to " + path_ + " after Close");
  if (int err = WriteAll(fd_, data, size))
    throw Error(ErrorKind::kUnavailable, "cannot write " + path_ + ": " + std::strerror(err));
  size_ += size;
}

bool SpooledFile::CopyFrom(int fd, size_t max_bytes) {
  std::vector<char> buffer(1 << 20);
  while (true) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(ErrorKind::kUnavailable, std::string("cannot read the input: ") + std::strerror(errno));
    if (n == 0) return true;
    if (size_ + static_cast<size_t>(n) > max_bytes) return false;
    Write(buffer.data(), static_cast<size_t>(n));
  }
}

void SpooledFile::Close() {
  if (fd_ < 0) return;
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw Error(ErrorKind::kUnavailable, "cannot write " + path_ + ": " + std::strerror(errno));
}

}  // namespace zhiping
