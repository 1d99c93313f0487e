// common/error.h — the one exception type that crosses stage boundaries inside the process.
//
// Stages throw zhiping::Error with a kind; the boundaries (CLI main, HTTP handlers) are the only places that catch
// it and turn it into an exit status or an HTTP status. Kinds map to users' expectations, not to our internals:
// kInvalidInput is the user's data (exit 2 / 422), kNotFound is an unknown template/applicant/file (exit 1 / 404),
// kTemplate is a broken template file (an office's mistake; exit 1 / 500 with file:line), kInternal is ours.
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

// Shorthand for the most common case: a single problem in the input.
[[noreturn]] void ThrowInvalid(const std::string& pointer, const std::string& rule);

}  // namespace zhiping
