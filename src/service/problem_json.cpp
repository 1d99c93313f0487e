#include "service/problem_json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <sstream>

#include "common/json.h"
#include "common/utf8.h"

namespace zhiping::service {

namespace {

// How each kind of pipeline error is answered (kInvalidInput is special: 400 or 422, see ProblemFor).
struct KindAnswer {
  ErrorKind kind;
  int status;
  const char* slug;
  const char* title;  // "" : the reason phrase
};
const KindAnswer kKindAnswers[] = {
    {ErrorKind::kNotFound, 404, "not-found", ""},
    {ErrorKind::kConflict, 409, "conflict", ""},
    {ErrorKind::kUnavailable, 503, "unavailable", ""},
    {ErrorKind::kTemplate, 500, "template-error", "Template error"},
    {ErrorKind::kFont, 500, "font-error", "Font error"},
    {ErrorKind::kInternal, 500, "internal", ""},
};

}  // namespace

HttpProblem ProblemFor(const Error& error) {
  HttpProblem p;
  p.detail = error.what();
  if (error.kind() == ErrorKind::kInvalidInput) {
    if (IsMalformedJsonError(error.what())) {
      p.status = 400;
      p.slug = "malformed-json";
      p.title = "Malformed JSON";
      return p;
    }
    p.status = 422;
    p.slug = "invalid-data";
    p.title = "Invalid data";
    p.errors = error.problems();
    if (p.errors.empty()) p.errors.push_back({"", error.what()});
    const size_t total = ProblemTotal(p.errors);
    p.detail = std::to_string(total) + (total == 1 ? " problem" : " problems") + " in the request body";
    if (OmittedProblems(p.errors)) p.detail += " (the first " + std::to_string(kMaxProblems) + " are listed)";
    p.detail += "; fix all of them and send it again";
    return p;
  }
  for (const auto& a : kKindAnswers) {
    if (a.kind != error.kind()) continue;
    p.status = a.status;
    p.slug = a.slug;
    p.title = a.title;
  }
  if (p.status == 503) p.headers.push_back({"Retry-After", "5"});
  return p;
}

std::string ProblemJson(const HttpProblem& problem) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  // Every text is made valid, visible UTF-8 (SanitizeText): rules and details may quote what a client sent.
  body.set("type", "urn:zhiping:problem:" + problem.slug);
  std::string title = problem.title.empty()
                          ? Poco::Net::HTTPResponse::getReasonForStatus(
                                static_cast<Poco::Net::HTTPResponse::HTTPStatus>(problem.status))
                          : problem.title;
  body.set("title", SanitizeText(title));
  body.set("status", problem.status);
  if (!problem.detail.empty()) body.set("detail", SanitizeText(problem.detail));
  if (problem.status == 422) {
    Poco::JSON::Array errors;
    for (const auto& e : problem.errors) {
      if (e.omitted) continue;  // said by "omitted" below, not as an error
      Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
      item.set("pointer", SanitizeText(e.pointer));
      item.set("rule", SanitizeText(e.rule));
      errors.add(item);
    }
    body.set("errors", errors);
    if (size_t omitted = OmittedProblems(problem.errors)) {
      body.set("omitted", static_cast<Poco::UInt64>(omitted));
      body.set("total", static_cast<Poco::UInt64>(ProblemTotal(problem.errors)));
    }
  }
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

void SendProblem(Poco::Net::HTTPServerResponse& response, const HttpProblem& problem) {
  std::string text = ProblemJson(problem);
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(problem.status));
  for (const auto& [name, value] : problem.headers) response.set(name, value);
  response.setContentType("application/problem+json");
  response.set("Cache-Control", "no-store");
  response.setContentLength(static_cast<std::streamsize>(text.size()));
  response.sendBuffer(text.data(), text.size());
}

}  // namespace zhiping::service
