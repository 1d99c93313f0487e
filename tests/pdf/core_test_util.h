// tests/pdf/core_test_util.h — helpers shared by the typesetting-core test binaries (fonts, layout, pdf, render,
// templating): one shared FontSet per process and reading poppler's `pdftotext -bbox`. Folders, files and
// commands come from tests/support.
#pragma once

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "fonts/font_set.h"
#include "support/files.h"
#include "support/paths.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

namespace zhiping::coretest {

// The shared helpers (tests/support), under the names these tests use.
using testing::CommandResult;
using testing::FileExists;
using testing::FreshDir;
using testing::ReadAll;
using testing::RunCommand;
using testing::SharedFontCache;
using testing::SourceDir;
using testing::TestTmpRoot;
using testing::WriteAll;

inline fonts::FontSetOptions DefaultFontOptions() {
  fonts::FontSetOptions o;
  o.role_map_path = SourceDir() + "/fonts/fonts.conf";
  o.search_dirs = fonts::DefaultFontSearchDirs(SourceDir() + "/fonts");
  o.cache_dir = SharedFontCache();
  return o;
}

// One FontSet per test process.
inline const fonts::FontSet& SharedFonts() {
  static const fonts::FontSet* set = new fonts::FontSet(DefaultFontOptions());
  return *set;
}

// One word of `pdftotext -bbox` output; y from the top of the page, in points.
struct BoxWord {
  int page = 0;  // 0-based
  double x_min, y_min, x_max, y_max;
  std::string text;
};

inline std::string DecodeEntities(std::string s) {
  const std::pair<const char*, const char*> ents[] = {{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
                                                       {"&apos;", "'"}, {"&amp;", "&"}};
  for (auto [from, to] : ents)
    for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += std::strlen(to))
      s.replace(p, std::strlen(from), to);
  return s;
}

inline std::vector<BoxWord> ParseBbox(const std::string& html, int* page_count = nullptr) {
  std::vector<BoxWord> words;
  static const std::regex word_re(
      R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>)re");
  int page = -1;
  std::istringstream in(html);
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (line.find("<page ") != std::string::npos) ++page;
    if (std::regex_search(line, m, word_re))
      words.push_back({page, std::stod(m[1]), std::stod(m[2]), std::stod(m[3]), std::stod(m[4]), DecodeEntities(m[5])});
  }
  if (page_count) *page_count = page + 1;
  return words;
}

// pdftotext's text of the PDF at `path` without spaces and line breaks: it puts spaces where we set the ¼-em
// Han–Latin gap and breaks lines anywhere, so tests compare without them.
inline std::string SqueezedPdfText(const std::string& path) {
  std::string text;
  for (char c : RunCommand("pdftotext -enc UTF-8 '" + path + "' -").out)
    if (c != '\n' && c != ' ' && c != '\f') text += c;
  return text;
}

// Every font of the PDF at `path` is embedded (pdffonts' "emb" column), and there are at least two.
inline void ExpectFontsEmbedded(const std::string& path) {
  CommandResult f = RunCommand("pdffonts '" + path + "'");
  EXPECT_EQ(f.exit_code, 0);
  std::istringstream in(f.out);
  std::string line;
  int fonts = 0;
  while (std::getline(in, line)) {
    if (line.rfind("name", 0) == 0 || line.rfind("----", 0) == 0 || line.empty()) continue;
    // Columns: name type encoding emb sub uni object ID; the name may hold spaces, so count from the end.
    std::istringstream ls(line);
    std::vector<std::string> tok;
    for (std::string s; ls >> s;) tok.push_back(s);
    ASSERT_GE(tok.size(), 7u) << line;
    EXPECT_EQ(tok[tok.size() - 5], "yes") << "font not embedded: " << line;
    ++fonts;
  }
  EXPECT_GE(fonts, 2) << f.out;
}

// qpdf and poppler (pdftotext, pdffonts) accept the PDF at `path` without a warning, and every font is embedded.
inline void ExpectCleanPdf(const std::string& path) {
  CommandResult q = RunCommand("qpdf --check '" + path + "'");
  EXPECT_EQ(q.exit_code, 0) << q.out << q.err;
  EXPECT_EQ(q.err, "") << "qpdf warnings";
  CommandResult t = RunCommand("pdftotext -enc UTF-8 '" + path + "' /dev/null");
  EXPECT_EQ(t.exit_code, 0);
  EXPECT_EQ(t.err, "") << "poppler warnings from pdftotext";
  CommandResult f = RunCommand("pdffonts '" + path + "'");
  EXPECT_EQ(f.exit_code, 0);
  EXPECT_EQ(f.err, "") << "poppler warnings from pdffonts";
  ExpectFontsEmbedded(path);
}

inline bool Contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace zhiping::coretest
