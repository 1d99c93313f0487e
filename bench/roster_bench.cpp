// bench/roster_bench.cpp — generates large roster bodies and measures writing them.
//
// Usage:
//   roster_bench --write-body FILE [--rows N] [--results]
//       Writes a valid roster body with N applicants (default 100,000) as JSON text to FILE, one applicant per line
//       (~570 bytes each, like samples/roster-summary.json), with `results` too when --results is given. This is
//       the body bench/roster_bench.sh feeds to `zhiping render roster-summary` / `roster-results`: the real path.
//   roster_bench [--rows N] [--template PATH] [--out DIR] [--json]
//       The writer alone, in process: the body built as Poco objects (or, with --json, as JSON text parsed whole
//       by zhiping::ParseJson — how Render worked before the lazy roster body) and written with WriteRoster.
// Memory: "peak" is getrusage's ru_maxrss for the whole run (the body included); "during write" is the kernel's
// high-water mark reset just before WriteRoster (echo 5 > /proc/self/clear_refs), so it shows what writing adds.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "process_stats.h"
#include "common/error.h"
#include "common/json.h"
#include "model/parse.h"
#include "xlsx/roster.h"

namespace {

bool ResetHighWaterMark() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

using zhiping::bench::CpuSeconds;
using zhiping::bench::StatusKiB;

// Applicant i: born 1960–1989, an ID number with a valid GB 11643 check character whose birth date and sex digit
// agree with `birth` and `gender`, so the body passes the model stage.
struct Person {
  int year, month, day, seq;
  std::string IdNumber() const {
    char base[18];
    std::snprintf(base, sizeof base, "330102%04d%02d%02d%03d", year, month, day, seq);
    static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int k = 0; k < 17; ++k) sum += (base[k] - '0') * kWeights[k];
    return std::string(base) + "10X98765432"[sum % 11];
  }
  bool male() const { return seq % 2 == 1; }
};

Person PersonFor(int i) { return Person{1960 + i % 30, 1 + i % 12, 1 + i % 28, i % 1000}; }

const char* kUnits[] = {"杭州市某某局", "宁波市某某集团有限公司党委工作部", "温州市某某区委宣传部",
                        "浙江省某某厅机关党委", "绍兴市某某医院"};
const char* kNames[] = {"张三", "李四", "王五", "赵六", "吉𠮷"};
const char* kSchools[] = {"浙江大学", "浙江传媒学院", "浙江工业大学", "杭州师范大学"};

std::string ApplicantJson(int i) {
  Person p = PersonFor(i);
  int work = p.year + 22;
  char buf[1024];
  std::snprintf(buf, sizeof buf,
                "{\"id\": \"ZG2022-%06d\", \"name\": \"%s%d\", \"gender\": \"%s\", \"id_number\": \"%s\", "
                "\"birth\": \"%04d-%02d\", \"ethnicity\": \"汉族\", \"political_status\": \"中共党员\", "
                "\"phone\": \"138%08d\", \"unit\": \"%s\", \"post\": \"办公室主任\", \"committee\": \"杭州市中评委\", "
                "\"education\": {\"level\": \"大学本科\", \"degree\": \"学士\", \"school\": \"%s\", "
                "\"major\": \"汉语言文学\", \"graduated\": \"%04d-07\"}, \"work_start\": \"%04d-08\", "
                "\"current_title\": {\"name\": \"政工师\", \"since\": \"%04d-%02d\"}, \"applying_for\": \"高级政工师\"}",
                i, kNames[i % 5], i % 100, p.male() ? "男" : "女", p.IdNumber().c_str(), p.year, p.month, i,
                kUnits[i % 5], kSchools[i % 4], work, work, work + 3 + i % 8, 1 + i % 12);
  return buf;
}

std::string ResultJson(int i) {
  char buf[512];
  bool passed = i % 5 != 0;
  std::snprintf(buf, sizeof buf,
                "{\"applicant_id\": \"ZG2022-%06d\", \"mid_review\": {\"passed\": true, \"score\": %d.%d, "
                "\"date\": \"2022-09-10\"}, \"exam\": {\"score\": %d}, \"senior_review\": {\"passed\": %s, "
                "\"score\": %d.5, \"date\": \"2022-11-20\", \"votes\": {\"for\": %d, \"against\": %d, \"abstain\": 0}}"
                "%s}",
                i, 60 + i % 40, i % 10, 50 + i % 50, passed ? "true" : "false", 55 + i % 45, passed ? 13 : 5,
                passed ? 4 : 12, passed ? ", \"qualified_from\": \"2022-12-30\"" : "");
  return buf;
}

const char* kBatchJson =
    "{\"id\": \"zj-zgs-2022\", \"year\": 2022, \"title\": \"高级政工师\", "
    "\"office\": {\"name\": \"浙江省思想政治工作人员专业职务评定工作办公室\"}, \"deadline\": \"2022-09-15\", "
    "\"exam_pass_line\": 60}";

