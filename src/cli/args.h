// cli/args.h — the command line's small grammar: positional words, `--name VALUE` / `--name=VALUE` options and
// flags, `--` ending options, and '-' as an ordinary word (stdin/stdout).
//
// Every command shares the options --config, --archive, --templates and --fonts (CommonOptions); ResolveConfig()
// layers them over the configuration file (and the environment, see service/config.h).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "service/config.h"

namespace zhiping::cli {

struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;  // "--port" -> "8080" (last one wins)
  std::set<std::string> flags;                // "--help"
  bool has(const std::string& name) const { return values.count(name) || flags.count(name); }
  std::string value(const std::string& name, const std::string& fallback = "") const {
    auto it = values.find(name);
    return it == values.end() ? fallback : it->second;
  }
};

// Options taking a value, and flags. An option not in either set is a usage error (returned in `error`).
bool ParseArgs(const std::vector<std::string>& args, const std::set<std::string>& value_options,
               const std::set<std::string>& flags, ParsedArgs* out, std::string* error);

// The options every command accepts.
extern const std::set<std::string> kCommonValueOptions;  // --config --archive --templates --fonts

// Takes the common options out of `args` (for commands that parse the rest themselves, e.g. `archive`).
bool ExtractCommonOptions(const std::vector<std::string>& args, ParsedArgs* common, std::vector<std::string>* rest,
                          std::string* error);

// LoadConfig(--config) then --archive/--templates/--fonts on top; templates and fonts nobody named come from the
// data directory (common/data_dir.h). Throws zhiping::Error like LoadConfig, and kUnavailable when no data
// directory can be found.
service::ServiceConfig ResolveConfig(const ParsedArgs& args);

// samples/ in the data directory (the preview's default sample folder).
std::string DefaultSamplesDir();

}  // namespace zhiping::cli
