#include "fonts/subset.h"

#include <cstring>
#include <set>

#include "common/error.h"
#include "fonts/big_endian.h"
#include "fonts/truetype.h"

namespace zhiping::fonts {

namespace {

void Set16(std::string* s, size_t off, uint16_t v) {
  (*s)[off] = static_cast<char>(v >> 8);
  (*s)[off + 1] = static_cast<char>(v & 0xFF);
}

// Composite glyph flags (TrueType 'glyf').
constexpr uint16_t kArgsAreWords = 0x0001, kHaveScale = 0x0008, kMoreComponents = 0x0020, kHaveXYScale = 0x0040,
                   kHaveTwoByTwo = 0x0080;

}  // namespace

FontSubset SubsetTrueType(const char* font, size_t size, const std::vector<uint16_t>& used,
                          const std::map<char32_t, uint16_t>* unicode) {
  BigEndianReader r{reinterpret_cast<const unsigned char*>(font), size, "font subset"};
  std::map<std::string, std::pair<uint32_t, uint32_t>> tables;
  const uint16_t num_tables = r.U16(4);
  for (uint16_t i = 0; i < num_tables; ++i) {
    const size_t rec = 12 + 16 * static_cast<size_t>(i);
    if (rec + 16 > size) throw Error(ErrorKind::kFont, "font subset: truncated table directory");
    std::string tag(font + rec, 4);
    uint32_t off = r.U32(rec + 8), len = r.U32(rec + 12);
    if (static_cast<uint64_t>(off) + len > size) throw Error(ErrorKind::kFont, "font subset: table outside the file");
    tables[tag] = {off, len};
  }
  for (const char* need : {"head", "hhea", "hmtx", "maxp", "loca", "glyf"})
    if (!tables.count(need)) throw Error(ErrorKind::kFont, std::string("font subset: no '") + need + "' table");
  auto table = [&](const char* tag) { return std::string(font + tables[tag].first, tables[tag].second); };
  const uint32_t head = tables["head"].first, hhea = tables["hhea"].first, maxp = tables["maxp"].first;
  const uint32_t loca = tables["loca"].first, glyf = tables["glyf"].first, hmtx = tables["hmtx"].first;
  const uint16_t num_glyphs = r.U16(maxp + 4);
  const bool long_loca = r.U16(head + 50) == 1;
  const uint16_t num_hmetrics = r.U16(hhea + 34);
  auto glyph_range = [&](uint16_t g) -> std::pair<uint32_t, uint32_t> {
    uint32_t a, b;
    if (long_loca) a = r.U32(loca + 4u * g), b = r.U32(loca + 4u * g + 4);
    else a = 2u * r.U16(loca + 2u * g), b = 2u * r.U16(loca + 2u * g + 2);
    if (b < a || b > tables["glyf"].second) throw Error(ErrorKind::kFont, "font subset: bad loca entry");
    return {glyf + a, b - a};
  };

  // Glyphs to keep: 0 (.notdef), the used ones, and the components of composites, transitively.
  std::set<uint16_t> keep{0};
  std::vector<uint16_t> todo(used.begin(), used.end());
  while (!todo.empty()) {
    uint16_t g = todo.back();
    todo.pop_back();
    if (g >= num_glyphs || !keep.insert(g).second) continue;
    auto [off, len] = glyph_range(g);
    if (len < 10 || static_cast<int16_t>(r.U16(off)) >= 0) continue;
    size_t p = off + 10;
    for (;;) {
      uint16_t flags = r.U16(p), component = r.U16(p + 2);
      todo.push_back(component);
      p += 4 + ((flags & kArgsAreWords) ? 4 : 2);
      if (flags & kHaveScale) p += 2;
      else if (flags & kHaveXYScale) p += 4;
      else if (flags & kHaveTwoByTwo) p += 8;
      if (!(flags & kMoreComponents)) break;
    }
  }
  FontSubset out;
  uint16_t next = 0;
  for (uint16_t g : keep) out.gids[g] = next++;
  const uint16_t n = next;

  std::string new_glyf, new_loca, new_hmtx;
  for (uint16_t g : keep) {
    Put32(&new_loca, static_cast<uint32_t>(new_glyf.size()));
    auto [off, len] = glyph_range(g);
    std::string data(font + off, len);
    FontSubset::GlyphBytes span;
    span.original = g;
    span.offset = static_cast<uint32_t>(new_glyf.size());  // within glyf until the file is written
    if (len >= 10 && static_cast<int16_t>(r.U16(off)) < 0) {  // composite: renumber its components
      span.renumbered = true;
      size_t p = 10;
      BigEndianReader gr{reinterpret_cast<const unsigned char*>(data.data()), data.size(), "font subset"};
      for (;;) {
        uint16_t flags = gr.U16(p), component = gr.U16(p + 2);
        Set16(&data, p + 2, out.gids.count(component) ? out.gids[component] : 0);
        p += 4 + ((flags & kArgsAreWords) ? 4 : 2);
        if (flags & kHaveScale) p += 2;
        else if (flags & kHaveXYScale) p += 4;
        else if (flags & kHaveTwoByTwo) p += 8;
        if (!(flags & kMoreComponents)) break;
      }
    }
    new_glyf += data;
    while (new_glyf.size() % 4) new_glyf.push_back('\0');
    span.length = static_cast<uint32_t>(new_glyf.size()) - span.offset;
    out.glyphs.push_back(span);
    const uint16_t m = g < num_hmetrics ? g : static_cast<uint16_t>(num_hmetrics - 1);
    Put16(&new_hmtx, r.U16(hmtx + 4u * m));  // advance
    const uint32_t lsb_off = g < num_hmetrics ? hmtx + 4u * g + 2 : hmtx + 4u * num_hmetrics + 2u * (g - num_hmetrics);
    Put16(&new_hmtx, r.U16(lsb_off));
  }
  Put32(&new_loca, static_cast<uint32_t>(new_glyf.size()));

  std::map<std::string, std::string> t;
  t["glyf"] = new_glyf;
  t["loca"] = new_loca;
  t["hmtx"] = new_hmtx;
  std::string h = table("head");
  Set16(&h, 50, 1);  // long loca offsets
  t["head"] = h;
  std::string hh = table("hhea");
  Set16(&hh, 34, n);
  t["hhea"] = hh;
  std::string mp = table("maxp");
  Set16(&mp, 4, n);
  t["maxp"] = mp;
  for (const char* tag : {"cvt ", "fpgm", "prep", "OS/2", "post"})
    if (tables.count(tag)) t[tag] = table(tag);
  // Without `unicode` a minimal cmap (only the final segment): some consumers insist on the table; the PDF maps codes
  // to glyphs through its CIDToGIDMap, never through this.
  std::map<char32_t, uint16_t> mapped;
  if (unicode) {
    for (const auto& [cp, gid] : *unicode) {
      auto it = out.gids.find(gid);
      if (it != out.gids.end() && it->second != 0) mapped[cp] = it->second;
    }
  }
  t["cmap"] = BuildUnicodeCmap(mapped);
  // A tiny name table: just the PostScript name (nameID 6), which some tools read.
  {
    const std::string ps = "ZhipingSubset";
    std::string name;
    Put16(&name, 0);
    Put16(&name, 1);
    Put16(&name, 6 + 12);
    Put16(&name, 3);  // Windows
    Put16(&name, 1);  // Unicode BMP
    Put16(&name, 0x409);
    Put16(&name, 6);
    Put16(&name, static_cast<uint16_t>(ps.size() * 2));
    Put16(&name, 0);
    for (char c : ps) Put16(&name, static_cast<uint16_t>(c));
    t["name"] = name;
  }
  std::map<std::string, uint32_t> offsets;
  out.ttf = WriteTrueType(t, &offsets);
  for (auto& span : out.glyphs) span.offset += offsets["glyf"];
  return out;
}

}  // namespace zhiping::fonts
