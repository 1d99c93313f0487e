#include "fonts/prepared_font.h"

#include <openssl/evp.h>
#include <sys/stat.h>

#include <cstdio>
#include <sstream>

#include "common/error.h"
#include "common/json.h"
#include "fonts/truetype.h"

namespace zhiping::fonts {

namespace {

// Bump when the prepared format changes, so old cache entries are not reused.
constexpr int kPreparationVersion = 3;
constexpr char32_t kPuaFirst = 0xE000, kPuaLast = 0xF8FF;

std::string Sha256Hex(const void* data, size_t len) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  EVP_Digest(data, len, md, &md_len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < md_len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

void MakeDirs(const std::string& dir) {
  std::string cur;
  for (size_t i = 0; i < dir.size(); ++i) {
    cur += dir[i];
    if ((dir[i] == '/' && i > 0) || i + 1 == dir.size()) ::mkdir(cur.c_str(), 0755);
  }
}

bool FileExists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

std::string AliasesToText(const std::map<char32_t, char32_t>& aliases, size_t segments) {
  std::ostringstream ss;
  ss << "# zhiping prepared font: non-BMP code point -> private-use alias (hex)\nsegments " << segments << "\n";
  for (const auto& [cp, pua] : aliases) ss << std::hex << static_cast<unsigned>(cp) << " " << static_cast<unsigned>(pua) << "\n";
  return ss.str();
}

void AliasesFromText(const std::string& text, PreparedFont* out) {
  std::istringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("segments ", 0) == 0) {
      out->cmap_segments = std::stoul(line.substr(9));
      continue;
    }
    unsigned cp = 0, pua = 0;
    if (std::sscanf(line.c_str(), "%x %x", &cp, &pua) == 2) out->aliases[cp] = pua;
  }
}

}  // namespace

PreparedFont PrepareFont(const FontSource& source, const std::string& cache_dir) {
  PreparedFont out;
  out.source = source;
  struct stat st;
  if (::stat(source.path.c_str(), &st) != 0)
    throw Error(ErrorKind::kFont, "font file not found: " + source.Describe());
  MakeDirs(cache_dir);

  // Stat memo: (path, size, mtime, index, version) -> digest, so an unchanged font is not re-hashed at every start.
  std::ostringstream stat_key;
  stat_key << source.path << '|' << st.st_size << '|' << st.st_mtim.tv_sec << '.' << st.st_mtim.tv_nsec << '|'
           << source.index << '|' << kPreparationVersion;
  const std::string sk = stat_key.str();
  const std::string memo = cache_dir + "/stat-" + Sha256Hex(sk.data(), sk.size()).substr(0, 32);
  std::string key;
  if (FileExists(memo)) key = ReadFile(memo);
  std::string data;
  if (key.size() != 64 || !FileExists(cache_dir + "/" + key + ".ttf") || !FileExists(cache_dir + "/" + key + ".map")) {
    data = ReadFile(source.path);
    std::string salted = data + "|" + std::to_string(source.index) + "|" + std::to_string(kPreparationVersion);
    key = Sha256Hex(salted.data(), salted.size());
  }
  out.digest = key;
  out.ttf_path = cache_dir + "/" + key + ".ttf";
  const std::string map_path = cache_dir + "/" + key + ".map";
  if (FileExists(out.ttf_path) && FileExists(map_path)) {
    AliasesFromText(ReadFile(map_path), &out);
    out.from_cache = true;
    if (!FileExists(memo)) WriteFileAtomic(memo, key);
    return out;
  }

  TrueTypeFace face(data, source.index, source.Describe());
  std::map<char32_t, uint16_t> bmp;
  char32_t next_pua = kPuaFirst;
  size_t unaliased = 0;
  for (const auto& [cp, gid] : face.unicode_map()) {
    if (cp >= kPuaFirst && cp <= kPuaLast) continue;  // the font's own private-use glyphs give way to aliases
    if (cp < 0xFFFF) {
      bmp[cp] = gid;
    } else if (next_pua <= kPuaLast) {
      out.aliases[cp] = next_pua;
      bmp[next_pua++] = gid;
    } else {
      ++unaliased;  // more than 6,400 non-BMP glyphs: the rest stay unreachable (and are reported as missing)
    }
  }
  (void)unaliased;
  std::map<std::string, std::string> tables;
  tables["cmap"] = BuildCompactCmap(bmp, &out.cmap_segments);
  for (const char* tag : {"OS/2", "cvt ", "fpgm", "prep", "gasp", "glyf", "head", "hhea", "hmtx", "loca", "maxp",
                          "name"}) {
    if (face.HasTable(tag)) tables[tag] = face.Table(tag);
  }
  // libharu copies `post` into every subset; glyph names are useless in a CID font and cost 200+ KB in the big
  // faces. Keep the 32-byte header (italic angle, underline metrics) as format 3.0: no names.
  if (face.HasTable("post")) {
    std::string post = face.Table("post").substr(0, 32);
    if (post.size() == 32) {
      post[0] = 0; post[1] = 3; post[2] = 0; post[3] = 0;
      tables["post"] = post;
    }
  }
  WriteFileAtomic(out.ttf_path, WriteTrueType(tables));
  WriteFileAtomic(map_path, AliasesToText(out.aliases, out.cmap_segments));
  WriteFileAtomic(memo, key);
  return out;
}

}  // namespace zhiping::fonts
