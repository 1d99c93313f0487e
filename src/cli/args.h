// cli/args.h — the options every command shares, --config, --archive, --templates and --fonts (CommonOptions),
// and how they become the configuration: ResolveConfig() layers them over the configuration file (and the
// environment, see service/config.h). Parsing itself is common/command_line.h's (CLI11).
#pragma once

#include <string>

#include "common/command_line.h"
#include "service/config.h"

namespace zhiping::cli {

struct CommonOptions {
  std::string config;     // --config FILE ("": none, built-in defaults)
  std::string archive;    // --archive DIR ("": the configuration's)
  std::string templates;  // --templates DIR
  std::string fonts;      // --fonts FILE
};

// Declares the common options on `line`, to be filled into `options` by its Parse().
void AddCommonOptions(CommandLine& line, CommonOptions* options);

// LoadConfig(--config) then --archive/--templates/--fonts on top; templates and fonts nobody named come from the
// data directory (common/data_dir.h). Throws zhiping::Error: kInvalidInput for a bad configuration or a --config
// file that cannot be read (the user named it: exit 2), kUnavailable when no data directory can be found.
service::ServiceConfig ResolveConfig(const CommonOptions& options);

// samples/ in the data directory (the preview's default sample folder).
std::string DefaultSamplesDir();

}  // namespace zhiping::cli
