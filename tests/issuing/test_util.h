// tests/issuing/test_util.h — what the issuing tests share beyond tests/support: bodies derived from the samples.
// Folders, samples, digests (archive/digest.h) and the repository's renderer come from tests/support and src.
#pragma once

#include <string>

#include "archive/digest.h"
#include "support/json_edit.h"
#include "support/repo_renderer.h"
#include "support/samples.h"
#include "support/temp_dir.h"

namespace zhiping::issuing_test {

using testing::FreshDir;
using testing::RepoRendererConfig;
using testing::Sample;
using testing::WithString;

inline std::string Sha256Hex(const std::string& bytes) { return archive::HexDigest("sha256", bytes); }
inline std::string Sha512Hex(const std::string& bytes) { return archive::HexDigest("sha512", bytes); }

// The letter sample for applicant `id` (applicant.id and result.applicant_id).
inline std::string LetterFor(const std::string& id) {
  return WithString(WithString(Sample("letter"), "/applicant/id", id), "/result/applicant_id", id);
}

}  // namespace zhiping::issuing_test
