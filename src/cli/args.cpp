#include "cli/args.h"

#include "common/data_dir.h"
#include "common/error.h"

namespace zhiping::cli {

const std::set<std::string> kCommonValueOptions = {"--config", "--archive", "--templates", "--fonts"};

bool ParseArgs(const std::vector<std::string>& args, const std::set<std::string>& value_options,
               const std::set<std::string>& flags, ParsedArgs* out, std::string* error) {
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (options_done || a.size() < 2 || a[0] != '-') {
      out->positional.push_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    std::string name = a, value;
    bool inline_value = false;
    if (size_t eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      inline_value = true;
    }
    if (value_options.count(name)) {
      if (!inline_value) {
        if (i + 1 >= args.size()) {
          *error = name + " needs a value";
          return false;
        }
        value = args[++i];
      }
      out->values[name] = value;
    } else if (flags.count(name) && !inline_value) {
      out->flags.insert(name);
    } else {
      *error = "unknown option " + name;
      return false;
    }
  }
  return true;
}

bool ExtractCommonOptions(const std::vector<std::string>& args, ParsedArgs* common, std::vector<std::string>* rest,
                          std::string* error) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    size_t eq = a.find('=');
    std::string name = eq == std::string::npos ? a : a.substr(0, eq);
    if (!kCommonValueOptions.count(name)) {
      rest->push_back(a);
      continue;
    }
    if (eq != std::string::npos) {
      common->values[name] = a.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      common->values[name] = args[++i];
    } else {
      *error = name + " needs a value";
      return false;
    }
  }
  return true;
}

service::ServiceConfig ResolveConfig(const ParsedArgs& args) {
  service::ServiceConfig config = service::LoadConfig(args.value("--config"));
  if (args.values.count("--archive")) config.archive_dir = args.value("--archive");
  if (args.values.count("--templates")) config.templates_dir = args.value("--templates");
  if (args.values.count("--fonts")) config.font_role_map = args.value("--fonts");
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
