// tests/support/repo_renderer.h — a Renderer over the repository's templates and fonts, for the test binaries that
// link zhiping_render (header only, so zhiping_test_support itself does not depend on the render stage).
//
// Prepared fonts go to SharedFontCache(). SharedRenderer(): one per process, today = kTestToday; never destroyed.
#pragma once

#include <string>

#include "render/renderer.h"
#include "support/paths.h"

namespace zhiping::testing {

// The end of the 2022 round: the samples' dates are all in the past and their deadlines passed.
inline constexpr const char* kTestToday = "2022-12-31";

// `templates_dir` "" : the repository's templates. `today` is left as the renderer's default (the real clock).
inline render::RendererConfig RepoRendererConfig(const std::string& templates_dir = "") {
  render::RendererConfig c;
  c.templates_dir = templates_dir.empty() ? SourceDir() + "/templates" : templates_dir;
  c.font_role_map = SourceDir() + "/fonts/fonts.conf";
  c.font_cache_dir = SharedFontCache();
  return c;
}

inline const render::Renderer& SharedRenderer() {
  static const render::Renderer* r = [] {
    render::RendererConfig c = RepoRendererConfig();
    c.today = kTestToday;
    return new render::Renderer(c);
  }();
  return *r;
}

}  // namespace zhiping::testing
