// tests/support/samples.h — the repository's sample bodies (samples/<name>.json), as text or parsed.
//
// `name` is "letter" or "letter.json". A missing sample throws std::runtime_error naming the file, so a test that
// needs it fails (never skips).
#pragma once

#include <Poco/Dynamic/Var.h>

#include <string>
#include <vector>

namespace zhiping::testing {

std::string SamplePath(const std::string& name);
std::string Sample(const std::string& name);
Poco::Dynamic::Var SampleJson(const std::string& name);
// The sample names every template of the contract must have (notice, report, letter, review-form, the rosters,
// bulk-letters, result-notice), so loops over samples cannot silently pass over a missing one.
const std::vector<std::string>& RequiredSampleNames();

}  // namespace zhiping::testing
