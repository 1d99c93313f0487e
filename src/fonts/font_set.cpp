#include "fonts/font_set.h"

#include <dirent.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/error.h"

namespace zhiping::fonts {

namespace {

const char* const kRoleNames[kRoleCount] = {"song", "xiaobiaosong", "fangsong", "kai", "hei", "pagenumber"};

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

bool IsDir(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
bool IsFile(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// Latin letters, digits and ASCII/Latin-1 punctuation: what a Latin face draws better than a CJK one.
bool IsLatin(char32_t cp) { return (cp >= 0x20 && cp < 0x7F) || (cp >= 0xA0 && cp <= 0x24F && cp != 0xB7); }

}  // namespace

bool RoleFromName(const std::string& name, Role* role) {
  for (int i = 0; i < kRoleCount; ++i)
    if (name == kRoleNames[i]) {
      *role = static_cast<Role>(i);
      return true;
    }
  return false;
}

std::vector<std::string> DefaultFontSearchDirs(const std::string& project_fonts_dir) {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("ZHIPING_FONT_PATH")) {
    std::stringstream ss(env);
    std::string d;
    while (std::getline(ss, d, ':'))
      if (!d.empty()) dirs.push_back(d);
  }
  if (!project_fonts_dir.empty()) dirs.push_back(project_fonts_dir);
  dirs.push_back("/usr/share/fonts/truetype");
  dirs.push_back("/usr/local/share/fonts");
  if (const char* home = std::getenv("HOME")) dirs.push_back(std::string(home) + "/.local/share/fonts");
  return dirs;
}

std::string FindFontFile(const std::string& name, const std::vector<std::string>& dirs) {
  if (!name.empty() && name[0] == '/') return IsFile(name) ? name : "";
  for (const auto& d : dirs) {
    if (IsFile(d + "/" + name)) return d + "/" + name;
    DIR* dir = ::opendir(d.c_str());
    if (!dir) continue;
    std::string found;
    while (dirent* e = ::readdir(dir)) {
      std::string sub = e->d_name;
      if (sub == "." || sub == "..") continue;
      std::string cand = d + "/" + sub + "/" + name;
      if (IsDir(d + "/" + sub) && IsFile(cand)) {
        found = cand;
        break;
      }
    }
    ::closedir(dir);
    if (!found.empty()) return found;
  }
  return "";
}

FontSet::FontSet(const FontSetOptions& options) {
  std::ifstream in(options.role_map_path);
  if (!in) throw Error(ErrorKind::kFont, "cannot read font role map " + options.role_map_path);
  std::map<std::string, size_t> loaded;  // source description -> index in faces_
  std::string line;
  int line_no = 0;
  auto load = [&](const std::string& spec, int line_number) -> const FontFace* {
    std::string file = spec;
    unsigned index = 0;
    size_t hash = spec.rfind('#');
    if (hash != std::string::npos) {
      file = Trim(spec.substr(0, hash));
      index = static_cast<unsigned>(std::strtoul(spec.c_str() + hash + 1, nullptr, 10));
    }
    std::string path = FindFontFile(file, options.search_dirs);
    if (path.empty()) {
      warnings_.push_back(options.role_map_path + ":" + std::to_string(line_number) + ": font file " + file +
                          " not found in the font search path; skipped");
      return nullptr;
    }
    FontSource src{path, index};
    auto it = loaded.find(src.Describe());
    if (it != loaded.end()) return faces_[it->second].get();
    PreparedFont prepared = PrepareFont(src, options.cache_dir);
    faces_.push_back(std::make_unique<FontFace>(prepared));
    loaded[src.Describe()] = faces_.size() - 1;
    return faces_.back().get();
  };
  while (std::getline(in, line)) {
    ++line_no;
    std::string t = Trim(line);
    if (t.empty() || t[0] == '#') continue;
    size_t eq = t.find('=');
    if (eq == std::string::npos)
      throw Error(ErrorKind::kFont, options.role_map_path + ":" + std::to_string(line_no) + ": expected 'role = files'");
    std::string key = Trim(t.substr(0, eq)), value = Trim(t.substr(eq + 1));
    std::string attr;
    size_t dot = key.find('.');
    if (dot != std::string::npos) attr = key.substr(dot + 1), key = key.substr(0, dot);
    Role role;
    if (!RoleFromName(key, &role))
      throw Error(ErrorKind::kFont, options.role_map_path + ":" + std::to_string(line_no) + ": unknown role '" + key +
                                        "' (song, xiaobiaosong, fangsong, kai, hei, pagenumber)");
    ResolvedRole& rr = roles_[static_cast<int>(role)];
    if (attr == "bold") {
      rr.bold = std::strtod(value.c_str(), nullptr);
      continue;
    }
    if (!attr.empty() && attr != "latin")
      throw Error(ErrorKind::kFont, options.role_map_path + ":" + std::to_string(line_no) + ": unknown setting '" +
                                        attr + "' (latin, bold)");
    std::vector<const FontFace*>& target = attr == "latin" ? rr.latin : rr.chain;
    target.clear();
    std::stringstream ss(value);
    std::string item;
    while (std::getline(ss, item, ',')) {
      item = Trim(item);
      if (item.empty()) continue;
      if (const FontFace* f = load(item, line_no)) target.push_back(f);
    }
  }
  for (int i = 0; i < kRoleCount; ++i) {
    if (roles_[i].chain.empty())
      throw Error(ErrorKind::kFont, std::string("font role '") + kRoleNames[i] + "' has no usable font file (see " +
                                        options.role_map_path + ")");
    std::string d = std::string(kRoleNames[i]) + ":";
    for (auto* f : roles_[i].latin) d += " [latin] " + f->prepared().source.Describe();
    for (auto* f : roles_[i].chain) d += " " + f->prepared().source.Describe();
    if (roles_[i].bold > 0) d += " (bold emulated)";
    description_.push_back(d);
  }
}

const FontFace* FontSet::Resolve(Role role, char32_t cp) const {
  const ResolvedRole& rr = roles_[static_cast<int>(role)];
  if (IsLatin(cp))
    for (const FontFace* f : rr.latin)
      if (f->Has(cp)) return f;
  for (const FontFace* f : rr.chain)
    if (f->Has(cp)) return f;
  return nullptr;
}

std::vector<const FontFace*> FontSet::faces() const {
  std::vector<const FontFace*> out;
  for (const auto& f : faces_) out.push_back(f.get());
  return out;
}

std::vector<std::string> FontSet::Describe() const { return description_; }

}  // namespace zhiping::fonts
