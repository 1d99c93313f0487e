// model/qualification.h — who a result notice publishes: the one owner of that rule.
//
// A result with `qualified_from` says the body lists its applicant as qualified. That is allowed only when the
// senior committee passed the applicant (senior_review.passed true) and the exam did not fail (exam.passed not
// false, and exam.score, when given, not under batch.exam_pass_line, when given). Validation refuses a body that
// lists anyone else (model/validate.cpp, with the reason told per person); the view publishes exactly the listed
// applicants (ListedApplicants), so an applicant who failed never appears whatever the template says.
// Pure functions of plain values; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "model/dates.h"
#include "model/request.h"

namespace zhiping::model {

// Why a result may not be listed as qualified; kNone when it may.
enum class Exclusion {
  kNone,
  kSeniorNotPassed,    // senior_review missing, or passed not true
  kExamNotPassed,      // exam.passed false
  kExamBelowPassLine,  // exam.score under batch.exam_pass_line
};
Exclusion ExclusionOf(const Batch& batch, const Result& result);

// One row of the published list: only the fields a public list may carry (never an ID number, phone, birth date or
// photo: they are not members).
struct ListedApplicant {
  std::string committee;      // the group heading (推荐评委会 / city)
  std::string name;
  Text gender, unit, post;
  std::string qualification;  // applying_for, else batch.title
  Date qualified_from;
};

// The applicants a (validated) result notice publishes: those whose result has qualified_from and no Exclusion,
// grouped by committee in the order each committee first appears among them, in body order inside a group.
std::vector<ListedApplicant> ListedApplicants(const ResultNoticeRequest& request);

}  // namespace zhiping::model