bool WriteBody(const std::string& path, int rows, bool results) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) {
    std::perror(path.c_str());
    return false;
  }
  std::fprintf(f, "{\n\"batch\": %s,\n\"applicants\": [\n", kBatchJson);
  for (int i = 0; i < rows; ++i) std::fprintf(f, "%s%s\n", ApplicantJson(i).c_str(), i + 1 < rows ? "," : "");
  std::fprintf(f, "]");
  if (results) {
    std::fprintf(f, ",\n\"results\": [\n");
    for (int i = 0; i < rows; ++i) std::fprintf(f, "%s%s\n", ResultJson(i).c_str(), i + 1 < rows ? "," : "");
    std::fprintf(f, "]");
  }
  std::fprintf(f, "\n}\n");
  return std::fclose(f) == 0;
}

std::string BodyText(int rows) {
  std::string text = std::string("{\"batch\": ") + kBatchJson + ", \"applicants\": [";
  for (int i = 0; i < rows; ++i) text += (i ? ",\n" : "") + ApplicantJson(i);
  return text + "]}";
}

// The same body as Poco objects (built directly, or parsed whole from its text with --json).
Poco::Dynamic::Var Body(int rows, bool via_json) {
  if (via_json) return zhiping::ParseJson(BodyText(rows));
  Poco::JSON::Object::Ptr body = zhiping::ParseJson(BodyText(0)).extract<Poco::JSON::Object::Ptr>();
  Poco::JSON::Array::Ptr applicants(new Poco::JSON::Array);
  for (int i = 0; i < rows; ++i) applicants->add(zhiping::ParseJson(ApplicantJson(i)));
  body->set("applicants", applicants);
  return body;
}

}  // namespace

int main(int argc, char** argv) {
  int rows = 100000;
  std::string tmpl_path = "templates/roster-summary.tmpl";
  std::string out_dir = "bench-out";
  std::string body_path;
  bool via_json = false, results = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--rows" && i + 1 < argc) rows = std::atoi(argv[++i]);
    else if (arg == "--template" && i + 1 < argc) tmpl_path = argv[++i];
    else if (arg == "--out" && i + 1 < argc) out_dir = argv[++i];
    else if (arg == "--write-body" && i + 1 < argc) body_path = argv[++i];
    else if (arg == "--json") via_json = true;
    else if (arg == "--results") results = true;
    else {
      std::fprintf(stderr,
                   "usage: roster_bench --write-body FILE [--rows N] [--results]\n"
                   "       roster_bench [--rows N] [--template PATH] [--out DIR] [--json]\n");
      return 2;
    }
  }
  if (!body_path.empty()) {
    if (!WriteBody(body_path, rows, results)) return 1;
    std::printf("wrote %s: %d applicants%s, %.1f MiB\n", body_path.c_str(), rows, results ? " and results" : "",
                std::filesystem::file_size(body_path) / 1048576.0);
    return 0;
  }
  try {
    auto tmpl = zhiping::xlsx::LoadRosterTemplate(tmpl_path);
    std::filesystem::create_directories(out_dir);
    std::string out = out_dir + "/roster-summary.xlsx";

    auto t0 = std::chrono::steady_clock::now();
    // The writer takes typed values: the body becomes the model's roster request first (counted as building).
    zhiping::model::RosterRequest request =
        zhiping::model::ParseRoster("roster-summary", Body(rows, via_json), zhiping::model::ValidationContext())
            .ValueOrThrow("roster-summary data");
    auto t1 = std::chrono::steady_clock::now();
    long rss_before = StatusKiB("VmRSS");
    bool reset = ResetHighWaterMark();
    double cpu_before = CpuSeconds();

    zhiping::xlsx::WriteRoster(*tmpl, request, out);
    auto t2 = std::chrono::steady_clock::now();
    double write_cpu = CpuSeconds() - cpu_before;
    long hwm_write = StatusKiB("VmHWM");

    double build_s = std::chrono::duration<double>(t1 - t0).count();
    double write_s = std::chrono::duration<double>(t2 - t1).count();
    std::printf("rows                  %d\n", rows);
    std::printf("body                  %s\n", via_json ? "JSON text parsed by ParseJson" : "Poco objects");
    std::printf("build body (typed)    %.3f s\n", build_s);
    std::printf("write roster          %.3f s wall, %.3f s CPU\n", write_s, write_cpu);
    std::printf("file                  %s (%.1f MiB)\n", out.c_str(),
                std::filesystem::file_size(out) / 1048576.0);
    std::printf("peak RSS (whole run)  %.1f MiB\n", zhiping::bench::PeakRssKiB() / 1024.0);
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
