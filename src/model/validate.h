// model/validate.h — the rules a request body must pass before anything is rendered: the problems alone
// (ValidateRequest), and rosters element by element (RosterValidation). model/parse.h gives the typed values.
//
// Contract of this stage: a parsed body in, every problem out (JSON Pointer + rule), never just the first.
// Unknown keys are ignored (the contract allows them). Nothing here formats or renders.
#pragma once

#include <Poco/Dynamic/Var.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "common/json_dom.h"
#include "common/problem.h"
#include "model/lazy_body.h"
#include "model/request.h"
#include "model/work_calendar.h"

namespace zhiping::model {

struct ValidationContext {
  ValidationContext() = default;
  ValidationContext(std::string today_date, std::shared_ptr<const WorkCalendar> work_calendar = nullptr)  // NOLINT
      : today(std::move(today_date)), calendar(std::move(work_calendar)) {}

  std::string today;  // "YYYY-MM-DD"; dates that cannot be in the future are checked against it
  std::shared_ptr<const WorkCalendar> calendar;  // working days (public holidays); null: WorkCalendar::BuiltIn()
};

// Template names as in the contract: notice, report, letter, review-form, roster-summary, roster-qualification,
// roster-results; and "bulk-letters" for the body of `zhiping bulk letters` / POST /v1/jobs/letters (items and all).
// The problems of model::ParseRequest (parse.h), for callers that need only them.
Problems ValidateRequest(const std::string& kind, const Poco::Dynamic::Var& body, const ValidationContext& ctx);

// At most this many applicants (and results) in a roster body. Rosters are validated and written one element at a
// time (RosterValidation, model/lazy_body.h), so they may be larger than other bodies' lists (20,000).
constexpr size_t kMaxRosterRows = 100000;
// At most this many applicants (notice, report) and items (bulk letters) in the other bodies.
constexpr size_t kMaxListEntries = 20000;

// Validates a roster body (roster-summary, roster-qualification, roster-results) one element at a time, for bodies
// kept as text and parsed piece by piece (render/renderer.cpp): only one element is ever parsed at once. The
// problems, and their order, are those of ValidateRequest(kind, whole body) — which is built on this class.
//
// Calls, in this order: Envelope; Applicant for index 0, 1, …; Results; Result for index 0, 1, …; Finish.
class RosterValidation {
 public:
  static bool IsRosterKind(const std::string& kind);
  // roster-results (results required) and roster-qualification (optional: its test-score column) read /results.
  static bool HasResults(const std::string& kind);

  // Throws zhiping::Error kNotFound when `kind` is not a roster template.
  RosterValidation(const std::string& kind, const ValidationContext& ctx);
  ~RosterValidation();
  RosterValidation(const RosterValidation&) = delete;
  RosterValidation& operator=(const RosterValidation&) = delete;

  // `envelope`: the body with the elements of `applicants` and `results` left out. `applicants`: the number of
  // elements when /applicants is an array whose elements are given one by one (the envelope then holds it as
  // an empty array); nullopt: /applicants is checked as the envelope has it (missing, null, not an array).
  // The values are read as common/json_dom.h holds them: a Poco value is copied into that form first, a JsonValue
  // is borrowed (the envelope's until Finish, an element's for the call).
  void Envelope(const Poco::Dynamic::Var& envelope, std::optional<size_t> applicants);
  void Envelope(const JsonValue& envelope, std::optional<size_t> applicants);
  // Element `index` of /applicants (reported as /applicants/{index}/…): the typed applicant when this element
  // added no problem (a repeated id counts), nullopt otherwise.
  std::optional<model::Applicant> Applicant(size_t index, const Poco::Dynamic::Var& element);
  std::optional<model::Applicant> Applicant(size_t index, const JsonValue& element);
  // The same for a body kept as text: Envelope counts the located lists itself; Applicant and Result parse element
  // `index` of the located list with `reader` (one per thread).
  void Envelope(const LazyBody& body);
  std::optional<model::Applicant> Applicant(LazyBody::Reader& reader, size_t index);
  std::optional<model::Result> Result(LazyBody::Reader& reader, size_t index);
  // Like `applicants` above, for /results. No-op (as are Result calls) unless HasResults(kind).
  void Results(std::optional<size_t> results);
  // Element `index` of /results; its applicant_id must name an applicant. The cross-checks wait for Finish, so
  // results may be given in any order, before or between applicants (a caller may check them on another schedule
  // than the list's); Finish reports in document order all the same. The typed result as for Applicant (the
  // cross-checks of Finish are not waited for).
  std::optional<model::Result> Result(size_t index, const Poco::Dynamic::Var& element);
  std::optional<model::Result> Result(size_t index, const JsonValue& element);

  size_t problem_count() const;
  // The envelope's batch; complete only when the envelope added no problem.
  const model::Batch& batch() const;
  Problems Finish();  // every problem found, in the order ValidateRequest reports them

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One element of a roster's located list (`list`: kApplicantsList or kResultsList of parse.h) typed by the rules of
// RosterValidation for `kind`, its problems not kept: for a reader that needs the value while a RosterValidation
// beside it reports them (the roster writer's joined results, or rows it is not handed). nullopt when the element
// has a problem. Throws as LazyBody::Reader::Parse for malformed JSON.
std::optional<model::Applicant> TypedRosterApplicant(const std::string& kind, LazyBody::Reader& reader,
                                                     const LazyBody::List& list, size_t index,
                                                     const ValidationContext& ctx);
std::optional<model::Result> TypedRosterResult(LazyBody::Reader& reader, const LazyBody::List& list, size_t index,
                                               const ValidationContext& ctx);

// Rules shared with other stages (ids: common/ids.h; dates: model/dates.h).
std::string IdNumberProblem(const std::string& id_number);          // "" when valid (GB 11643)

}  // namespace zhiping::model
