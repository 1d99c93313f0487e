// tests/layout_check/documents_test.cpp — the layout checker on real output (issue 11): every PDF template's
// sample and every hard input under tests/layout_check/inputs/ rendered through render::Renderer, read back and
// checked by every rule. Every violation is printed (page, place, text, rule).
//
// Every rule must find 0 violations on every document.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "layout_check/pdf_glyphs.h"
#include "layout_check/rules.h"
#include "support/files.h"
#include "support/paths.h"
#include "support/repo_renderer.h"
#include "support/samples.h"

namespace zhiping::layout_check {
namespace {


struct Input {
  std::string name;      // shown in the report
  std::string tmpl;      // template
  std::string body;      // JSON
};

std::vector<Input> Inputs() {
  std::vector<Input> in;
  for (const char* t : {"notice", "letter", "report", "review-form", "result-notice"})
    in.push_back({std::string("samples/") + t + ".json", t, testing::Sample(t)});
  const std::string dir = testing::SourceDir() + "/tests/layout_check/inputs/";
  // name → template: the part of the file name before its last '-' (review-form-long → review-form).
  for (const char* f : {"notice-300", "notice-one", "letter-long", "report-long", "review-form-long", "result-notice-300"}) {
    std::string name = f;
    in.push_back({"inputs/" + name + ".json", name.substr(0, name.rfind('-')), testing::ReadAll(dir + name + ".json")});
  }
  return in;
}

TEST(layout_check_Documents, SamplesAndHardInputs) {
  const render::Renderer& r = testing::SharedRenderer();
  std::map<std::string, std::map<std::string, int>> counts;  // rule → document → violations
  for (const auto& in : Inputs()) {
    SCOPED_TRACE(in.name);
    render::RenderedDocument out = r.Render(in.tmpl, in.body);  // a hard input the model refuses fails here
    ASSERT_EQ(out.extension, "pdf");
    Document doc = ReadPdf(out.bytes);
    ASSERT_EQ(static_cast<int>(doc.pages.size()), out.pages);
    ASSERT_FALSE(doc.pages.front().glyphs.empty());
    std::vector<Violation> vs = CheckAll(doc, ProfileFor(in.tmpl));
    for (const auto& v : vs) {
      ++counts[v.rule][in.name];
      std::printf("%s: %s\n", in.name.c_str(), Describe(v).c_str());
      ADD_FAILURE() << in.name << ": " << Describe(v);
    }
  }
  std::printf("\nviolations per rule and document:\n");
  for (const auto& rule : AllRules()) {
    int total = 0;
    std::string per;
    for (const auto& [doc, n] : counts[rule]) total += n, per += " " + doc + "=" + std::to_string(n);
    std::printf("  %-30s %4d%s\n", rule.c_str(), total, per.c_str());
  }
}

}  // namespace
}  // namespace zhiping::layout_check
