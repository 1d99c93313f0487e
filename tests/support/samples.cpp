#include "samples.h"

#include <filesystem>
#include <stdexcept>

#include "common/json.h"
#include "files.h"
#include "paths.h"

namespace zhiping::testing {

std::string SamplePath(const std::string& name) {
  const bool has_suffix = name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0;
  return SourceDir() + "/samples/" + name + (has_suffix ? "" : ".json");
}

std::string Sample(const std::string& name) {
  const std::string path = SamplePath(name);
  if (!std::filesystem::exists(path)) throw std::runtime_error("missing sample " + path);
  return ReadAll(path);
}

Poco::Dynamic::Var SampleJson(const std::string& name) { return ParseJson(Sample(name)); }

const std::vector<std::string>& RequiredSampleNames() {
  static const std::vector<std::string> names = {"notice",         "report",         "letter",
                                                 "review-form",    "roster-summary", "roster-qualification",
                                                 "roster-results", "bulk-letters",   "result-notice"};
  return names;
}

}  // namespace zhiping::testing
