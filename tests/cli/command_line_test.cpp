// common/command_line.h in-process: the grammar every command shares (CLI11 underneath) and the one place that
// turns what a command throws into a message and an exit status.
#include "common/command_line.h"

#include <gtest/gtest.h>

#include <Poco/Exception.h>

#include <sstream>

#include "common/error.h"
#include "common/messages.h"

namespace zhiping {
namespace {

// Sets the process language for one test and puts Chinese (the default) back after it.
struct ProcessLanguageFor {
  explicit ProcessLanguageFor(Lang lang) { SetProcessLanguage(lang); }
  ~ProcessLanguageFor() { SetProcessLanguage(Lang::kZh); }
};

struct Parsed {
  std::optional<int> status;
  std::vector<std::string> words;
  std::string output, out, err;
  std::vector<std::string> trust;
};

Parsed Parse(const std::vector<std::string>& args, bool keep_unknown = false) {
  Parsed p;
  CommandLine line("zhiping demo", "usage: zhiping demo WORDS [-o OUT]\nhelp text\n", "usage: zhiping demo\n");
  line.app().add_option("-o,--output", p.output);
  line.app()
      .add_option("--trust", p.trust)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  if (keep_unknown) line.KeepUnknownOptions();
  std::ostringstream out, err;
  p.status = line.Parse(args, out, err);
  p.words = line.words();
  p.out = out.str();
  p.err = err.str();
  return p;
}

TEST(CommandLineTest, TheGrammarEveryCommandShares) {
  using Words = std::vector<std::string>;
  struct Row {
    Words args;
    Words words;
    std::string output;
  } rows[] = {
      {{"a", "b"}, {"a", "b"}, ""},
      {{"a", "-o", "x.pdf", "b"}, {"a", "b"}, "x.pdf"},
      {{"--output=x.pdf", "a"}, {"a"}, "x.pdf"},
      {{"-ox.pdf", "a"}, {"a"}, "x.pdf"},
      {{"-", "-o", "-"}, {"-"}, "-"},                  // '-' is a word: stdin, stdout
      {{"-o", "1", "-o", "2"}, {}, "2"},               // the last one wins
      {{"a", "--", "-o", "--x"}, {"a", "-o", "--x"}, ""},  // after "--" everything is a word
  };
  for (const Row& row : rows) {
    Parsed p = Parse(row.args);
    EXPECT_FALSE(p.status.has_value()) << p.err;
    EXPECT_EQ(p.words, row.words) << row.args.size();
    EXPECT_EQ(p.output, row.output);
  }
  Parsed trust = Parse({"--trust", "a.pem", "f.pdf", "--trust=b.pem"});
  EXPECT_EQ(trust.trust, (Words{"a.pem", "b.pem"}));  // repeatable, one value each
  EXPECT_EQ(trust.words, Words{"f.pdf"});
}

TEST(CommandLineTest, HelpAndUsageErrors) {
  ProcessLanguageFor english(Lang::kEn);
  Parsed help = Parse({"a", "--bogus", "-h"});
  EXPECT_EQ(help.status, 0);
  EXPECT_EQ(help.out, "usage: zhiping demo WORDS [-o OUT]\nhelp text\n");
  EXPECT_EQ(help.err, "");
  Parsed unknown = Parse({"a", "--colour=red"});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_EQ(unknown.err, "zhiping demo: unknown option --colour\nusage: zhiping demo\n");
  EXPECT_EQ(Parse({"-x"}).status, 2);
  Parsed missing = Parse({"a", "-o"});
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("--output"), std::string::npos) << missing.err;
  // Handed on: unknown options stay words, in order, for the next command line.
  Parsed kept = Parse({"ls", "--versions", "-o", "x", "id", "--", "-y"}, true);
  EXPECT_FALSE(kept.status.has_value()) << kept.err;
  EXPECT_EQ(kept.words, (std::vector<std::string>{"ls", "--versions", "id", "--", "-y"}));
}

TEST(CommandLineTest, PortNumbers) {
  struct Row {
    const char* value;
    int port;  // -1: a usage error
  } rows[] = {{"0", 0}, {"8080", 8080}, {"65535", 65535}, {"65536", -1}, {"http", -1}, {"-1", -1},
              {"+80", -1}, {"080", -1}, {"0x50", -1}, {"", -1}, {"123456", -1}};
  for (const Row& row : rows) {
    CommandLine line("zhiping demo", "help\n", "usage\n");
    int port = -7;
    line.app().add_option("--port", port)->check(PortNumber());
    std::ostringstream out, err;
    std::optional<int> status = line.Parse({std::string("--port=") + row.value}, out, err);
    if (row.port < 0) {
      EXPECT_EQ(status, 2) << row.value;
      EXPECT_NE(err.str().find("--port"), std::string::npos) << row.value << ": " << err.str();
    } else {
      EXPECT_FALSE(status.has_value()) << row.value << ": " << err.str();
      EXPECT_EQ(port, row.port) << row.value;
    }
  }
}

int Guarded(const std::function<int()>& work, std::string* err, const std::string& input = "") {
  std::ostringstream e;
  int status = RunGuarded("zhiping demo", e, work, input);
  *err = e.str();
  return status;
}

TEST(CommandLineTest, OneBoundaryTurnsErrorsIntoExitCodes) {
  ProcessLanguageFor english(Lang::kEn);
  std::string err;
  EXPECT_EQ(Guarded([] { return 0; }, &err), 0);
  EXPECT_EQ(Guarded([] { return 7; }, &err), 7);
  EXPECT_EQ(err, "");
  EXPECT_EQ(Guarded([]() -> int { throw Error(ErrorKind::kInvalidInput, "2 problems",
                                              {{"/a", "is required"}, {"/b/0", "must be a date"}}); }, &err), 2);
  EXPECT_EQ(err, "/a: is required\n/b/0: must be a date\n");
  EXPECT_EQ(Guarded([]() -> int { throw Error(ErrorKind::kInvalidInput, "malformed JSON at line 1, column 2: x"); },
                    &err, "body.json"),
            2);
  EXPECT_EQ(err, "body.json: malformed JSON at line 1, column 2: x\n");
  Guarded([]() -> int { throw Error(ErrorKind::kInvalidInput, "malformed JSON at line 1, column 2: x"); }, &err, "-");
  EXPECT_EQ(err, "(stdin): malformed JSON at line 1, column 2: x\n");
  EXPECT_EQ(Guarded([]() -> int { throw Error(ErrorKind::kInvalidInput, "unknown template 'x'"); }, &err), 2);
  EXPECT_EQ(err, "zhiping demo: unknown template 'x'\n");
  for (ErrorKind kind : {ErrorKind::kNotFound, ErrorKind::kConflict, ErrorKind::kUnavailable, ErrorKind::kTemplate,
                         ErrorKind::kFont, ErrorKind::kInternal}) {
    EXPECT_EQ(Guarded([kind]() -> int { throw Error(kind, "line 1\nline 2"); }, &err), 1);
    EXPECT_EQ(err, "zhiping demo: line 1\nline 2\n");  // ours: lines stay lines
  }
  EXPECT_EQ(Guarded([]() -> int { throw Poco::FileNotFoundException("x.conf"); }, &err), 1);
  EXPECT_EQ(err, "zhiping demo: File not found: x.conf\n");
  EXPECT_EQ(Guarded([]() -> int { throw std::runtime_error("boom"); }, &err), 1);
  EXPECT_EQ(err, "zhiping demo: boom\n");
  EXPECT_EQ(Guarded([]() -> int { throw 42; }, &err), 1);
}

// In Chinese (the default) the boundary says the common mistakes in Chinese, the names they quote unchanged; what
// it has no sentence for stays as thrown.
TEST(CommandLineTest, TheCommonErrorsReadInChinese) {
  Parsed unknown = Parse({"a", "--colour=red"});
  EXPECT_EQ(unknown.err, "zhiping demo：未知选项 --colour\nusage: zhiping demo\n");
  std::string err;
  auto throws = [](ErrorKind kind, const char* what) { return [=]() -> int { throw Error(kind, what); }; };
  EXPECT_EQ(Guarded(throws(ErrorKind::kInvalidInput, "unknown template 'x' (zhiping templates lists them)"), &err), 2);
  EXPECT_EQ(err, "zhiping demo：没有模板“x”（zhiping templates 可列出全部模板）\n");
  EXPECT_EQ(Guarded(throws(ErrorKind::kNotFound, "unknown template 'x'"), &err), 1);
  EXPECT_EQ(err, "zhiping demo：没有模板“x”\n");
  EXPECT_EQ(Guarded([]() -> int { ReadInputFile("/nonexistent/data.json"); return 0; }, &err), 2);
  EXPECT_EQ(err, "zhiping demo：无法读取 /nonexistent/data.json：文件不存在\n");
  EXPECT_EQ(Guarded(throws(ErrorKind::kNotFound, "no archive object urn:zhiping:applicant:A"), &err), 1);
  EXPECT_EQ(err, "zhiping demo：档案库中没有对象 urn:zhiping:applicant:A\n");
  EXPECT_EQ(Guarded(throws(ErrorKind::kInternal, "cannot write a/b.pdf: Read-only file system"), &err), 1);
  EXPECT_EQ(err, "zhiping demo：无法写入 a/b.pdf：Read-only file system\n");  // a reason without a sentence
  EXPECT_EQ(Guarded([]() -> int { throw std::runtime_error("boom"); }, &err), 1);
  EXPECT_EQ(err, "zhiping demo：boom\n");
  EXPECT_EQ(ClerkText("needs TEMPLATE and DATA.json"), "需要两个参数：TEMPLATE（模板名）和 DATA.json（数据文件）");
  ProcessLanguageFor english(Lang::kEn);
  EXPECT_EQ(ClerkText("needs TEMPLATE and DATA.json"), "needs TEMPLATE and DATA.json");
  EXPECT_EQ(Guarded([]() -> int { ReadInputFile("/nonexistent/data.json"); return 0; }, &err), 2);
  EXPECT_EQ(err, "zhiping demo: cannot read /nonexistent/data.json: No such file or directory\n");
}

TEST(CommandLineTest, AnInputFileTheUserNamedIsBadInputWhenUnreadable) {
  try {
    ReadInputFile("/nonexistent/body.json");
    ADD_FAILURE() << "read a file that is not there";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/body.json"), std::string::npos) << e.what();
  }
}

// An endless input (/dev/zero, a pipe that never ends) is refused at the bound, naming the file and the bound, as a
// usage mistake (exit 2), before it fills the memory.
TEST(CommandLineTest, AnInputLargerThanAnyBodyIsRefusedAtTheBound) {
  try {
    ReadInputFile("/dev/zero", size_t{1} << 20);
    ADD_FAILURE() << "read an endless file";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    const std::string what = e.what();
    EXPECT_NE(what.find("/dev/zero"), std::string::npos) << what;
    EXPECT_NE(what.find("1 MiB"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace zhiping
