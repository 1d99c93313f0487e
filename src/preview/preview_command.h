// preview/preview_command.h — `zhiping preview [--port N] [--bind ADDR] [--templates DIR] [--samples DIR]
// [--fonts FILE] [--help]`: starts the preview page on 127.0.0.1, prints its address, serves until SIGINT/SIGTERM.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace zhiping::preview {

struct PreviewDefaults {
  std::string templates_dir = "templates";
  std::string samples_dir = "samples";
  std::string font_role_map = "fonts/fonts.conf";
  std::string font_cache_dir;  // empty: the renderer's default
  int port = 8090;
};

// The command's help, shown by `zhiping preview --help` (cli/commands.cpp's table points here) and by
// RunPreviewCommand itself: one text.
extern const char kPreviewSynopsis[];
extern const char kPreviewDetails[];

// `args` are the words after "preview". Returns the exit status: 0 after a clean stop (or --help), 2 for bad usage
// (including a --bind other than 127.0.0.1 / localhost), 1 when the server cannot start.
int RunPreviewCommand(const std::vector<std::string>& args, const PreviewDefaults& d, std::ostream& out,
                      std::ostream& err);

}  // namespace zhiping::preview
