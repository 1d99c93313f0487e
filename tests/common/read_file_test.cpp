// common/json.h ReadFile: a file's bytes exactly, whatever its size or kind (regular file, pipe), and a clear
// kNotFound naming the path when it cannot be read.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <thread>

#include "common/error.h"
#include "common/json.h"
#include "support/temp_dir.h"

namespace zhiping {
namespace {

std::string Bytes(size_t n) {
  std::mt19937 gen(static_cast<unsigned>(n));
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(gen());
  return s;
}

TEST(common_ReadFile, GivesEveryByteOfFilesOfAnySize) {
  const std::string dir = testing::FreshDir("read-file");
  for (size_t n : {size_t{0}, size_t{1}, size_t{8191}, size_t{65536}, size_t{65537}, size_t{3} << 20}) {
    const std::string path = dir + "/f" + std::to_string(n);
    const std::string bytes = Bytes(n);
    std::ofstream(path, std::ios::binary) << bytes;
    EXPECT_TRUE(ReadFile(path) == bytes) << n;
  }
}

TEST(common_ReadFile, ReadsAPipeWhoseSizeIsUnknown) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string bytes = Bytes(200000);  // more than a pipe holds: the writer blocks until it is read
  std::thread writer([&] {
    for (size_t done = 0; done < bytes.size();) {
      const ssize_t w = ::write(fds[1], bytes.data() + done, bytes.size() - done);
      if (w <= 0) break;
      done += static_cast<size_t>(w);
    }
    ::close(fds[1]);
  });
  const std::string got = ReadFile("/proc/self/fd/" + std::to_string(fds[0]));
  writer.join();
  ::close(fds[0]);
  EXPECT_TRUE(got == bytes) << got.size();
}

TEST(common_ReadFile, AMissingFileOrAFolderIsNotFoundNamingThePath) {
  const std::string dir = testing::FreshDir("read-file-missing");
  for (const std::string& path : {dir + "/no-such-file.json", dir}) {
    try {
      ReadFile(path);
      FAIL() << "read " << path;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }
}

// A bound stops a file or an endless stream at the bound (the command line's inputs, common/command_line.h).
TEST(common_ReadFile, StopsPastItsBound) {
  const std::string dir = testing::FreshDir("read-file-bound");
  const std::string path = dir + "/f";
  std::ofstream(path, std::ios::binary) << Bytes(100000);
  std::string out;
  EXPECT_TRUE(TryReadFile(path, 100000, &out));
  EXPECT_EQ(out.size(), 100000u);
  EXPECT_FALSE(TryReadFile(path, 99999, &out));
  EXPECT_FALSE(TryReadFile("/dev/zero", 1 << 20, &out)) << "an endless file ends at the bound";
  EXPECT_LE(out.size(), (1u << 20) + 64 * 1024);
}

}  // namespace
}  // namespace zhiping
