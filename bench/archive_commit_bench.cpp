// bench/archive_commit_bench — one commit of a new letter-shaped object (a 50 KB PDF, its body, its issue record),
// alone, as an HTTP issue makes it: the staged fsyncs one after another against all at once
// (archive/staged_sync.h), taking turns in one run.
//   archive_commit_bench [DIR=/tmp] [N=200] [ROUNDS=3]
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "archive/archive.h"
#include "archive/staged_sync.h"

using namespace zhiping::archive;

namespace {

double MedianCommitMs(const std::string& root, int n, const std::string& prefix) {
  Store store(root);
  std::mt19937 rng(42);
  std::string pdf(50 * 1024, '\0');
  std::vector<double> ms;
  for (int i = 0; i < n; ++i) {
    for (char& c : pdf) c = static_cast<char>(rng());
    const std::vector<FileInput> files = {{"letter.pdf", pdf},
                                          {"letter.json", std::string(2000, 'j') + std::to_string(i)},
                                          {"letter.issue.json", std::string(600, 'i') + std::to_string(i)}};
    const auto start = std::chrono::steady_clock::now();
    store.Commit(ApplicantObjectId(prefix + std::to_string(i)), files, {"bench", ""}, "bench");
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "/tmp";
  const int n = argc > 2 ? std::atoi(argv[2]) : 200;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 3;
  char pattern[4096];
  std::snprintf(pattern, sizeof pattern, "%s/zhiping-commit-bench.XXXXXX", dir.c_str());
  if (!::mkdtemp(pattern)) return 1;
  const std::string root = pattern;
  std::printf("new object, one commit at a time, median of %d (ms), archive under %s\n", n, root.c_str());
  std::vector<double> seq, par;
  for (int r = 0; r < rounds; ++r) {
    for (bool parallel : {false, true}) {
      SetParallelStagedSyncs(parallel);
      const double m = MedianCommitMs(root + (parallel ? "/p" : "/s") + std::to_string(r), n,
                                      std::string(parallel ? "P" : "S") + std::to_string(r) + "-");
      (parallel ? par : seq).push_back(m);
      std::printf("round %d  %-28s %6.2f\n", r + 1, parallel ? "fsyncs all at once" : "fsyncs one after another", m);
    }
  }
  std::sort(seq.begin(), seq.end());
  std::sort(par.begin(), par.end());
  std::printf("median: one after another %.2f ms, all at once %.2f ms, x%.2f\n", seq[seq.size() / 2],
              par[par.size() / 2], seq[seq.size() / 2] / par[par.size() / 2]);
  std::printf("(archives left in %s: deleting them at once would slow the next run on a journal-less ext4)\n",
              root.c_str());
  return 0;
}
