// service/problem_json.h — every error answer of the service, as RFC 9457 application/problem+json.
//
// Handlers throw HttpError for HTTP-level refusals (413, 415, 404 ...) and let zhiping::Error escape for the
// pipeline's own errors; the dispatcher turns whatever was thrown into an HttpProblem with
// ProblemForCurrentException() and sends it with SendProblem(). This file is the only place that makes a problem
// document; the status of a zhiping::Error is HttpStatusFor(kind) (common/error.h). The body is {type, title,
// status, detail} plus, for 422, errors: [{pointer, code, rule, place, message}] listing every problem. `type` is
// "urn:zhiping:problem:<slug>"; docs/api.md lists the slugs.
//
// Language: title, detail and each rule are Chinese unless the client's Accept-Language prefers English
// (common/messages.h LangFromAcceptLanguage). A problem's rule and a malformed body's reason come from the message
// catalog; the title of every slug, and the detail of a refusal that has no Chinese text of its own (an HttpError
// thrown with English words), come from this file's slug table.
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
  std::string detail;                                       // English
  Problems errors;                                          // 422 only; for 400 malformed-json its one problem
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. WWW-Authenticate, Allow
  std::string detail_zh = "";  // the detail in Chinese; "": the slug's fixed sentence (problem_json.cpp)
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

// Inside a catch block: the problem to answer for the exception being handled (HttpError as it is, zhiping::Error
// by ProblemFor, anything else a fixed 500), and in `log_line` what the service log must say ("" for nothing):
// the full text whenever the answer's detail is not the error's own text, with id numbers masked.
HttpProblem ProblemForCurrentException(std::string* log_line);

// The problem+json document (UTF-8 JSON text) in `lang`.
std::string ProblemJson(const HttpProblem& problem, Lang lang = Lang::kZh);

// Sets status, headers and the body and sends it, flushed. The caller decides keep-alive before calling.
void SendProblem(Poco::Net::HTTPServerResponse& response, const HttpProblem& problem, Lang lang = Lang::kZh);

}  // namespace zhiping::service
