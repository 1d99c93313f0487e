#include "common/problem.h"

#include "common/error.h"

namespace zhiping {

std::string FormatProblem(const Problem& p) {
  if (p.pointer.empty()) return "(body): " + p.rule;
  return p.pointer + ": " + p.rule;
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
