// bench/process_stats.h — what the benchmarks read about their own process: CPU time and memory. Header-only, for
// bench/*.cpp only. On a machine shared with other work the wall time says as much about the others as about the
// code measured; CPU seconds and peak RSS are the process's own.
#pragma once

#include <sys/resource.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace zhiping::bench {

// CPU seconds (user + system, every thread) of the process so far.
inline double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// getrusage's ru_maxrss: the process's peak resident set so far, in KiB.
inline long PeakRssKiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// A field of /proc/self/status in KiB ("VmRSS", "VmHWM"); -1 when unavailable.
inline long StatusKiB(const char* field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field, 0) == 0 && line[std::strlen(field)] == ':') return std::atol(line.c_str() + std::strlen(field) + 1);
  }
  return -1;
}

}  // namespace zhiping::bench
