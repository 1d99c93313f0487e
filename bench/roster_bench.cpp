// bench/roster_bench.cpp — 100,000 applicants in memory, written as roster-summary; prints time and memory.
//
// Usage: roster_bench [--rows N] [--template PATH] [--out DIR] [--json]
//   --json builds the body as JSON text and parses it with zhiping::ParseJson, as the service does; without it the
//   body is built as Poco objects directly.
// Memory: "peak" is getrusage's ru_maxrss for the whole run (the body included); "during write" is the kernel's
// high-water mark reset just before WriteRoster (echo 5 > /proc/self/clear_refs), so it shows what writing adds.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/error.h"
#include "common/json.h"
#include "xlsx/roster.h"

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// "VmRSS" / "VmHWM" from /proc/self/status in KiB; -1 when unavailable.
long StatusKiB(const char* field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field, 0) == 0 && line[std::strlen(field)] == ':') return std::atol(line.c_str() + std::strlen(field) + 1);
  }
  return -1;
}

bool ResetHighWaterMark() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long MaxRssKiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// An ID number with a valid GB 11643 check digit, so the body is realistic.
std::string IdNumber(int i) {
  char base[18];
  std::snprintf(base, sizeof base, "330102%04d%02d%02d%03d", 1960 + i % 40, 1 + i % 12, 1 + i % 28, i % 1000);
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int k = 0; k < 17; ++k) sum += (base[k] - '0') * kWeights[k];
  return std::string(base) + "10X98765432"[sum % 11];
}

Object::Ptr Applicant(int i) {
  static const char* kUnits[] = {"杭州市某某局", "宁波市某某集团有限公司党委工作部", "温州市某某区委宣传部",
                                 "浙江省某某厅机关党委", "绍兴市某某医院"};
  static const char* kNames[] = {"张三", "李四", "王五", "赵六", "吉𠮷"};
  Object::Ptr a(new Object);
  char buf[64];
  std::snprintf(buf, sizeof buf, "ZG2022-%06d", i);
  a->set("id", std::string(buf));
  a->set("name", std::string(kNames[i % 5]) + std::to_string(i % 100));
  a->set("gender", i % 2 ? "女" : "男");
  a->set("id_number", IdNumber(i));
  std::snprintf(buf, sizeof buf, "%04d-%02d", 1960 + i % 40, 1 + i % 12);
  a->set("birth", std::string(buf));
  std::snprintf(buf, sizeof buf, "138%08d", i);
  a->set("phone", std::string(buf));
  a->set("unit", std::string(kUnits[i % 5]));
  a->set("post", "办公室主任");
  a->set("applying_for", "高级政工师");
  Object::Ptr education(new Object);
  education->set("level", "大学本科");
  a->set("education", education);
  Object::Ptr title(new Object);
  title->set("name", "政工师");
  std::snprintf(buf, sizeof buf, "%04d-%02d", 2005 + i % 12, 1 + i % 12);
  title->set("since", std::string(buf));
  a->set("current_title", title);
  return a;
}

Poco::Dynamic::Var Body(int rows, bool via_json) {
  Object::Ptr batch(new Object);
  batch->set("year", 2022);
  batch->set("title", "高级政工师");
  batch->set("deadline", "2022-09-15");
  Object::Ptr office(new Object);
  office->set("name", "浙江省思想政治工作人员专业职务评定工作办公室");
  batch->set("office", office);
  Array::Ptr applicants(new Array);
  for (int i = 0; i < rows; ++i) applicants->add(Applicant(i));
  Object::Ptr body(new Object);
  body->set("batch", batch);
  body->set("applicants", applicants);
  if (!via_json) return body;
  std::ostringstream text;
  body->stringify(text);
  body = nullptr;
  applicants = nullptr;
  return zhiping::ParseJson(text.str());
}

}  // namespace

int main(int argc, char** argv) {
  int rows = 100000;
  std::string tmpl_path = "templates/roster-summary.tmpl";
  std::string out_dir = "bench-out";
  bool via_json = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--rows" && i + 1 < argc) rows = std::atoi(argv[++i]);
    else if (arg == "--template" && i + 1 < argc) tmpl_path = argv[++i];
    else if (arg == "--out" && i + 1 < argc) out_dir = argv[++i];
    else if (arg == "--json") via_json = true;
    else {
      std::fprintf(stderr, "usage: roster_bench [--rows N] [--template PATH] [--out DIR] [--json]\n");
      return 2;
    }
  }
  try {
    auto tmpl = zhiping::xlsx::LoadRosterTemplate(tmpl_path);
    std::filesystem::create_directories(out_dir);
    std::string out = out_dir + "/roster-summary.xlsx";

    auto t0 = std::chrono::steady_clock::now();
    Poco::Dynamic::Var body = Body(rows, via_json);
    auto t1 = std::chrono::steady_clock::now();
    long rss_before = StatusKiB("VmRSS");
    bool reset = ResetHighWaterMark();
    double cpu_before = CpuSeconds();

    zhiping::xlsx::WriteRoster(*tmpl, body, out);
    auto t2 = std::chrono::steady_clock::now();
    double write_cpu = CpuSeconds() - cpu_before;
    long hwm_write = StatusKiB("VmHWM");

    double build_s = std::chrono::duration<double>(t1 - t0).count();
    double write_s = std::chrono::duration<double>(t2 - t1).count();
    std::printf("rows                  %d\n", rows);
    std::printf("body                  %s\n", via_json ? "JSON text parsed by ParseJson" : "Poco objects");
    std::printf("build body            %.3f s\n", build_s);
    std::printf("write roster          %.3f s wall, %.3f s CPU\n", write_s, write_cpu);
    std::printf("file                  %s (%.1f MiB)\n", out.c_str(),
                std::filesystem::file_size(out) / 1048576.0);
    std::printf("peak RSS (whole run)  %.1f MiB\n", MaxRssKiB() / 1024.0);
    std::printf("RSS before writing    %.1f MiB\n", rss_before / 1024.0);
    if (reset) {
      std::printf("peak RSS while writing %.1f MiB (growth %.1f MiB)\n", hwm_write / 1024.0,
                  (hwm_write - rss_before) / 1024.0);
    } else {
      std::printf("peak RSS while writing unavailable (cannot reset VmHWM)\n");
    }
    return 0;
  } catch (const zhiping::Error& e) {
    std::fprintf(stderr, "roster_bench: %s\n", e.what());
    return 1;
  }
}
