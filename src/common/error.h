// common/error.h — the one exception type that crosses stage boundaries inside the process.
//
// Stages throw zhiping::Error with a kind; the boundaries are the only places that catch it: the command line's
// RunGuarded (common/command_line.h) and the service's ProblemFor (service/problem_json.h). Both take the status
// from the two functions below, so a kind means the same on both sides. Kinds map to users' expectations, not to
// our internals: kInvalidInput is the user's data (exit 2 / 422), kNotFound is an unknown template/applicant/file
// (exit 1 / 404), kConflict a state that forbids it (exit 1 / 409), kUnavailable a resource we lack right now
// (exit 1 / 503), kTemplate is a broken template file (an office's mistake; exit 1 / 500), kFont and kInternal are
// ours (exit 1 / 500).
#pragma once

#include <stdexcept>
#include <string>

#include "common/problem.h"

namespace zhiping {

enum class ErrorKind { kInvalidInput, kNotFound, kConflict, kTemplate, kFont, kUnavailable, kInternal };

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, Problems problems = {})
      : std::runtime_error(message), kind_(kind), problems_(std::move(problems)) {}

  ErrorKind kind() const { return kind_; }
  const Problems& problems() const { return problems_; }

 private:
  ErrorKind kind_;
  Problems problems_;
};

// The exit status of `zhiping` for an error of this kind: 2 for bad input (the contract's "bad input or usage"),
// 1 for anything else.
constexpr int ExitCodeFor(ErrorKind kind) { return kind == ErrorKind::kInvalidInput ? 2 : 1; }

// The HTTP status for an error of this kind (422 for kInvalidInput; a body that is not JSON at all is 400, which
// ProblemFor decides from the message).
constexpr int HttpStatusFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput:
      return 422;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kUnavailable:
      return 503;
    case ErrorKind::kTemplate:
    case ErrorKind::kFont:
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

// Shorthand for the most common case: a single problem in the input.
[[noreturn]] void ThrowInvalid(const std::string& pointer, const std::string& rule);

}  // namespace zhiping
