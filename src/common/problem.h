// common/problem.h — how every stage reports what is wrong with a user's input.
//
// A Problem names the place (an RFC 6901 JSON Pointer into the request body, or "file:line" for a template) and the
// rule that was broken, in words an office clerk can act on. Stages collect *all* problems before giving up, so the
// user fixes a body in one round trip — but at most kMaxProblems of them are listed: a body with millions of
// problems ends its list with one more Problem saying how many were left out ("… and 3,999,901 more problems"),
// so an answer stays small however bad the body. The CLI prints one problem per line (exit 2); HTTP returns them
// in a 422 problem+json body.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace zhiping {

struct Problem {
  std::string pointer;  // "/applicants/3/id_number"; "" means the whole body
  std::string rule;     // "checksum digit should be X"
  size_t omitted = 0;   // > 0 only in the closing entry of a cut list: how many problems it stands for
};

using Problems = std::vector<Problem>;

// How many problems a list names before it is cut.
constexpr size_t kMaxProblems = 100;

// The closing entry of a list cut after kMaxProblems: pointer "", rule "… and 1,234 more problems (only the first
// 100 are listed)", omitted = n.
Problem MoreProblems(size_t n);
// The `omitted` count of a list's closing entry, 0 for a complete list.
size_t OmittedProblems(const Problems& problems);
// How many problems a list stands for: the listed ones and the omitted ones.
size_t ProblemTotal(const Problems& problems);
// Appends `p`, or, once `problems` lists kMaxProblems, counts it in the closing entry. For few problems (the hot
// paths count without formatting: model::Checker).
void AddProblem(Problems* problems, Problem p);

// Throws zhiping::Error kInvalidInput "N problem(s) in the {what}" carrying `problems` (what: "letter data").
[[noreturn]] void ThrowProblems(const std::string& what, Problems problems);

// "/applicants/3/id_number: checksum digit should be X", made safe to print (SanitizeText).
std::string FormatProblem(const Problem& p);

// Escapes one reference token for use in a JSON Pointer ("~" -> "~0", "/" -> "~1").
std::string PointerToken(const std::string& key);

}  // namespace zhiping
