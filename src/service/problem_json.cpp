#include "service/problem_json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <ostream>
#include <sstream>

#include <Poco/Exception.h>

#include "common/json.h"
#include "common/utf8.h"
#include "service/request_log.h"

namespace zhiping::service {

namespace {

// How each kind of pipeline error is answered (kInvalidInput is special: 400 or 422, see ProblemFor).
// The status is HttpStatusFor(kind) (common/error.h), the one mapping shared with the command line's exit codes.
struct KindAnswer {
  ErrorKind kind;
  const char* slug;
  const char* title;   // "" : the reason phrase
  const char* detail;  // the fixed sentence sent instead of the error's text; nullptr: the text (4xx only)
};
const KindAnswer kKindAnswers[] = {
    {ErrorKind::kNotFound, "not-found", "", nullptr},
    {ErrorKind::kConflict, "conflict", "", nullptr},
    {ErrorKind::kUnavailable, "unavailable", "",
     "the service cannot do this right now (for example its storage is full or unreachable); try again later"},
    {ErrorKind::kTemplate, "template-error", "Template error",
     "the template could not be used; the service log has the details"},
    {ErrorKind::kFont, "font-error", "Font error", "a font could not be used; the service log has the details"},
    {ErrorKind::kInternal, "internal", "", "internal error; the service log has the details"},
};

// A server path in a message: a '/' that starts a word and is followed by at least one more segment
// ("/srv/zhiping/archive/…", "'/tmp/x'"). Request paths are not expected in 404/409 texts of pipeline errors,
// so a false match only costs a less specific sentence.
bool MentionsServerPath(const std::string& text) {
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    if (text[i] != '/') continue;
    if (i > 0 && std::string(" \t'\"(=:[<,").find(text[i - 1]) == std::string::npos) continue;
    size_t end = text.find_first_of(" \t'\")>,", i + 1);
    std::string word = text.substr(i + 1, end == std::string::npos ? std::string::npos : end - i - 1);
    if (word.size() > 1 && word.find('/') != std::string::npos && word.find('/') > 0) return true;
  }
  return false;
}

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
    p.status = HttpStatusFor(error.kind());
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
  p.detail = "internal error; the service log has the details";  // a kind not listed below
  for (const auto& a : kKindAnswers) {
    if (a.kind != error.kind()) continue;
    p.status = HttpStatusFor(a.kind);
    p.slug = a.slug;
    p.title = a.title;
    if (a.detail != nullptr) {
      p.detail = a.detail;
    } else {
      p.detail = MentionsServerPath(error.what())
                     ? std::string(p.status == 404 ? "not found" : "the request conflicts with the current state") +
                           "; the service log has the details"
                     : error.what();
    }
  }
  if (p.status == 503) p.headers.push_back({"Retry-After", "5"});
  return p;
}

HttpProblem ProblemForCurrentException(std::string* log_line) {
  log_line->clear();
  try {
    throw;
  } catch (const HttpError& e) {
    return e.problem();
  } catch (const Error& e) {
    HttpProblem p = ProblemFor(e);
    // The answer's detail is then a fixed sentence: the full text, paths and all, goes to the log.
    if (p.status >= 500 || ((p.status == 404 || p.status == 409) && p.detail != e.what())) {
      *log_line = "error: " + MaskIdNumbers(e.what());
    }
    return p;
  } catch (const Poco::Exception& e) {
    *log_line = "error: unexpected exception: " + MaskIdNumbers(e.displayText());
  } catch (const std::exception& e) {
    *log_line = "error: unexpected exception: " + MaskIdNumbers(e.what());
  } catch (...) {
    *log_line = "error: unexpected non-standard exception";
  }
  HttpProblem internal;
  internal.detail = "internal error; the service log has the details";
  return internal;
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
  // Written and flushed now: Poco's sendBuffer() may hold the bytes until the request is done, and after a
  // refusal the dispatcher shuts the connection's write side (lingering close) before that.
  std::ostream& out = response.send();
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.flush();
}

}  // namespace zhiping::service
