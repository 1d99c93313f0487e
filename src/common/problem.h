// common/problem.h — how every stage reports what is wrong with a user's input.
//
// A Problem names the place (an RFC 6901 JSON Pointer into the request body, or "file:line" for a template) and the
// rule that was broken, in words an office clerk can act on. Stages collect *all* problems before giving up, so the
// user fixes a body in one round trip. The CLI prints one problem per line (exit 2); HTTP returns them in a 422
// problem+json body.
#pragma once

#include <string>
#include <vector>

namespace zhiping {

struct Problem {
  std::string pointer;  // "/applicants/3/id_number"; "" means the whole body
  std::string rule;     // "checksum digit should be X"
};

using Problems = std::vector<Problem>;

// "/applicants/3/id_number: checksum digit should be X"
std::string FormatProblem(const Problem& p);

// Escapes one reference token for use in a JSON Pointer ("~" -> "~0", "/" -> "~1").
std::string PointerToken(const std::string& key);

}  // namespace zhiping
