#include "common/data_dir.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

namespace zhiping {

namespace {

bool IsDirectory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool IsRegularFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string ParentOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string SelfExecutable() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  return std::string(buf, static_cast<size_t>(n));
}

std::string Normalized(const std::string& dir) {
  char buf[PATH_MAX];
  if (::realpath(dir.c_str(), buf) == nullptr) return dir;
  return buf;
}

}  // namespace

bool IsDataDir(const std::string& dir) {
  return IsDirectory(dir + "/templates") && IsRegularFile(dir + "/fonts/fonts.conf");
}

DataDirLookup FindDataDir(const std::string& exe_path) {
  DataDirLookup out;
  if (const char* env = std::getenv("ZHIPING_DATA_DIR"); env != nullptr && *env != '\0') {
    out.searched.push_back(env);
    if (IsDataDir(env)) {
      out.dir = env;
    } else {
      out.env_problem = std::string("ZHIPING_DATA_DIR=") + env + " does not hold templates/ and fonts/fonts.conf";
    }
    return out;
  }
  std::vector<std::string> candidates = {"."};
  const std::string exe = exe_path.empty() ? SelfExecutable() : exe_path;
  if (!exe.empty()) {
    const std::string bin = ParentOf(exe);
    candidates.push_back(ParentOf(bin) + "/share/zhiping");
    candidates.push_back(ParentOf(bin));
    candidates.push_back(bin);
  }
  for (const std::string& c : candidates) {
    out.searched.push_back(c);
    if (IsDataDir(c)) {
      // The working directory stays relative, so messages and defaults read as before ("templates/…").
      out.dir = c == "." ? "." : Normalized(c);
      return out;
    }
  }
  return out;
}

}  // namespace zhiping
