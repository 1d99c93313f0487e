#include "common/command_line.h"

#include <Poco/Exception.h>

#include <iostream>
#include <sstream>

#include "common/error.h"
#include "common/json.h"
#include "common/problem.h"
#include "common/utf8.h"

namespace zhiping {

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
  err << name_ << ": " << message << "\n" << usage_;
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

std::string ReadInputFile(const std::string& path) {
  if (path == "-") {
    std::ostringstream in;
    in << std::cin.rdbuf();
    return in.str();
  }
  std::string bytes;
  AsUsageError([&] { bytes = ReadFile(path); });
  return bytes;
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
      err << name << ": " << SanitizeText(e.what()) << "\n";  // it may quote what the user sent
    } else {
      err << name << ": " << e.what() << "\n";  // ours: a template error's lines stay lines
    }
    return ExitCodeFor(e.kind());
  } catch (const Poco::Exception& e) {
    err << name << ": " << e.displayText() << "\n";
  } catch (const std::exception& e) {
    err << name << ": " << e.what() << "\n";
  } catch (...) {
    err << name << ": unexpected error\n";
  }
  return 1;
}

}  // namespace zhiping
