#include "common/command_line.h"

#include <Poco/Exception.h>

#include <cstring>
#include <iostream>
#include <utility>

#include "common/error.h"
#include "common/json.h"
#include "common/messages.h"
#include "common/problem.h"
#include "common/utf8.h"

namespace zhiping {

namespace {

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// "NAME: " or "NAME：" after a command's name.
const char* Colon() { return ProcessLanguage() == Lang::kZh ? "：" : ": "; }

using Translation = std::pair<const char*, const char*>;  // English, Chinese

// The Chinese of `english` in `table`; `english` itself when it is not there.
template <size_t N>
std::string Translated(const Translation (&table)[N], const std::string& english) {
  for (const auto& [en, zh] : table) {
    if (english == en) return zh;
  }
  return english;
}

// strerror's reasons a clerk meets; others stay as the system says them.
std::string ChineseReason(const std::string& reason) {
  static const Translation kReasons[] = {
      {"No such file or directory", "文件不存在"},
      {"Permission denied", "没有权限"},
      {"Is a directory", "这是一个文件夹，不是文件"},
      {"Not a directory", "路径中有一段不是文件夹"},
      {"No space left on device", "磁盘已满"},
      {"the stream failed", "写入失败"},
  };
  return Translated(kReasons, reason);
}

// "PATH: reason" -> "PATH：原因" (the path may itself hold ": ", so the reason is after the last one).
std::string ChinesePathAndReason(const std::string& rest) {
  const size_t colon = rest.rfind(": ");
  if (colon == std::string::npos) return rest;
  return rest.substr(0, colon) + "：" + ChineseReason(rest.substr(colon + 2));
}

// "'name'…" -> "“name”…"
std::string ChineseQuoted(const std::string& rest) {
  const size_t end = rest.find('\'', 1);
  if (rest.empty() || rest[0] != '\'' || end == std::string::npos) return rest;
  return "“" + rest.substr(1, end - 1) + "”" + rest.substr(end + 1);
}

}  // namespace

std::string ClerkText(const std::string& english) {
  if (ProcessLanguage() != Lang::kZh) return english;
  // Whole sentences: the commands' usage mistakes.
  static const Translation kSentences[] = {
      {"needs TEMPLATE and DATA.json", "需要两个参数：TEMPLATE（模板名）和 DATA.json（数据文件）"},
      {"needs BOOK.xlsx", "需要一个参数：BOOK.xlsx（工作簿）"},
      {"takes at most one TEMPLATE", "最多只接受一个 TEMPLATE（模板名）"},
      {"takes no arguments but options", "只接受选项，不接受其他参数"},
      {"takes no arguments", "不接受参数"},
      {"takes no arguments; the token is read from stdin", "不接受参数；令牌从标准输入读取"},
      {"-o - is not possible: stdout carries the result (use -o FILE)",
       "不能用 -o -：标准输出用于输出结果（请用 -o FILE）"},
      {"--user is empty", "--user 不能为空"},
      {"cannot write to stdout", "无法写到标准输出"},
      {"ls takes exactly one id", "ls 只接受一个编号"},
      {"get takes one id and one FILE", "get 需要一个编号和一个 FILE（文件名）"},
  };
  if (std::string zh = Translated(kSentences, english); zh != english) return zh;
  // Sentences that quote a name, by their English start.
  static const std::string kUnknownTemplate = "unknown template ", kListed = " (zhiping templates lists them)";
  if (StartsWith(english, kUnknownTemplate)) {
    std::string rest = english.substr(kUnknownTemplate.size());
    const bool listed =
        rest.size() > kListed.size() && rest.compare(rest.size() - kListed.size(), kListed.size(), kListed) == 0;
    if (listed) rest.resize(rest.size() - kListed.size());
    return "没有模板" + ChineseQuoted(rest) + (listed ? "（zhiping templates 可列出全部模板）" : "");
  }
  static const Translation kStarts[] = {
      {"cannot read configuration ", "无法读取配置文件 "},
      {"cannot read ", "无法读取 "},
      {"cannot write ", "无法写入 "},
      {"cannot open ", "无法打开 "},
  };
  for (const auto& [en, zh] : kStarts) {
    if (StartsWith(english, en)) return zh + ChinesePathAndReason(english.substr(std::strlen(en)));
  }
  if (StartsWith(english, "unknown option ")) return "未知选项 " + english.substr(15);
  if (StartsWith(english, "no archive object ")) return "档案库中没有对象 " + english.substr(18);
  if (StartsWith(english, "no OCFL object at ")) return english.substr(18) + " 处没有档案对象（OCFL）";
  return english;
}

CommandLine::CommandLine(std::string name, std::string help, std::string usage)
    : name_(std::move(name)), help_(std::move(help)), usage_(std::move(usage)) {
  app_.set_help_flag();  // our own text, not CLI11's
  help_option_ = app_.add_flag("-h,--help", help_asked_);
  // Unknown options and plain words come back in order from remaining(); Parse sorts them out.
  app_.allow_extras();
  app_.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

void CommandLine::HandOnHelp() {
  app_.remove_option(help_option_);
  help_option_ = nullptr;
}

std::optional<int> CommandLine::Parse(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes its words last first
  std::string problem;
  try {
    app_.parse(reversed);
  } catch (const CLI::ParseError& e) {
    problem = e.what();  // "--output: 1 required TEXT missing"
  }
  if (help_asked_) {
    out << help_;
    return 0;
  }
  if (!problem.empty()) return UsageError(problem, err);
  bool options_done = false;
  for (const std::string& word : app_.remaining()) {
    if (!options_done && word == "--" && !keep_unknown_) {
      options_done = true;
    } else if (!options_done && !keep_unknown_ && word.size() > 1 && word[0] == '-') {
      return UsageError("unknown option " + word.substr(0, word.find('=')), err);
    } else {
      words_.push_back(word);
    }
  }
  return std::nullopt;
}

int CommandLine::UsageError(const std::string& message, std::ostream& err) const {
  err << name_ << Colon() << ClerkText(message) << "\n" << usage_;
  return 2;
}

CLI::Validator PortNumber() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        bool digits = !value.empty() && value.size() <= 5 && (value[0] != '0' || value.size() == 1);
        for (char c : value) digits = digits && c >= '0' && c <= '9';
        if (!digits || std::stol(value) > 65535) return "must be a number from 0 to 65535, not '" + value + "'";
        return "";
      },
      "PORT");
}

