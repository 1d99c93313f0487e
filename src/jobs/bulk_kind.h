// jobs/bulk_kind.h — what a bulk run issues: the letters of a round, its review forms, or its committees' reports.
//
// Contract: one row per kind, read-only, the one place that says how a kind differs — its word on the command
// line and in the route (`zhiping bulk reports`, POST /v1/jobs/reports), the template each item is issued with,
// where the model finds its body (model::ParseBulkLetter for letters, model::ParseBulkDocument for the others),
// and the print file's index (title and the two columns between 序号 and 页码, read from each item as written).
// Everything else (threads, progress, archive, zip, print file, jobs over HTTP) is the same machinery for every
// kind. Thread-safe (constants).
#pragma once

#include <string>
#include <vector>

namespace zhiping::jobs {

struct BulkKind {
  const char* name;           // "letters", "review-forms", "reports": the CLI word and the route's segment
  const char* template_name;  // "letter", "review-form", "report"
  const char* noun;           // "letters", "review forms", "reports" (progress and summary lines)
  const char* document;       // 评审结果通知书, 评审表, 评审委员会报告: what a clerk calls one
  const char* print_title;    // the print file's title and index heading
  // The index's two middle columns: heading, and where an item holds the value (item[object][key]).
  const char* first_heading;
  const char* first_object;
  const char* first_key;
  const char* second_heading;
  const char* second_object;
  const char* second_key;
};

const BulkKind& LettersKind();
// nullptr for an unknown name.
const BulkKind* FindBulkKind(const std::string& name);
const std::vector<const BulkKind*>& BulkKinds();
// "letters|review-forms|reports" for usage lines.
std::string BulkKindNames();

}  // namespace zhiping::jobs
