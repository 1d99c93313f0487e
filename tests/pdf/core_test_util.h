// tests/pdf/core_test_util.h — helpers shared by the typesetting-core test binaries (fonts, layout, pdf, render,
// templating): the per-run temp dir, one shared FontSet/Renderer per process, running the poppler/qpdf tools.
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

namespace zhiping::coretest {

inline std::string SourceDir() { return ZHIPING_SOURCE_DIR; }

inline void MakeDirs(const std::string& dir) {
  std::string cur;
  for (size_t i = 0; i < dir.size(); ++i) {
    cur += dir[i];
    if ((dir[i] == '/' && i > 0) || i + 1 == dir.size()) ::mkdir(cur.c_str(), 0755);
  }
}

// ZHIPING_TEST_TMP (set by ctest), else <build>/test-tmp. Everything we write goes below it.
inline std::string TestTmp() {
  const char* env = std::getenv("ZHIPING_TEST_TMP");
  std::string base = env && *env ? env : std::string(ZHIPING_BINARY_DIR) + "/test-tmp";
  MakeDirs(base);
  return base;
}

// A fresh directory unique to this process and call.
inline std::string UniqueDir(const std::string& tag) {
  static std::atomic<int> counter{0};
  std::string d = TestTmp() + "/coretests-" + tag + "-" + std::to_string(::getpid()) + "-" +
                  std::to_string(counter++);
  MakeDirs(d);
  return d;
}

// Prepared fonts are shared by every core test process (PrepareFont is process-safe: temp name + rename).
inline std::string SharedFontCache() {
  std::string d = TestTmp() + "/coretests-font-cache";
  MakeDirs(d);
  return d;
}

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

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

struct CommandResult {
  int exit_code = -1;
  std::string out, err;
};

// Runs `cmd` through the shell; stdout via popen, stderr captured into a file next to the inputs.
inline CommandResult RunCommand(const std::string& cmd) {
  static std::atomic<int> n{0};
  std::string err_path = TestTmp() + "/coretests-stderr-" + std::to_string(::getpid()) + "-" + std::to_string(n++);
  CommandResult r;
  FILE* p = ::popen((cmd + " 2>'" + err_path + "'").c_str(), "r");
  if (!p) return r;
  char buf[65536];
  size_t k;
  while ((k = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, k);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = ReadAll(err_path);
  std::remove(err_path.c_str());
  return r;
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

inline bool Contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace zhiping::coretest
