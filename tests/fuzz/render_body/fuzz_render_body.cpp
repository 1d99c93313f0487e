// libFuzzer target: arbitrary bytes as a request body, validated and rendered as users' bodies are.
//
// The first byte picks what the rest is: one of the seven templates (validated, then rendered into a PDF or XLSX
// when valid, exactly as Renderer::Render does for `zhiping render` and POST /v1/render) or a bulk-letters body
// (validated: ValidateRequest("bulk-letters")). A zhiping::Error is an answer (400, 422, ...), not a finding;
// anything else — a crash, a leak, undefined behaviour, another exception — is. The seed corpus is samples/*.json,
// each behind the byte that selects its template (CMakeLists.txt here). docs/validation.md says how to run it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/error.h"
#include "common/json.h"
#include "model/validate.h"
#include "render/renderer.h"

namespace {

const char* const kKinds[] = {"notice",         "report",         "letter",        "review-form",
                              "roster-summary", "roster-results", "roster-qualification", "bulk-letters",
                              "result-notice"};
constexpr size_t kKindCount = sizeof kKinds / sizeof kKinds[0];

const zhiping::render::Renderer& TheRenderer() {
  // Built once: loading fonts takes a moment, and a Renderer is safe to share (render/renderer.h).
  static const zhiping::render::Renderer* renderer = [] {
    zhiping::render::RendererConfig config;
    config.templates_dir = std::string(ZHIPING_SOURCE_DIR) + "/templates";
    config.font_role_map = std::string(ZHIPING_SOURCE_DIR) + "/fonts/fonts.conf";
    const char* cache = std::getenv("ZHIPING_FUZZ_FONT_CACHE");
    config.font_cache_dir = cache && *cache ? cache : "/tmp/zhiping-fuzz-font-cache";
    config.today = "2022-12-31";  // the samples' round: the same input gives the same run on any day
    return new zhiping::render::Renderer(config);
  }();
  return *renderer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string kind = kKinds[data[0] % kKindCount];
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if (kind == "bulk-letters") {
      zhiping::model::ValidateRequest(kind, zhiping::ParseJson(body), zhiping::model::ValidationContext{"2022-12-31"});
    } else {
      TheRenderer().Render(kind, body);
    }
  } catch (const zhiping::Error&) {
    // The user's data was refused, with a status: the expected outcome for nearly every input.
  }
  return 0;
}
