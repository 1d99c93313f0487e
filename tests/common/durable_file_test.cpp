// DurableFileWriter / WriteFileDurably: a target is replaced by one complete write or not at all, by any number of
// threads and processes at once, and no temporary file outlives its writer.
#include "common/durable_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "common/json.h"
#include "common/messages.h"

namespace zhiping {
namespace {

namespace fs = std::filesystem;

std::string FreshDir(const std::string& tag) {
  const char* root = std::getenv("ZHIPING_TEST_TMP");
  static std::atomic<int> n{0};
  fs::path dir = fs::path(root && *root ? root : "/tmp") /
                 ("durable-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  return names;
}

// Content that identifies its writer and is checkable whole: "<tag>:" then `size` copies of one letter, then "$".
std::string Content(const std::string& tag, size_t size) {
  return tag + ":" + std::string(size, static_cast<char>('a' + std::hash<std::string>{}(tag) % 26)) + "$";
}
bool IsWhole(const std::string& bytes, size_t size) {
  size_t colon = bytes.find(':');
  return colon != std::string::npos && bytes == Content(bytes.substr(0, colon), size);
}

TEST(DurableFile, WritesAndReplaces) {
  const std::string dir = FreshDir("replace");
  const std::string target = dir + "/out.bin";
  WriteFileDurably(target, "first");
  EXPECT_EQ(ReadFile(target), "first");
  WriteFileDurably(target, std::string("sec\0ond", 7));
  EXPECT_EQ(ReadFile(target), std::string("sec\0ond", 7));
  EXPECT_EQ(Names(dir), std::vector<std::string>{"out.bin"});
  struct stat st{};
  WriteFileDurably(dir + "/key", "secret", 0600);
  ASSERT_EQ(::stat((dir + "/key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

// An output a user named in a folder that is not there, or one they may not write in: a usage mistake told of the
// file they named (never the temporary name), in their language, and nothing is left behind.
TEST(DurableFile, AnOutputThatCannotBeMadeIsToldOfTheNamedFileInTheUsersLanguage) {
  const std::string dir = FreshDir("cannot-create");
  const std::string missing = dir + "/no-such-folder/letters.zip";
  SetProcessLanguage(Lang::kZh);
  try {
    DurableFileWriter writer(missing);
    FAIL() << "created a file in a missing folder";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(std::string(e.what()),
              "无法写入 " + missing + "：文件夹 " + dir + "/no-such-folder 不存在");
  }
  SetProcessLanguage(Lang::kEn);
  WriteFileDurably(dir + "/a-file", "x");
  for (const std::string& target : {missing, dir + "/a-file/under-a-file.pdf"}) {  // ENOENT; ENOTDIR
    try {
      WriteFileDurably(target, "x");
      FAIL() << "created " << target;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
      EXPECT_EQ(std::string(e.what()).rfind("cannot write " + target + ": the folder ", 0), 0u) << e.what();
      EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find(".tmp."), std::string::npos) << "the temporary name is ours, not theirs";
    }
  }
  fs::remove(dir + "/a-file");
  if (::geteuid() != 0) {  // root may write anywhere
    const std::string locked = dir + "/locked";
    fs::create_directories(locked);
    fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
    try {
      DurableFileWriter writer(locked + "/out.pdf");
      FAIL() << "created a file in a read-only folder";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
      EXPECT_NE(std::string(e.what()).find("no permission to write in the folder " + locked), std::string::npos)
          << e.what();
    }
    fs::permissions(locked, fs::perms::owner_all);
  }
  SetProcessLanguage(Lang::kZh);
  EXPECT_EQ(Names(dir), std::vector<std::string>{});
}

TEST(DurableFile, StreamedWriteBecomesTheTargetOnlyAtCommit) {
  const std::string dir = FreshDir("stream");
  const std::string target = dir + "/letters.zip";
  WriteFileDurably(target, "old");
  std::string expected;
  {
    DurableFileWriter out(target);
    EXPECT_EQ(fs::path(out.temp_path()).parent_path(), fs::path(target).parent_path());
    for (int i = 0; i < 20000; ++i) {  // ~190 KB: several refills of the stream's buffer
      out.stream() << "line " << i << "\n";
      expected += "line " + std::to_string(i) + "\n";
    }
    EXPECT_EQ(ReadFile(target), "old");  // nothing visible before Commit
    out.Commit();
    EXPECT_FALSE(fs::exists(out.temp_path()));
  }
  EXPECT_EQ(ReadFile(target), expected);
  EXPECT_EQ(Names(dir), std::vector<std::string>{"letters.zip"});
}

TEST(DurableFile, AFileWrittenByNameAtTheTempPathIsCommitted) {
  // As libxlsxwriter does: it opens the temporary file by name, truncating it, and writes it itself.
  const std::string dir = FreshDir("byname");
  const std::string target = dir + "/roster.xlsx";
  DurableFileWriter out(target);
  {
    FILE* f = std::fopen(out.temp_path().c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs("PK workbook", f);
    std::fclose(f);
  }
  out.Commit();
  EXPECT_EQ(ReadFile(target), "PK workbook");
  EXPECT_EQ(Names(dir), std::vector<std::string>{"roster.xlsx"});
}

TEST(DurableFile, AWriterAbandonedMidwayLeavesNothing) {
  const std::string dir = FreshDir("abandon");
  const std::string target = dir + "/out.zip";
  try {
    DurableFileWriter out(target);
    out.Write("half of a zip");
    out.stream() << "more";
    throw std::runtime_error("the producer failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(Names(dir).empty());

  WriteFileDurably(target, "good");
  {
    DurableFileWriter out(target);
    out.Write("half");
  }  // no Commit
  EXPECT_EQ(ReadFile(target), "good");
  EXPECT_EQ(Names(dir), std::vector<std::string>{"out.zip"});
}

TEST(DurableFile, AWriteThatFailsMidwayLeavesTheOldFileAndNoTemp) {
  // A real failing write(2): the file size limit makes the kernel refuse the bytes past 64 KiB (EFBIG), as a full
  // disk would. SIGXFSZ is ignored so that the call returns the error instead of killing the process.
  const std::string dir = FreshDir("efbig");
  const std::string target = dir + "/big.bin";
  WriteFileDurably(target, "old");
  struct rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto old_handler = ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = saved;
  small.rlim_cur = 64 * 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string error;
  try {
    WriteFileDurably(target, std::string(1 << 20, 'x'));
  } catch (const Error& e) {
    error = e.what();
  }
  std::string streamed_error;
  try {
    DurableFileWriter out(target);
    for (int i = 0; i < 100000; ++i) out.stream() << "0123456789";
    out.Commit();
  } catch (const Error& e) {
    streamed_error = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &saved);
  ::signal(SIGXFSZ, old_handler);
  EXPECT_NE(error.find("cannot write"), std::string::npos) << error;
  EXPECT_NE(streamed_error.find("cannot write"), std::string::npos) << streamed_error;
  EXPECT_EQ(ReadFile(target), "old");
  EXPECT_EQ(Names(dir), std::vector<std::string>{"big.bin"});
}

TEST(DurableFile, AFailedRenameLeavesNoTemp) {
  const std::string dir = FreshDir("rename");
  fs::create_directories(dir + "/taken/inside");  // a non-empty directory cannot be replaced by a file
  try {
    WriteFileDurably(dir + "/taken", "bytes");
    ADD_FAILURE() << "replaced a directory";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInternal);
    EXPECT_NE(std::string(e.what()).find(dir + "/taken"), std::string::npos) << e.what();
  }
  EXPECT_EQ(Names(dir), std::vector<std::string>{"taken"});
  try {
    WriteFileDurably(dir + "/missing/out", "bytes");
    ADD_FAILURE() << "wrote into a missing directory";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(dir + "/missing"), std::string::npos) << e.what();
  }
}

TEST(DurableFile, TempNamesAreUniqueAcrossThreads) {
  constexpr int kThreads = 8, kEach = 2000;
  std::vector<std::vector<std::string>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) seen[t].push_back(UniqueTempSuffix());
    });
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  for (const auto& v : seen) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(all.begin()->rfind(std::to_string(::getpid()) + ".", 0), 0u) << *all.begin();
}

// Many threads of this process and two other processes replace one target at once, while a reader keeps reading
// it: every read and the final file are one complete write, and no temporary file is left.
TEST(DurableFile, ConcurrentWritersOfOneTargetEachInstallAWholeFile) {
  const std::string dir = FreshDir("concurrent");
  const std::string target = dir + "/shared.json";
  constexpr size_t kSize = 200 * 1024;
  constexpr int kThreads = 8, kProcesses = 2, kRounds = 15;
  WriteFileDurably(target, Content("initial", kSize));

  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int status = 0;
      try {
        for (int r = 0; r < kRounds; ++r)
          WriteFileDurably(target, Content("process" + std::to_string(p) + "-" + std::to_string(r), kSize));
      } catch (...) {
        status = 1;
      }
      ::_exit(status);
    }
    children.push_back(pid);
  }

  std::atomic<bool> writers_done{false};
  std::atomic<int> failures{0}, torn{0}, reads{0};
  std::thread reader([&] {
    while (!writers_done.load()) {
      if (!IsWhole(ReadFile(target), kSize)) ++torn;
      ++reads;
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t)
    writers.emplace_back([&, t] {
      for (int r = 0; r < kRounds; ++r) {
        try {
          WriteFileDurably(target, Content("thread" + std::to_string(t) + "-" + std::to_string(r), kSize));
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  for (auto& w : writers) w.join();
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a writer process failed";
  }
  writers_done = true;
  reader.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(torn.load(), 0) << "of " << reads.load() << " reads";
  EXPECT_GT(reads.load(), 0);
  const std::string final_bytes = ReadFile(target);
  EXPECT_TRUE(IsWhole(final_bytes, kSize)) << final_bytes.substr(0, 40);
  EXPECT_NE(final_bytes.rfind("initial:", 0), 0u);
  EXPECT_EQ(Names(dir), std::vector<std::string>{"shared.json"});
}

}  // namespace
}  // namespace zhiping
