// model/parse.h — a request body becomes typed values (model/request.h) or the full list of problems, never both.
//
// One function per request type; every entry point (CLI, HTTP, bulk items, preview, and later the Excel import)
// calls these, so the same body gets the same answer everywhere. The rules are those of docs/validation.md: every
// problem at once, each a JSON Pointer and a rule, at most kMaxProblems listed (common/problem.h). `body` is a
// parsed JSON value (common/json.h); anything but an object is one problem at "". Thread-safe (no shared state);
// throws zhiping::Error kNotFound for an unknown template name, kInternal if the JSON tree itself misbehaves.
#pragma once

#include <Poco/Dynamic/Var.h>

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "common/error.h"
#include "common/json_dom.h"
#include "common/problem.h"
#include "model/request.h"
#include "model/validate.h"

namespace zhiping::model {

// A typed value, or the problems that kept the body from becoming one.
template <typename T>
class Parsed {
 public:
  explicit Parsed(T value) : state_(std::move(value)) {}
  explicit Parsed(Problems problems) : state_(std::move(problems)) {}

  bool ok() const { return state_.index() == 0; }
  const T& value() const { return std::get<0>(state_); }
  T TakeValue() { return std::move(std::get<0>(state_)); }
  // Empty when ok().
  Problems TakeProblems() { return ok() ? Problems{} : std::move(std::get<1>(state_)); }
  // The value; or throws zhiping::Error kInvalidInput "N problem(s) in the {what}" carrying every problem.
  T ValueOrThrow(const std::string& what) {
    if (!ok()) ThrowProblems(what, std::move(std::get<1>(state_)));
    return TakeValue();
  }

 private:
  std::variant<T, Problems> state_;
};

Parsed<NoticeRequest> ParseNotice(const Poco::Dynamic::Var& body, const ValidationContext& ctx);
Parsed<ReportRequest> ParseReport(const Poco::Dynamic::Var& body, const ValidationContext& ctx);
Parsed<LetterRequest> ParseLetter(const Poco::Dynamic::Var& body, const ValidationContext& ctx);
Parsed<ReviewFormRequest> ParseReviewForm(const Poco::Dynamic::Var& body, const ValidationContext& ctx);
// The joint result notice; who it may list as qualified: model/qualification.h.
Parsed<ResultNoticeRequest> ParseResultNotice(const Poco::Dynamic::Var& body, const ValidationContext& ctx);
// A roster held whole (small bodies; large ones go element by element through RosterValidation, validate.h).
Parsed<RosterRequest> ParseRoster(const std::string& kind, const Poco::Dynamic::Var& body,
                                  const ValidationContext& ctx);
// Any template, by name (notice, report, letter, review-form, result-notice, roster-*).
Parsed<Request> ParseRequest(const std::string& template_name, const Poco::Dynamic::Var& body,
                             const ValidationContext& ctx);
// The same for a body already in the form the checks read (common/json_dom.h); the functions above copy theirs
// into it first.
Parsed<Request> ParseRequest(const std::string& template_name, const JsonValue& body, const ValidationContext& ctx);

// Bulk letters, whose items are parsed one at a time (jobs/bulk_letters.h). `envelope` is the body with the items
// left out; `items` their number when the body's "items" is an array (nullopt: checked as the envelope holds it).
Parsed<BulkLettersEnvelope> ParseBulkEnvelope(const Poco::Dynamic::Var& envelope, std::optional<size_t> items,
                                              size_t max_items, const ValidationContext& ctx);
// The letter that item `item` of a bulk body stands for ({batch, applicant, result, letter:{no: letter_no,
// issued}}), checked as a letter: problems point into that letter ("/applicant/id_number").
Parsed<LetterRequest> ParseBulkLetter(const Poco::Dynamic::Var& envelope, const Poco::Dynamic::Var& item,
                                      const ValidationContext& ctx);

// The same for a bulk body kept as text with its items located (kBulkItemsList): the envelope's problems, and the
// letter of item `index` parsed with `reader` (one per thread).
Parsed<BulkLettersEnvelope> ParseBulkEnvelope(const LazyBody& body, size_t max_items, const ValidationContext& ctx);
Parsed<LetterRequest> ParseBulkLetter(const LazyBody& body, LazyBody::Reader& reader, size_t index,
                                      const ValidationContext& ctx);

// Bulk documents of a template other than the letter (review-form, report: one 评审表 per applicant, one 报告 per
// committee). The body is {batch, items:[…]}: every item is that template's own body without its batch, which
// the envelope gives once for all ({applicant, filled?} for review-form; {committee, report, applicants} for
// report). The envelope's problems (the batch, the items list, at most `max_items`) fail the whole run; an item's
// document is checked as that template's body is anywhere ({batch: the envelope's, …item}), so its problems
// read like the template's ("/applicant/id_number"). kNotFound for a template not issued this way.
bool IsBulkDocumentTemplate(const std::string& template_name);
Parsed<Batch> ParseBulkDocumentsEnvelope(const std::string& template_name, const LazyBody& body, size_t max_items,
                                         const ValidationContext& ctx);
Parsed<Request> ParseBulkDocument(const std::string& template_name, const LazyBody& body, LazyBody::Reader& reader,
                                  size_t index, const ValidationContext& ctx);

// The round's deadline (batch.deadline) as the body gives it, read leniently for the deadline rule
// (issuing/policy.h), which answers before the whole body is checked: nullopt when absent or not a date.
std::optional<Date> DeadlineOf(const Poco::Dynamic::Var& body);

// The names of the lists a large body keeps as text and parses one element at a time: a roster's applicants and
// results (RosterValidation), bulk letters' items (ParseBulkLetter).
inline constexpr const char* kApplicantsList = "applicants";
inline constexpr const char* kResultsList = "results";
inline constexpr const char* kBulkItemsList = "items";

}  // namespace zhiping::model
