// Every samples/*.json validates cleanly as the template its file name names. The samples are what users copy,
// and what `zhiping templates NAME` shows, so a rule change that rejects them is a contract change.
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <ctime>
#include <vector>

#include "common/json.h"
#include "model/lazy_body.h"
#include "model/parse.h"
#include "model/validate.h"
#include "test_body.h"

namespace zhiping::model::testing {
namespace {

std::string Today() {
  std::time_t now = std::time(nullptr);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", std::localtime(&now));
  return buf;
}

std::vector<std::string> SampleNames() {
  std::vector<std::string> names;
  std::string dir = std::string(ZHIPING_SOURCE_DIR) + "/samples";
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string file = e->d_name;
      if (file.size() > 5 && file.compare(file.size() - 5, 5, ".json") == 0) {
        names.push_back(file.substr(0, file.size() - 5));
      }
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(model_Samples, EverySampleValidates) {
  std::vector<std::string> names = SampleNames();
  for (const std::string& required : zhiping::testing::RequiredSampleNames()) {
    EXPECT_NE(std::find(names.begin(), names.end(), required), names.end())
        << "samples/" << required << ".json is missing";
  }
  for (const std::string& name : names) {
    SCOPED_TRACE("samples/" + name + ".json");
    if (name == "bulk-review-forms" || name == "bulk-reports") {
      // A bulk body of documents: its envelope, then every item as the model checks it in a bulk run.
      const std::string template_name = name == "bulk-reports" ? "report" : "review-form";
      for (const std::string& today : {std::string("2022-12-31"), Today()}) {
        LazyBody body = LazyBody::FromFile(std::string(ZHIPING_SOURCE_DIR) + "/samples/" + name + ".json", {"items"});
        Parsed<Batch> envelope = ParseBulkDocumentsEnvelope(template_name, body, kMaxListEntries, today);
        EXPECT_TRUE(envelope.ok()) << Describe(envelope.TakeProblems());
        const LazyBody::List* items = body.Find("items");
        ASSERT_NE(items, nullptr);
        EXPECT_GE(items->elements.size(), 2u);
        LazyBody::Reader reader(body);
        for (size_t i = 0; i < items->elements.size(); ++i) {
          Parsed<Request> item = ParseBulkDocument(template_name, body, reader, i, today);
          EXPECT_TRUE(item.ok()) << "item " << i << ": " << Describe(item.TakeProblems());
        }
      }
      continue;
    }
    Problems ps = Validate(name, SampleJson(name));
    EXPECT_TRUE(ps.empty()) << Describe(ps);
    // Also against the real clock: no sample date may lie in the future of whoever runs them.
    EXPECT_TRUE(Validate(name, SampleJson(name), Today()).empty());
  }
}

TEST(model_Samples, ReviewFormIsFull) {
  Poco::Dynamic::Var body = SampleJson("review-form");
  auto count = [&](const std::string& ptr) {
    Poco::Dynamic::Var v = AtPointer(body, ptr);
    return v.isEmpty() ? 0u : v.extract<Poco::JSON::Array::Ptr>()->size();
  };
  EXPECT_GE(count("/applicant/history"), 6u);
  EXPECT_GE(count("/applicant/achievements"), 3u);
  EXPECT_GE(count("/applicant/publications"), 1u);
  EXPECT_GE(count("/applicant/awards"), 1u);
  EXPECT_GE(count("/applicant/appraisals"), 1u);
  EXPECT_FALSE(StringAt(body, "/applicant/photo/data").empty());
  EXPECT_FALSE(AtPointer(body, "/applicant/opinions/committee/votes").isEmpty());
}

}  // namespace
}  // namespace zhiping::model::testing
