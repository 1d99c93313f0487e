// SpooledFile: bytes written to a private temporary file in $TMPDIR, which is gone with the object.
#include "common/spooled_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "common/error.h"
#include "common/json.h"

namespace zhiping {
namespace {

TEST(SpooledFile, HoldsWhatWasWrittenAndIsRemovedAfterwards) {
  std::string path;
  {
    SpooledFile file;
    path = file.path();
    EXPECT_EQ(path.find("zhiping-body-"), path.rfind('/') + 1) << path;
    struct stat st{};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);  // a body holds personal data: nobody else reads it
    std::string big(3 << 20, 'x');
    file.Write("{\"a\": ", 6);
    file.Write(big.data(), big.size());
    file.Close();
    EXPECT_EQ(file.size(), big.size() + 6);
    EXPECT_EQ(ReadFile(path).substr(0, 7), "{\"a\": x");
    EXPECT_EQ(ReadFile(path).size(), big.size() + 6);
  }
  EXPECT_NE(::access(path.c_str(), F_OK), 0) << path << " is still there";
}

TEST(SpooledFile, CopiesAFileDescriptorToItsEnd) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string text = "[1, 2, 3]";
  ASSERT_EQ(::write(fds[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(fds[1]);
  SpooledFile file;
  EXPECT_TRUE(file.CopyFrom(fds[0], text.size()));
  ::close(fds[0]);
  file.Close();
  EXPECT_EQ(ReadFile(file.path()), text);
}

TEST(SpooledFile, StopsAnEndlessStreamAtItsBound) {
  const int zero = ::open("/dev/zero", O_RDONLY);
  ASSERT_GE(zero, 0);
  SpooledFile file;
  EXPECT_FALSE(file.CopyFrom(zero, size_t{3} << 20));
  ::close(zero);
  EXPECT_LE(file.size(), size_t{3} << 20);
}

TEST(SpooledFile, AnUnusableTmpdirIsKUnavailable) {
  const char* old = std::getenv("TMPDIR");
  std::string saved = old ? old : "";
  ::setenv("TMPDIR", "/nonexistent/zhiping", 1);
  try {
    SpooledFile file;
    ADD_FAILURE() << "made " << file.path();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/zhiping"), std::string::npos) << e.what();
  }
  if (old) ::setenv("TMPDIR", saved.c_str(), 1);
  else ::unsetenv("TMPDIR");
}

}  // namespace
}  // namespace zhiping
