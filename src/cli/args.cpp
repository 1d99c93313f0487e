#include "cli/args.h"

#include "common/data_dir.h"
#include "common/error.h"

namespace zhiping::cli {

void AddCommonOptions(CommandLine& line, CommonOptions* options) {
  line.app().add_option("--config", options->config);
  line.app().add_option("--archive", options->archive);
  line.app().add_option("--templates", options->templates);
  line.app().add_option("--fonts", options->fonts);
}

service::ServiceConfig ResolveConfig(const CommonOptions& options) {
  service::ServiceConfig config;
  AsUsageError([&] { config = service::LoadConfig(options.config); });  // e.g. a --config file that is not there
  if (!options.archive.empty()) config.archive_dir = options.archive;
  if (!options.templates.empty()) config.templates_dir = options.templates;
  if (!options.fonts.empty()) config.font_role_map = options.fonts;
  // What nobody named comes from the data directory the program finds by itself (common/data_dir.h). A path the
  // configuration file gave is absolute by now (resolved against the file's folder), so a value still equal to the
  // built-in default is one nobody chose.
  const service::ServiceConfig defaults;
  const bool templates_unset = config.templates_dir == defaults.templates_dir;
  const bool fonts_unset = config.font_role_map == defaults.font_role_map;
  if (templates_unset || fonts_unset) {
    DataDirLookup data = FindDataDir();
    if (!data.env_problem.empty()) throw Error(ErrorKind::kUnavailable, data.env_problem);
    if (data.dir.empty()) {
      std::string searched;
      for (const auto& d : data.searched) searched += (searched.empty() ? "" : ", ") + d;
      throw Error(ErrorKind::kUnavailable,
                  "cannot find zhiping's data (templates/ and fonts/fonts.conf) in " + searched +
                      "; set ZHIPING_DATA_DIR or pass --templates and --fonts");
    }
    if (data.dir != ".") {
      if (templates_unset) config.templates_dir = data.dir + "/templates";
      if (fonts_unset) config.font_role_map = data.dir + "/fonts/fonts.conf";
    }
  }
  return config;
}

std::string DefaultSamplesDir() {
  DataDirLookup data = FindDataDir();
  if (data.dir.empty() || data.dir == ".") return "samples";
  return data.dir + "/samples";
}

}  // namespace zhiping::cli
