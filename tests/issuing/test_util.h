// tests/issuing/test_util.h — shared helpers of the issuing tests: fresh folders under $ZHIPING_TEST_TMP, the
// repository's samples, digests, and bodies derived from the samples.
#pragma once

#include <string>

#include "render/renderer.h"

namespace zhiping::issuing_test {

std::string TmpRoot();                      // $ZHIPING_TEST_TMP/issuing (or <build>/test-tmp/issuing)
std::string FreshDir(const std::string& name);  // TmpRoot()/name-<pid>, emptied
std::string FontCacheDir();                 // shared by every issuing test (prepared fonts are written atomically)
render::RendererConfig RepoRendererConfig();
std::string Sample(const std::string& name);  // samples/<name>
std::string Sha256Hex(const std::string& bytes);
std::string Sha512Hex(const std::string& bytes);
// The sample body with `pointer` (one of a few string fields, "/letter/no" …) set to `value`.
std::string WithString(const std::string& body, const std::string& pointer, const std::string& value);
// The letter sample for applicant `id` (applicant.id and result.applicant_id).
std::string LetterFor(const std::string& id);

}  // namespace zhiping::issuing_test
