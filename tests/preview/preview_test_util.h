// tests/preview/preview_test_util.h — shared by the preview test binaries: the test day and one GET/POST to the
// preview server without a token. Folders, files, samples, commands, the renderer and HTTP come from tests/support
// (and pdftotext from the core tests' helpers).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "../pdf/core_test_util.h"
#include "support/files.h"
#include "support/http_client.h"
#include "support/json_edit.h"
#include "support/repo_renderer.h"
#include "support/samples.h"

namespace zhiping::previewtest {

using namespace coretest;
using testing::CopyTree;
using testing::ParseObject;
using testing::Sample;
using testing::SharedRenderer;
using HttpAnswer = testing::TestReply;

inline constexpr const char* kToday = testing::kTestToday;

// The preview server needs no token.
inline HttpAnswer Http(int port, const std::string& method, const std::string& path, const std::string& body = "") {
  return testing::SendTestRequest(static_cast<uint16_t>(port), method, path, "", body);
}

}  // namespace zhiping::previewtest
