// tests/service/test_renderer.h — a Renderer over the repository's templates and fonts for the HTTP tests, with its
// font cache in a folder of this process (CTest runs each test case as its own process, in parallel).
#pragma once

#include <unistd.h>

#include <string>

#include "render/renderer.h"
#include "test_tmp.h"

// `tag` names the process's folder: TestTmpDir(tag-PID).
inline zhiping::render::Renderer* NewTestRenderer(const std::string& tag) {
  std::string tmp = TestTmpDir(tag + "-" + std::to_string(getpid()));
  zhiping::render::RendererConfig rc;
  rc.templates_dir = std::string(ZHIPING_SOURCE_DIR) + "/templates";
  rc.font_role_map = std::string(ZHIPING_SOURCE_DIR) + "/fonts/fonts.conf";
  rc.font_cache_dir = tmp + "/font-cache";
  return new zhiping::render::Renderer(rc);
}
