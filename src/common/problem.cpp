#include "common/problem.h"

#include "common/error.h"
#include "common/utf8.h"

namespace zhiping {

void ThrowProblems(const std::string& what, Problems problems) {
  std::string message = std::to_string(ProblemTotal(problems)) + " problem(s) in the " + what;
  throw Error(ErrorKind::kInvalidInput, message, std::move(problems));
}

namespace {

// 3999901 -> "3,999,901"
std::string WithSeparators(size_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

Problem MoreProblems(size_t n) {
  Problem p = MakeProblem("", Message(n == 1 ? Msg::kMoreProblem : Msg::kMoreProblems,
                                      {WithSeparators(n), std::to_string(kMaxProblems)}));
  p.omitted = n;
  return p;
}

Problem MakeProblem(std::string pointer, const Message& message, std::string place) {
  Problem p;
  p.pointer = std::move(pointer);
  p.rule = RenderMessage(message, Lang::kEn);
  p.code = message.code;
  p.args = message.args;
  p.place = std::move(place);
  return p;
}

std::string RuleText(const Problem& p, Lang lang) {
  if (p.code == Msg::kText || lang == Lang::kEn) return p.rule;
  return RenderMessage(p.code, p.args, lang);
}

std::string PlaceText(const Problem& p, Lang lang) {
  if (lang == Lang::kZh) {
    if (!p.place.empty()) return p.place;
    return p.pointer.empty() ? "整个请求" : p.pointer;
  }
  return p.pointer.empty() ? "(body)" : p.pointer;
}

const char* ProblemCode(const Problem& p) { return InfoOf(p.code).code; }

size_t OmittedProblems(const Problems& problems) { return problems.empty() ? 0 : problems.back().omitted; }

size_t ProblemTotal(const Problems& problems) {
  size_t omitted = OmittedProblems(problems);
  return omitted ? problems.size() - 1 + omitted : problems.size();
}

void AddProblem(Problems* problems, Problem p) {
  if (problems->size() < kMaxProblems) {
    problems->push_back(std::move(p));
  } else if (size_t omitted = OmittedProblems(*problems)) {
    problems->back() = MoreProblems(omitted + 1);
  } else {
    problems->push_back(MoreProblems(1));
  }
}

std::string FormatProblem(const Problem& p, Lang lang) {
  if (lang == Lang::kZh) {
    // The closing "…… 另有 N 个问题" and a free text that names its own place (an import's cell) stand alone.
    if (p.omitted > 0) return SanitizeText(RuleText(p, lang));
    if (p.code == Msg::kText) {
      // Free text that names its own place ("汇总表!C2（张三）身份证号：…", the importer's) is not told twice;
      // other free text (a configuration file's, a signature's) reads as it was written.
      if (!p.place.empty() && p.rule.rfind(p.place, 0) == 0) return SanitizeText(p.rule);
      if (p.pointer.empty()) return SanitizeText(p.rule);  // a sentence about the whole input
      return FormatProblem(p, Lang::kEn);
    }
    return SanitizeText(PlaceText(p, lang)) + "：" + SanitizeText(RuleText(p, lang));
  }
  if (p.pointer.empty()) return "(body): " + SanitizeText(p.rule);
  return SanitizeText(p.pointer) + ": " + SanitizeText(p.rule);
}

std::string PointerToken(const std::string& key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

void ThrowInvalid(const std::string& pointer, const std::string& rule) {
  throw Error(ErrorKind::kInvalidInput, pointer + ": " + rule, {Problem{pointer, rule}});
}

}  // namespace zhiping
