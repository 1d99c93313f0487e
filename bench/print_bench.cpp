// bench/print_bench.cpp — the print file's merge alone (issue 12): letters already issued into ARCHIVE by
// `zhiping bulk letters BULK.json` (bench/make_bulk.py's ids, ZG2022-Bnnnnnnn) merged from the archive with
// their index, timed, with the process's peak RSS before and after. Run by bench/print_bench.sh.
//   print_bench ARCHIVE BULK.json OUT.pdf     (from the repository root: templates/ and fonts/ are read from there)
#include <chrono>
#include <cstdio>
#include <fstream>

#include "archive/archive.h"
#include "process_stats.h"
#include "common/command_line.h"
#include "jobs/bulk_letters.h"
#include "jobs/print_file.h"
#include "render/renderer.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: print_bench ARCHIVE BULK.json OUT.pdf\n");
    return 2;
  }
  using namespace zhiping;
  using bench::CpuSeconds;
  using bench::PeakRssKiB;
  render::Renderer renderer{render::RendererConfig()};
  const archive::Store store(argv[1]);
  const jobs::BulkBody body = jobs::BulkBody::Parse(ReadInputFile(argv[2]));
  std::vector<jobs::ItemIssued> issued;
  char id[32];
  for (size_t i = 0; i < body.size(); ++i) {
    std::snprintf(id, sizeof id, "ZG2022-B%07zu", i);
    issued.push_back({i, id, "", false, "", "", nullptr});  // version "": the head; a letter
  }
  auto fonts = renderer.font_set();
  const long before = PeakRssKiB();
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = CpuSeconds();
  std::ofstream out(argv[3], std::ios::binary);
  const jobs::PrintSummary s =
      jobs::WritePrintFile(store, *fonts, jobs::PrintIndexOf(jobs::LettersKind()), jobs::PrintEntries(body, issued), out);
  out.close();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = CpuSeconds() - cpu_start;
  std::printf("%zu letters merged in %.2f s, %.2f s CPU (index %.2f s of it): %zu pages (%zu index, %zu blank), peak RSS %.0f MiB before the merge, "
              "%.0f MiB after\n",
              s.documents, secs, cpu, s.index_seconds, s.pages, s.index_pages, s.blank_pages, before / 1024.0, PeakRssKiB() / 1024.0);
  return out.good() || !out.fail() ? 0 : 1;
}
