// common/command_line.h — the command line's one parser and one error boundary, shared by every `zhiping` command:
// cli/commands.cpp and the commands whose words belong to a stage (archive/archive_command, jobs/bulk_command,
// preview/preview_command, sign/verify_command).
//
// Parsing is CLI11's (Debian libcli11-dev): `--name VALUE`, `--name=VALUE`, `-o VALUE`, `-oVALUE`, flags, `--`
// ending options, '-' as an ordinary word (stdin/stdout). An option given twice keeps its last value unless the
// command declares it repeatable (a std::vector target). A command makes a CommandLine, declares its options on
// app() and calls Parse(); the words that are not options come back from words(). CLI11's generated help is off:
// `--help`/`-h` print the command's own text, so the help says what docs/cli.md says.
//
// Errors: RunGuarded is the one place a command's exceptions become a message and an exit status, the status
// taken from ExitCodeFor (common/error.h), the same kinds the service maps with HttpStatusFor.
//
// Not thread-safe; one command line per call.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace zhiping {

class CommandLine {
 public:
  // `name` ("zhiping render") starts every usage message; `help` is printed for --help; `usage` follows a usage
  // error (the synopsis, and where to read more).
  CommandLine(std::string name, std::string help, std::string usage);
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  // Declare options here (add_option, add_flag). Every option takes one value per occurrence.
  CLI::App& app() { return app_; }

  // Options nobody declared stay among words() in order, "--" included, for a command that hands its words on to
  // another command line. Without this they are usage errors ("unknown option --colour").
  void KeepUnknownOptions() { keep_unknown_ = true; }
  // --help and -h are handed on too (with KeepUnknownOptions): the next command line answers them.
  void HandOnHelp();

  // Parses the words after the command's name. std::nullopt: go on. Otherwise the exit status after printing:
  // 0 for --help or -h (the help on `out`), 2 for a usage error ("NAME: unknown option --x" and the usage on
  // `err`).
  std::optional<int> Parse(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

  // The words that are not options, in order (every word after "--" included).
  const std::vector<std::string>& words() const { return words_; }

  // Prints "NAME: message" (ClerkText: "NAME：中文" by default) and the usage on `err`; returns 2.
  int UsageError(const std::string& message, std::ostream& err) const;

  const std::string& name() const { return name_; }

 private:
  std::string name_, help_, usage_;
  CLI::App app_;
  CLI::Option* help_option_ = nullptr;
  bool help_asked_ = false;
  bool keep_unknown_ = false;
  std::vector<std::string> words_;
};

// The sentence a clerk reads for `english`, an error or usage text of the few kinds met most (cannot read/write/open
// a file, unknown template, option or command, no archive object, the commands' usage mistakes): Chinese when
// ProcessLanguage() is Chinese, with the names it quotes kept as they are; `english` unchanged in English and for
// any other text (those stay English; docs/cli.md lists them). Pure apart from reading the process language.
std::string ClerkText(const std::string& english);

// For --port: a TCP port 0-65535 in decimal digits, no sign or leading zero (0 means any free port). A value that
// is not one is a usage error naming the option.
CLI::Validator PortNumber();

// Calls `use`, which uses something the user named on the command line (a file, standard input); a zhiping::Error
// it throws becomes kInvalidInput with the same text (and problems): that it cannot be used is a usage error.
void AsUsageError(const std::function<void()>& use);

// The whole of an input file the user named: `path`, or standard input for "-". A file that cannot be read is
// the user's mistake: kInvalidInput "cannot read PATH: reason" (exit 2), not kNotFound. So is one larger than
// kMaxInputBytes (input.too-large, naming the file): 16 times the largest body the service takes (a roster draft,
// server.roster_body_limit), and the bound that keeps /dev/zero or an endless pipe from filling the memory.
constexpr size_t kMaxInputBytes = size_t{2} << 30;  // 2 GiB
std::string ReadInputFile(const std::string& path, size_t max_bytes = kMaxInputBytes);
// The error for an input past that bound: kInvalidInput, input.too-large naming `path` ("-": standard input).
[[noreturn]] void ThrowInputTooLarge(const std::string& path, size_t max_bytes);

// Runs `work` and returns its status; whatever it throws becomes a message on `err` and the status:
//   zhiping::Error kInvalidInput: a malformed-JSON message after the name of `input` (the body's file, "-" for
//     stdin) when given; else each problem on its own line, in ProcessLanguage() (common/messages.h): Chinese
//     "第 4 位申报人（张三）身份证号：校验位应为 X", English "/pointer: rule"; else "NAME: message"; exit 2.
//   any other zhiping::Error: "NAME: message", ExitCodeFor(kind) (1).
//   In Chinese every "NAME: message" above is "NAME：" and ClerkText(message).
//   Poco::Exception: "NAME: displayText()", 1. std::exception: "NAME: what()", 1. Anything else: 1.
int RunGuarded(const std::string& name, std::ostream& err, const std::function<int()>& work,
               const std::string& input = "");

}  // namespace zhiping