void AsUsageError(const std::function<void()>& use) {
  try {
    use();
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::kInvalidInput) throw;
    throw Error(ErrorKind::kInvalidInput, e.what(), e.problems());
  }
}

std::string ReadInputFile(const std::string& path, size_t max_bytes) {
  std::string bytes;
  bool whole = true;
  AsUsageError([&] { whole = TryReadFile(path == "-" ? "/dev/stdin" : path, max_bytes, &bytes); });
  if (!whole) ThrowInputTooLarge(path, max_bytes);  // /dev/zero, an endless pipe: refused before memory runs out
  return bytes;
}

void ThrowInputTooLarge(const std::string& path, size_t max_bytes) {
  const Lang lang = ProcessLanguage();
  const std::string name = path != "-" ? path : lang == Lang::kZh ? "标准输入" : "standard input";
  std::string limit = std::to_string(max_bytes) + (lang == Lang::kZh ? " 字节" : " bytes");
  for (const auto& [unit, bytes_in_unit] : {std::pair{"GiB", size_t{1} << 30}, {"MiB", size_t{1} << 20}}) {
    if (max_bytes % bytes_in_unit == 0) {
      limit = std::to_string(max_bytes / bytes_in_unit) + " " + unit;
      break;
    }
  }
  throw Error(ErrorKind::kInvalidInput, RenderMessage(Msg::kInputTooLarge, {name, limit}, lang));
}

int RunGuarded(const std::string& name, std::ostream& err, const std::function<int()>& work,
               const std::string& input) {
  try {
    return work();
  } catch (const Error& e) {
    const Lang lang = ProcessLanguage();
    if (e.kind() == ErrorKind::kInvalidInput && !input.empty() && IsMalformedJsonError(e.what())) {
      // "body.json: malformed JSON at line 3, column 17: …" / "body.json 第 3 行第 17 列：JSON 格式有误，…" says
      // where to look.
      if (lang == Lang::kZh && e.problems().size() == 1) {
        const Problem& p = e.problems().front();
        err << (input == "-" ? std::string("标准输入") : input) << (p.code == Msg::kJsonMalformed ? " " : "：")
            << SanitizeText(RuleText(p, lang)) << "\n";
      } else {
        err << (input == "-" ? std::string("(stdin)") : input) << ": " << SanitizeText(e.what()) << "\n";
      }
    } else if (e.kind() == ErrorKind::kInvalidInput && !e.problems().empty()) {
      for (const auto& p : e.problems()) err << FormatProblem(p, lang) << "\n";
    } else if (e.kind() == ErrorKind::kInvalidInput) {
      err << name << Colon() << SanitizeText(ClerkText(e.what())) << "\n";  // it may quote what the user sent
    } else {
      err << name << Colon() << ClerkText(e.what()) << "\n";  // ours: a template error's lines stay lines
    }
    return ExitCodeFor(e.kind());
  } catch (const Poco::Exception& e) {
    err << name << Colon() << e.displayText() << "\n";
  } catch (const std::exception& e) {
    err << name << Colon() << e.what() << "\n";
  } catch (...) {
    err << name << Colon() << (ProcessLanguage() == Lang::kZh ? "意外错误" : "unexpected error") << "\n";
  }
  return 1;
}

}  // namespace zhiping
