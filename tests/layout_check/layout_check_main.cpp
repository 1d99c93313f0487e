// tests/layout_check/layout_check_main.cpp — the layout checker on the command line:
//   layout_check FILE.pdf [--template NAME] [--json] [--rule ID]... [--dump]
// prints every violation (one per line, or a JSON array with --json) and exits 1 when there are any, 0 when none,
// 2 on a usage error or a PDF that cannot be read. --template picks the document profile (notice, report, letter,
// review-form; default: none, only the generic rules' expectations). --dump prints the lines read back instead.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "layout_check/pdf_glyphs.h"
#include "layout_check/rules.h"

using namespace zhiping::layout_check;

int main(int argc, char** argv) {
  std::string file, tmpl;
  bool json = false, dump = false;
  std::vector<std::string> only;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--json") json = true;
    else if (a == "--dump") dump = true;
    else if (a == "--template" && i + 1 < argc) tmpl = argv[++i];
    else if (a == "--rule" && i + 1 < argc) only.push_back(argv[++i]);
    else if (a == "-h" || a == "--help" || (a.size() > 1 && a[0] == '-') || !file.empty()) {
      std::cerr << "usage: layout_check FILE.pdf [--template notice|report|letter|review-form] [--json] [--rule ID]... "
                   "[--dump]\nrules:";
      for (const auto& r : AllRules()) std::cerr << ' ' << r;
      std::cerr << '\n';
      return 2;
    } else file = a;
  }
  if (file.empty()) {
    std::cerr << "layout_check: no PDF given (--help)\n";
    return 2;
  }
  Document doc;
  try {
    doc = ReadPdfFile(file);
  } catch (const std::exception& e) {
    std::cerr << "layout_check: " << file << ": " << e.what() << '\n';
    return 2;
  }
  if (dump) {
    for (const auto& p : doc.pages) {
      std::printf("== page %d (%.1f x %.1f), %zu rules, %zu images\n", p.index + 1, p.width, p.height, p.rules.size(),
                  p.images.size());
      for (const auto& l : p.lines) {
        const Glyph& g = p.glyphs[l.glyphs.front()];
        std::printf("  y %7.2f x %6.1f..%6.1f size %5.2f hs %.2f %s%s  %s\n", l.baseline, l.x0, l.x1, l.size, g.hscale,
                    g.fill.IsRed() ? "red " : "", g.font.c_str(), Utf8(l.Text(p.glyphs)).c_str());
      }
    }
    return 0;
  }
  std::vector<Violation> vs = CheckAll(doc, ProfileFor(tmpl));
  if (!only.empty()) {
    std::vector<Violation> kept;
    for (auto& v : vs)
      for (const auto& r : only)
        if (v.rule == r) kept.push_back(v);
    vs = kept;
  }
  if (json) {
    std::cout << ToJson(vs) << '\n';
  } else {
    for (const auto& v : vs) std::cout << Describe(v) << '\n';
    std::cerr << file << ": " << vs.size() << " violation(s)\n";
  }
  return vs.empty() ? 0 : 1;
}
