#include "fonts/prepared_font.h"

#include <openssl/evp.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <tuple>
#include <vector>

#include "common/durable_file.h"
#include "common/error.h"
#include "common/json.h"
#include "fonts/big_endian.h"
#include "fonts/truetype.h"

namespace zhiping::fonts {

namespace {

// Bump when the prepared format changes, so old cache entries are not reused.
constexpr int kPreparationVersion = 4;
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

uint16_t U16(const std::string& s, size_t at) {
  return at + 2 <= s.size() ? static_cast<uint16_t>((static_cast<unsigned char>(s[at]) << 8) |
                                                    static_cast<unsigned char>(s[at + 1]))
                            : 0;
}

// The `name` table with its PostScript name (nameID 6) made `<name>-<suffix>`; every other record is kept as it
// is (libharu also reads the subfamily, nameID 2, for ",Bold" and the bold flag). A format-1 table loses its
// language-tag records. Throws kFont for a table too short for what it claims.
std::string RenamePostScript(const std::string& table, const std::string& suffix, const std::string& font) {
  struct Record {
    uint16_t platform, encoding, language, name_id;
    std::string bytes;
  };
  const uint16_t count = U16(table, 2), storage = U16(table, 4);
  if (table.size() < 6u + 12u * count || storage > table.size())
    throw Error(ErrorKind::kFont, "font " + font + ": its name table is shorter than its record count says");
  std::vector<Record> records;
  std::string original;
  for (uint16_t i = 0; i < count; ++i) {
    size_t r = 6 + 12u * i;
    Record rec{U16(table, r), U16(table, r + 2), U16(table, r + 4), U16(table, r + 6), {}};
    size_t at = storage + U16(table, r + 10), len = U16(table, r + 8);
    if (at + len > table.size() || rec.language >= 0x8000) continue;  // damaged, or a format-1 language tag
    rec.bytes = table.substr(at, len);
    if (rec.name_id != 6) {
      records.push_back(std::move(rec));
      continue;
    }
    std::string ascii;  // PostScript names are printable ASCII; UTF-16BE on platforms 0 and 3
    const bool wide = rec.platform == 0 || rec.platform == 3;
    for (size_t k = wide ? 1 : 0; k < rec.bytes.size(); k += wide ? 2 : 1) {
      char c = rec.bytes[k];
      if (c > 32 && c < 127 && !std::strchr("[](){}<>/%", c)) ascii += c;
    }
    if (original.empty() || rec.platform == 3) original = ascii;
  }
  if (original.empty()) original = "ZhipingFont";
  const std::string renamed = original.substr(0, 56) + "-" + suffix;
  std::string wide;
  for (char c : renamed) {
    wide.push_back('\0');
    wide.push_back(c);
  }
  records.push_back({1, 0, 0, 6, renamed});   // Macintosh Roman: what libharu reads first
  records.push_back({3, 1, 0x409, 6, wide});  // Windows Unicode BMP, US English
  std::sort(records.begin(), records.end(), [](const Record& a, const Record& b) {
    return std::tie(a.platform, a.encoding, a.language, a.name_id) <
           std::tie(b.platform, b.encoding, b.language, b.name_id);
  });
  std::string out, strings;
  Put16(&out, 0);
  Put16(&out, static_cast<uint16_t>(records.size()));
  Put16(&out, static_cast<uint16_t>(6 + 12 * records.size()));
  for (const Record& rec : records) {
    for (uint16_t v : {rec.platform, rec.encoding, rec.language, rec.name_id}) Put16(&out, v);
    Put16(&out, static_cast<uint16_t>(rec.bytes.size()));
    Put16(&out, static_cast<uint16_t>(strings.size()));
    strings += rec.bytes;
  }
  return out + strings;
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
    if (!FileExists(memo)) WriteFileDurably(memo, key);
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
  for (const char* tag : {"OS/2", "cvt ", "fpgm", "prep", "gasp", "glyf", "head", "hhea", "hmtx", "loca", "maxp"}) {
    if (face.HasTable(tag)) tables[tag] = face.Table(tag);
  }
  if (face.HasTable("name")) tables["name"] = RenamePostScript(face.Table("name"), key.substr(0, 6), source.Describe());
  // libharu copies `post` into every subset; glyph names are useless in a CID font and cost 200+ KB in the big
  // faces. Keep the 32-byte header (italic angle, underline metrics) as format 3.0: no names.
  if (face.HasTable("post")) {
    std::string post = face.Table("post").substr(0, 32);
    if (post.size() == 32) {
      post[0] = 0; post[1] = 3; post[2] = 0; post[3] = 0;
      tables["post"] = post;
    }
  }
  WriteFileDurably(out.ttf_path, WriteTrueType(tables));
  WriteFileDurably(map_path, AliasesToText(out.aliases, out.cmap_segments));
  WriteFileDurably(memo, key);
  return out;
}

}  // namespace zhiping::fonts
