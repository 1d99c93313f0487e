// bench/render_bench.cpp — issue 2's speed targets, measured in one run so the ratios compare like with like.
//
//   1. one-page result letter through the whole pipeline (validate, bind, lay out, write PDF), prepared fonts;
//   2. the same laid-out letter's PDF writing alone (prepared fonts, glyph pieces cached: pdf/font_program.h);
//   3. a raw libharu baseline: a new document, the original SungtiL font loaded, the letter's text lines drawn
//      with HPDF_Page_TextOut, saved — the least any libharu-based renderer pays;
//   4. the notice with 200 and with 2,000 applicants (linear growth: target 2,000 ≤ 11 × 200);
//   5. the letter as OFD (issue 13: ofd/ofd_writer.h), whole pipeline and writing alone, as a ratio of the PDF's.
// Medians over N runs after a warm-up. Usage: render_bench [REPO_DIR] [N] [letter]
// With `letter` only stage 1 runs (the letter through the whole pipeline): a short, steady loop to profile or to
// count instructions with callgrind, where this machine's load makes times too noisy for a small change.
#include <hpdf.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <sstream>
#include <thread>
#include <vector>

#include "common/json.h"
#include "common/utf8.h"
#include "fonts/font_set.h"
#include "layout/document_layout.h"
#include "ofd/ofd_writer.h"
#include "pdf/pdf_writer.h"
#include "render/renderer.h"
#include "templating/template.h"

using namespace zhiping;
using Clock = std::chrono::steady_clock;

