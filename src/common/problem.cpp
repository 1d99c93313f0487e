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
  return Problem{"", "… and " + WithSeparators(n) + (n == 1 ? " more problem" : " more problems") +
                         " (only the first " + std::to_string(kMaxProblems) + " are listed)",
                 n};
}

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

std::string FormatProblem(const Problem& p) {
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
