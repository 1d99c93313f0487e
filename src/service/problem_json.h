// service/problem_json.h — every error answer of the service, as RFC 9457 application/problem+json.
//
// Handlers throw HttpError for HTTP-level refusals (413, 415, 404 ...) and let zhiping::Error escape for the
// pipeline's own errors; the dispatcher turns both into an HttpProblem with ProblemFor() and sends it with
// SendProblem(). The body is {type, title, status, detail} plus, for 422, errors: [{pointer, rule}] listing every
// problem. `type` is "urn:zhiping:problem:<slug>"; docs/api.md lists the slugs.
//
// No answer carries a server file-system path or internal text: a 5xx detail is a fixed sentence per kind, and a
// 404/409 whose error text names a server path gets a fixed sentence too. The dispatcher logs the full text
// whenever the detail is not the error's own text.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "common/problem.h"

namespace Poco::Net {
class HTTPServerResponse;
}

namespace zhiping::service {

struct HttpProblem {
  int status = 500;
  std::string slug = "internal";  // "invalid-data" -> type urn:zhiping:problem:invalid-data
  std::string title;              // "" means the standard reason phrase for `status`
  std::string detail;
  Problems errors;                                          // 422 only
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. WWW-Authenticate, Allow
};

class HttpError : public std::runtime_error {
 public:
  explicit HttpError(HttpProblem problem) : std::runtime_error(problem.detail), problem_(std::move(problem)) {}
  HttpError(int status, const std::string& slug, const std::string& detail)
      : HttpError(HttpProblem{status, slug, "", detail, {}, {}}) {}
  const HttpProblem& problem() const { return problem_; }

 private:
  HttpProblem problem_;
};

// kInvalidInput: 400 (malformed JSON) or 422 (every problem); kNotFound 404; kConflict 409 (the error's text as
// detail unless it names a path); kUnavailable 503 with Retry-After; kTemplate, kFont, kInternal 500. The 5xx
// details are fixed sentences.
HttpProblem ProblemFor(const Error& error);

// The problem+json document (UTF-8 JSON text).
std::string ProblemJson(const HttpProblem& problem);

// Sets status, headers and the body and sends it, flushed. The caller decides keep-alive before calling.
void SendProblem(Poco::Net::HTTPServerResponse& response, const HttpProblem& problem);

}  // namespace zhiping::service