static double MedianMs(int n, const std::function<void()>& fn) {
  fn();  // warm-up: per-thread font loading, caches
  std::vector<double> ms;
  for (int i = 0; i < n; ++i) {
    auto a = Clock::now();
    fn();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - a).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

static std::string NoticeWith(const std::string& sample, int count) {
  Poco::Dynamic::Var body = ParseJson(sample);
  auto obj = body.extract<Poco::JSON::Object::Ptr>();
  auto src = obj->getArray("applicants");
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (int i = 0; i < count; ++i) {
    auto a = src->getObject(i % src->size());
    Poco::JSON::Object::Ptr copy = new Poco::JSON::Object(*a);
    char id[32];
    std::snprintf(id, sizeof id, "ZG2022-B%06d", i);
    copy->set("id", std::string(id));
    out->add(copy);
  }
  obj->set("applicants", out);
  std::ostringstream ss;
  Poco::JSON::Stringifier::stringify(obj, ss);
  return ss.str();
}

int main(int argc, char** argv) {
  const std::string repo = argc > 1 ? argv[1] : ".";
  const int n = argc > 2 ? std::atoi(argv[2]) : 30;
  render::RendererConfig rc;
  rc.templates_dir = repo + "/templates";
  rc.font_role_map = repo + "/fonts/fonts.conf";
  rc.today = "2022-12-31";
  render::Renderer renderer(rc);
  const std::string letter = ReadFile(repo + "/samples/letter.json");
  // The common case: a name every default font has (the sample's 吉𠮷 pulls in a third, 15 MB font).
  std::string common = letter;
  for (size_t p; (p = common.find("吉𠮷")) != std::string::npos;) common.replace(p, std::string("吉𠮷").size(), "张伟");

  // 1. Full pipeline.
  const double full = MedianMs(n, [&] { renderer.Render("letter", common); });
  if (argc > 3 && std::string(argv[3]) == "letter") {
    std::printf("letter, full pipeline, prepared fonts  %8.2f ms (median of %d)\n", full, n);
    return 0;
  }
  const double full_rare = MedianMs(n, [&] { renderer.Render("letter", letter); });

  // 2. Same layout, PDF writing only.
  fonts::FontSetOptions fo;
  fo.role_map_path = rc.font_role_map;
  fo.search_dirs = fonts::DefaultFontSearchDirs(repo + "/fonts");
  const char* home = std::getenv("HOME");
  fo.cache_dir = std::string(home ? home : "/tmp") + "/.cache/zhiping/fonts";
  fonts::FontSet fontset(fo);
  auto tmpl = templating::PdfTemplate::Load(rc.templates_dir + "/letter.tmpl");
  layout::LaidOutDocument doc = layout::LayOutDocument(tmpl->BindJson(ParseJson(common)), fontset);
  pdf::PdfOptions prepared_opts;
  const double write_prepared = MedianMs(n, [&] { pdf::WritePdf(doc, prepared_opts); });

  // 3. Raw libharu: the letter's lines, one TextOut each, original font, a fresh document per letter.
  std::vector<std::pair<std::string, std::pair<float, float>>> lines;
  for (const auto& run : doc.pages[0].runs) {
    std::u32string u;
    for (const auto& g : run.glyphs) u.push_back(g.cp);
    lines.push_back({EncodeUtf8(u), {static_cast<float>(run.glyphs[0].x), static_cast<float>(run.y)}});
  }
  const std::string sung = fonts::FindFontFile("gbsn00lp.ttf", fo.search_dirs);
  const double raw = MedianMs(std::max(5, n / 3), [&] {
    HPDF_Doc pdf = HPDF_New(nullptr, nullptr);
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    const char* name = HPDF_LoadTTFontFromFile(pdf, sung.c_str(), HPDF_TRUE);
    HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, font, 16);
    for (const auto& [text, xy] : lines) HPDF_Page_TextOut(page, xy.first, xy.second, text.c_str());
    HPDF_Page_EndText(page);
    HPDF_SaveToStream(pdf);
    HPDF_Free(pdf);
  });

  // 5. OFD from the same layout: the package written and zipped (level 1, as the renderer does). PDF and OFD take
  // turns within one loop, so a busy machine slows both alike and the ratio holds.
  auto paired = [&](const std::function<void()>& a, const std::function<void()>& b) {
    a();
    b();
    std::vector<double> ta, tb;
    for (int i = 0; i < n; ++i) {
      auto t0 = Clock::now();
      a();
      auto t1 = Clock::now();
      b();
      auto t2 = Clock::now();
      ta.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      tb.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
    std::sort(ta.begin(), ta.end());
    std::sort(tb.begin(), tb.end());
    return std::make_pair(ta[ta.size() / 2], tb[tb.size() / 2]);
  };
  const auto [full_ofd, full_pdf_again] =
      paired([&] { renderer.Render("letter", common, render::OutputFormat::kOfd); },
             [&] { renderer.Render("letter", common, render::OutputFormat::kPdf); });
  const auto [write_ofd, write_pdf_again] = paired([&] { ofd::WriteZip(ofd::WriteOfd(doc).package, 1); },
                                                   [&] { pdf::WritePdf(doc, prepared_opts); });
  ofd::OfdDocument unzipped;
  const double package_only = MedianMs(n, [&] { unzipped = ofd::WriteOfd(doc); });
  const double zip_only = MedianMs(n, [&] { ofd::WriteZip(unzipped.package, 1); });
  const size_t ofd_bytes = renderer.Render("letter", common, render::OutputFormat::kOfd).bytes.size();
  const size_t pdf_bytes = renderer.Render("letter", common, render::OutputFormat::kPdf).bytes.size();

  // 4. Notice scaling.
  const std::string sample = ReadFile(repo + "/samples/notice.json");
  const std::string n200 = NoticeWith(sample, 200), n2000 = NoticeWith(sample, 2000);
  int pages200 = 0, pages2000 = 0;
  const double t200 = MedianMs(5, [&] { pages200 = renderer.Render("notice", n200).pages; });
  const double t2000 = MedianMs(3, [&] { pages2000 = renderer.Render("notice", n2000).pages; });

  std::printf("zhiping render benchmark (medians; %d runs)\n", n);
  std::printf("letter, full pipeline, prepared fonts        %8.2f ms\n", full);
  std::printf("letter with 𠮷 (adds LXGW WenKai), full        %8.2f ms\n", full_rare);
  std::printf("letter PDF writing, prepared fonts           %8.2f ms\n", write_prepared);
  std::printf("raw libharu one-page baseline (SungtiL)      %8.2f ms   (zhiping letter = x%.2f of it)\n", raw,
              full / raw);
  std::printf("letter as OFD, full pipeline                 %8.2f ms   (x%.2f of the PDF's %.2f ms, same run)\n",
              full_ofd, full_ofd / full_pdf_again, full_pdf_again);
  std::printf("letter OFD writing (package + zip)           %8.2f ms   (x%.2f of PDF writing %.2f ms)\n", write_ofd,
              write_ofd / write_pdf_again, write_pdf_again);
  std::printf("  of which the package (XML, subset fonts)   %8.2f ms, its ZIP %.2f ms\n", package_only, zip_only);
  std::printf("letter sizes: OFD %zu bytes, PDF %zu bytes\n", ofd_bytes, pdf_bytes);
  std::printf("notice, 200 applicants (%d pages)            %8.2f ms\n", pages200, t200);
  std::printf("notice, 2000 applicants (%d pages)           %8.2f ms   (x%.2f of 200; target <= 11)\n", pages2000,
              t2000, t2000 / t200);
  return 0;
}
