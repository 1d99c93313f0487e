#include "model/qualification.h"

#include <map>
#include <unordered_map>

namespace zhiping::model {

Exclusion ExclusionOf(const Batch& batch, const Result& result) {
  if (!result.senior_review || !result.senior_review->passed.value_or(false)) return Exclusion::kSeniorNotPassed;
  if (result.exam) {
    if (result.exam->passed && !*result.exam->passed) return Exclusion::kExamNotPassed;
    if (result.exam->score && batch.exam_pass_line && *result.exam->score < *batch.exam_pass_line)
      return Exclusion::kExamBelowPassLine;
  }
  return Exclusion::kNone;
}

std::vector<ListedApplicant> ListedApplicants(const ResultNoticeRequest& request) {
  std::unordered_map<std::string, const Result*> listed;
  for (const Result& r : request.results)
    if (r.qualified_from && ExclusionOf(request.batch, r) == Exclusion::kNone) listed.emplace(r.applicant_id, &r);
  std::vector<std::string> order;                          // committees, first appearance first
  std::map<std::string, std::vector<ListedApplicant>> groups;
  for (const Applicant& a : request.applicants) {
    auto it = listed.find(a.id);
    if (it == listed.end()) continue;
    ListedApplicant row;
    row.committee = a.committee.value_or("");
    row.name = a.name;
    row.gender = a.gender;
    row.unit = a.unit;
    row.post = a.post;
    row.qualification = a.applying_for && !a.applying_for->empty() ? *a.applying_for : request.batch.title;
    row.qualified_from = *it->second->qualified_from;
    auto [g, fresh] = groups.try_emplace(row.committee);
    if (fresh) order.push_back(row.committee);
    g->second.push_back(std::move(row));
  }
  std::vector<ListedApplicant> out;
  for (const std::string& c : order)
    for (ListedApplicant& row : groups[c]) out.push_back(std::move(row));
  return out;
}

}  // namespace zhiping::model
