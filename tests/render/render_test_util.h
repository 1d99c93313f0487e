// tests/render/render_test_util.h — what the render test binaries share: a rendered PDF written to disk with its
// pdftotext text (whitespace removed), and the poppler/qpdf checks of a clean file. The renderer, samples and JSON
// helpers come from tests/support.
#pragma once

#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>
#include <string>

#include "../pdf/core_test_util.h"
#include "render/renderer.h"
#include "support/json_edit.h"
#include "support/repo_renderer.h"
#include "support/samples.h"

namespace zhiping::rendertest {

using namespace coretest;

constexpr double kPt = 72.0 / 25.4;

using testing::ParseObject;
using testing::Sample;
using testing::SharedRenderer;

struct Rendered {
  std::string path, bytes, text, bbox;
  int pages = 0;
};

inline Rendered RenderToFile(const std::string& tmpl, const std::string& body, const std::string& tag) {
  Rendered r;
  render::RenderedDocument d = SharedRenderer().Render(tmpl, body);
  EXPECT_EQ(d.media_type, "application/pdf");
  r.bytes = d.bytes;
  r.pages = d.pages;
  r.path = FreshDir("render-" + tag) + "/" + tmpl + ".pdf";
  WriteAll(r.path, r.bytes);
  r.text = SqueezedPdfText(r.path);
  return r;
}

inline void ExpectCleanPdf(const Rendered& r) { coretest::ExpectCleanPdf(r.path); }

}  // namespace zhiping::rendertest
