#include "cli/args.h"

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
  return config;
}

}  // namespace zhiping::cli
