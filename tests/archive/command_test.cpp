// `zhiping archive ...` called as a function: output, files and exit codes.
#include "archive/archive_command.h"

#include <gtest/gtest.h>

#include <sstream>

#include "archive/archive.h"
#include "archive/fs_util.h"
#include "test_util.h"

namespace zhiping::archive {
namespace {

struct CmdResult {
  int code;
  std::string out;
  std::string err;
};

CmdResult Cmd(const std::string& root, std::vector<std::string> args, bool terminal = false) {
  std::ostringstream out, err;
  int code = RunArchiveCommand(args, root, out, err, terminal);
  return {code, out.str(), err.str()};
}

class archive_command : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = scratch_.path();
    Store store(root_);
    store.Commit(ApplicantObjectId("ZG2022-000123"), {{"letter.pdf", "letter v1"}, {"letter.json", "{}"}},
                 {"clerk", "urn:zhiping:user:clerk"}, "first letter");
    store.Commit(ApplicantObjectId("ZG2022-000123"), {{"letter.pdf", "letter v2"}}, {"clerk", ""}, "reissue");
    store.Commit(BatchObjectId("2022-1"), {{"notice.pdf", "notice"}}, {"clerk", ""}, "notice");
  }
  testing::ScratchDir scratch_{"cmd"};
  std::string root_;
};

TEST_F(archive_command, Ls) {
  CmdResult r = Cmd(root_, {"ls", "ZG2022-000123"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("letter.pdf  9  "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  v2\n"), std::string::npos) << r.out;
  r = Cmd(root_, {"ls", "ZG2022-000123", "--versions"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("v1  "), std::string::npos);
  EXPECT_NE(r.out.find("first letter"), std::string::npos);
  EXPECT_NE(r.out.find("reissue"), std::string::npos);
  r = Cmd(root_, {"ls", "--batch", "2022-1"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("notice.pdf"), std::string::npos);
  EXPECT_EQ(Cmd(root_, {"ls", "NOBODY"}).code, 1);
  EXPECT_EQ(Cmd(root_, {"ls", "../x"}).code, 2);
  EXPECT_EQ(Cmd(root_, {"ls"}).code, 2);
  EXPECT_EQ(Cmd(root_, {"ls", "a", "b"}).code, 2);
  EXPECT_EQ(Cmd(root_, {"ls", "a", "--bogus"}).code, 2);
}

TEST_F(archive_command, Get) {
  CmdResult r = Cmd(root_, {"get", "ZG2022-000123", "letter.pdf"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "letter v2");
  r = Cmd(root_, {"get", "ZG2022-000123", "letter.pdf", "--version", "v1"});
  EXPECT_EQ(r.out, "letter v1");
  testing::ScratchDir elsewhere("cmd-out");
  std::string out = elsewhere.path() + "/letter-v1.pdf";
  r = Cmd(root_, {"get", "ZG2022-000123", "letter.pdf", "--version", "v1", "-o", out});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(fs::Read(out), "letter v1");
  EXPECT_EQ(Cmd(root_, {"get", "--batch", "2022-1", "notice.pdf"}).out, "notice");
  r = Cmd(root_, {"get", "ZG2022-000123", "missing.pdf"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("missing.pdf"), std::string::npos);
  EXPECT_EQ(Cmd(root_, {"get", "ZG2022-000123", "letter.pdf", "--version", "v7"}).code, 1);
  EXPECT_EQ(Cmd(root_, {"get", "ZG2022-000123"}).code, 2);
  EXPECT_EQ(Cmd(root_, {"get", "a b", "letter.pdf"}).code, 2);
  EXPECT_EQ(Cmd(root_, {"get", "ZG2022-000123", "letter.pdf", "--version"}).code, 2);
}

// Issue 9: `archive get … letter.pdf` without -o wrote the PDF onto the terminal.
TEST_F(archive_command, GetRefusesBinaryOntoATerminalButNotText) {
  Store store(root_);
  store.Commit(ApplicantObjectId("ZG2022-000124"),
               {{"letter.pdf", std::string("%PDF-1.7\n\0\xe2\x80" "binary", 18)}, {"letter.json", "{\"姓名\": \"张三\"}\n"}},
               {"clerk", ""}, "binary");
  CmdResult r = Cmd(root_, {"get", "ZG2022-000124", "letter.pdf"}, /*terminal=*/true);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_TRUE(r.out.empty()) << "binary bytes reached the terminal";
  EXPECT_NE(r.err.find("-o letter.pdf"), std::string::npos) << r.err;
  // Text is fine on a terminal; -o - forces stdout; without a terminal stdout is a pipe and gets the bytes.
  r = Cmd(root_, {"get", "ZG2022-000124", "letter.json"}, true);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"姓名\": \"张三\"}\n");
  r = Cmd(root_, {"get", "ZG2022-000124", "letter.pdf", "-o", "-"}, true);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.size(), 18u);
  r = Cmd(root_, {"get", "ZG2022-000124", "letter.pdf"}, false);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.size(), 18u);
}

TEST_F(archive_command, VerifyAndHelp) {
  CmdResult r = Cmd(root_, {"verify"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("正常：2 个对象均有效"), std::string::npos) << r.out;
  EXPECT_EQ(Cmd(root_, {"verify", "ZG2022-000123", "--batch", "2022-1"}).code, 0);
  EXPECT_EQ(Cmd(root_, {"verify", "NOBODY"}).code, 1);
  EXPECT_EQ(Cmd(root_, {"verify", std::string(65, 'x')}).code, 2);

  Store store(root_);
  std::string obj = store.ObjectRoot(ApplicantObjectId("ZG2022-000123"));
  std::string path = obj + "/v1/content/letter.json";
  fs::RemoveTree(path);
  fs::WriteFileDurable(path, "{ }");
  r = Cmd(root_, {"verify", "ZG2022-000123"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("[E092]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("v1/content/letter.json"), std::string::npos) << r.err;
  EXPECT_EQ(Cmd(root_, {"verify"}).code, 1);
  EXPECT_EQ(Cmd(root_, {"verify", "--batch", "2022-1"}).code, 0);

  for (const char* sub : {"ls", "get", "verify"}) {
    r = Cmd(root_, {sub, "--help"});
    EXPECT_EQ(r.code, 0) << sub;
    EXPECT_NE(r.out.find("usage: zhiping archive"), std::string::npos) << sub;
  }
  EXPECT_EQ(Cmd(root_, {"--help"}).code, 0);
  EXPECT_EQ(Cmd(root_, {}).code, 2);
  EXPECT_EQ(Cmd(root_, {"frobnicate"}).code, 2);
}

}  // namespace
}  // namespace zhiping::archive
