// tests/render/render_test_util.h — what the render test binaries share: one Renderer over the repository's templates
// and fonts, the samples, and a rendered PDF written to disk with its pdftotext text (whitespace removed).
#pragma once

#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>
#include <string>

#include "../pdf/core_test_util.h"
#include "render/renderer.h"

namespace zhiping::rendertest {

using namespace coretest;

constexpr double kPt = 72.0 / 25.4;

inline const render::Renderer& SharedRenderer() {
  static const render::Renderer* r = [] {
    render::RendererConfig c;
    c.templates_dir = SourceDir() + "/templates";
    c.font_role_map = SourceDir() + "/fonts/fonts.conf";
    c.font_cache_dir = SharedFontCache();
    c.today = "2022-12-31";
    return new render::Renderer(c);
  }();
  return *r;
}

inline std::string Sample(const std::string& name) { return ReadAll(SourceDir() + "/samples/" + name + ".json"); }

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
  r.path = UniqueDir("render-" + tag) + "/" + tmpl + ".pdf";
  WriteAll(r.path, r.bytes);
  // pdftotext puts spaces where we set the ¼-em Han–Latin gap and breaks lines anywhere: compare without them.
  for (char c : RunCommand("pdftotext -enc UTF-8 '" + r.path + "' -").out)
    if (c != '\n' && c != ' ' && c != '\f') r.text += c;
  return r;
}

inline Poco::JSON::Object::Ptr ParseObject(const std::string& json) {
  Poco::JSON::Parser p;
  return p.parse(json).extract<Poco::JSON::Object::Ptr>();
}

inline std::string Stringify(const Poco::JSON::Object::Ptr& o) {
  std::ostringstream ss;
  Poco::JSON::Stringifier::stringify(o, ss);
  return ss.str();
}

// qpdf and poppler accept the file without a warning and every font is embedded.
inline void ExpectCleanPdf(const Rendered& r) {
  auto q = RunCommand("qpdf --check '" + r.path + "'");
  EXPECT_EQ(q.exit_code, 0) << q.out << q.err;
  auto t = RunCommand("pdftotext '" + r.path + "' /dev/null");
  EXPECT_EQ(t.exit_code, 0);
  EXPECT_EQ(t.err, "") << "pdftotext warnings";
  auto f = RunCommand("pdffonts '" + r.path + "'");
  EXPECT_EQ(f.exit_code, 0);
  EXPECT_EQ(f.err, "") << "pdffonts warnings";
  std::istringstream in(f.out);
  std::string line;
  int fonts = 0;
  while (std::getline(in, line)) {
    if (line.rfind("name", 0) == 0 || line.rfind("----", 0) == 0 || line.empty()) continue;
    std::istringstream ls(line);
    std::vector<std::string> tok;
    for (std::string s; ls >> s;) tok.push_back(s);
    ASSERT_GE(tok.size(), 7u) << line;
    EXPECT_EQ(tok[tok.size() - 5], "yes") << "font not embedded: " << line;
    ++fonts;
  }
  EXPECT_GE(fonts, 2);
}

}  // namespace zhiping::rendertest
