// tests/support/bulk_samples.h — bulk bodies of letters, review forms and reports made from the repository's samples
// (samples/review-form.json, samples/report.json), for the bulk and print-file tests of every stage.
//
// Items differ where the archive and the print file's index must tell them apart: review forms by applicant id and
// name, reports by committee id, name and 文号. An item in `broken` breaks one rule (a review form's applicant has
// no name; a report's committee has no name), so it fails alone. Throws like testing::SampleJson.
#pragma once

#include <cstddef>
#include <set>
#include <string>

namespace zhiping::testing {

// samples/bulk-letters.json's letters for applicants `prefix`0 … `prefix`(count-1) (the sample's items over and
// over, without their letter numbers); an item in `broken` has no applicant name.
std::string LettersBody(size_t count, const std::string& prefix, const std::set<size_t>& broken = {});
// {batch, items: [{applicant}]}; applicant ids `prefix`0, `prefix`1, …
std::string ReviewFormsBody(size_t count, const std::set<size_t>& broken = {}, const std::string& prefix = "ZG2022-F");
// {batch, items: [{committee, report, applicants}]}; committee ids c0, c1, …; each report lists `applicants` of the
// sample's applicants.
std::string ReportsBody(size_t count, const std::set<size_t>& broken = {}, size_t applicants = 3);
// The name of review form item `index` (ReviewFormsBody), and of report item `index`'s committee (ReportsBody).
std::string ReviewFormName(size_t index);
std::string ReportCommitteeName(size_t index);

}  // namespace zhiping::testing
