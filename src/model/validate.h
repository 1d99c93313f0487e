// model/validate.h — the rules a request body must pass before anything is rendered.
//
// Contract of this stage: a parsed body in, every problem out (JSON Pointer + rule), never just the first.
// Unknown keys are ignored (the contract allows them). Nothing here formats or renders.
#pragma once

#include <Poco/Dynamic/Var.h>

#include <string>

#include "common/problem.h"

namespace zhiping::model {

struct ValidationContext {
  std::string today;  // "YYYY-MM-DD"; dates that cannot be in the future are checked against it
};

// Template names as in the contract: notice, report, letter, review-form, roster-summary, roster-qualification,
// roster-results; and "bulk-letters" for the body of `zhiping bulk letters` / POST /v1/jobs/letters.
Problems ValidateRequest(const std::string& kind, const Poco::Dynamic::Var& body, const ValidationContext& ctx);

// Rules shared with other stages.
bool IsValidApplicantId(const std::string& id);                     // [A-Za-z0-9._-]{1,64}
std::string IdNumberProblem(const std::string& id_number);          // "" when valid (GB 11643)
bool IsIsoDate(const std::string& s, bool allow_month_only);        // YYYY-MM-DD (or YYYY-MM), a real calendar date

}  // namespace zhiping::model
