// common/spooled_file.h — a temporary file that holds a body copied from a stream, removed with the object.
//
// For bodies a reader takes piece by piece rather than whole in memory: a roster of 100,000 applicants (54 MB of
// JSON) piped to `zhiping render` or POSTed to /v1/render/roster-…, which model::LazyBody then reads from the file.
// The file lives in $TMPDIR (else /tmp), is created 0600 with mkstemp, and is unlinked by the destructor whatever
// happened.
#pragma once

#include <cstddef>
#include <string>

namespace zhiping {

class SpooledFile {
 public:
  SpooledFile();  // throws zhiping::Error kUnavailable when no temporary file can be made
  ~SpooledFile();
  SpooledFile(const SpooledFile&) = delete;
  SpooledFile& operator=(const SpooledFile&) = delete;

  // Appends; throws kUnavailable naming the file (disk full, …).
  void Write(const char* data, size_t size);
  // Copies file descriptor `fd` to its end (stdin), or until more than `max_bytes` came: then false (an endless
  // stream must not fill the disk). Throws kUnavailable when it cannot be read.
  bool CopyFrom(int fd, size_t max_bytes);
  void Close();  // after the last Write; throws kUnavailable when the bytes cannot be flushed

  const std::string& path() const { return path_; }
  size_t size() const { return size_; }

 private:
  std::string path_;
  int fd_ = -1;
  size_t size_ = 0;
};

}  // namespace zhiping
