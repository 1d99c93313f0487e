#include "fonts/truetype.h"

#include <algorithm>
#include <queue>
#include <tuple>

#include "common/error.h"
#include "common/utf8.h"
#include "fonts/big_endian.h"

namespace zhiping::fonts {

namespace {

uint16_t U16(std::string_view d, size_t off) {
  return static_cast<uint16_t>((static_cast<unsigned char>(d[off]) << 8) | static_cast<unsigned char>(d[off + 1]));
}
uint32_t U32(std::string_view d, size_t off) {
  return (static_cast<uint32_t>(U16(d, off)) << 16) | U16(d, off + 2);
}
void Set32(std::string* s, size_t off, uint32_t v) {
  (*s)[off] = static_cast<char>(v >> 24);
  (*s)[off + 1] = static_cast<char>((v >> 16) & 0xFF);
  (*s)[off + 2] = static_cast<char>((v >> 8) & 0xFF);
  (*s)[off + 3] = static_cast<char>(v & 0xFF);
}

// A cmap table (version 0) of Windows (platform 3) subtables, given by encoding id in ascending order.
std::string CmapTable(const std::vector<std::pair<uint16_t, std::string>>& subtables) {
  std::string table, bodies;
  Put16(&table, 0);
  Put16(&table, static_cast<uint16_t>(subtables.size()));
  const size_t header = 4 + 8 * subtables.size();
  for (const auto& [encoding, subtable] : subtables) {
    Put16(&table, 3);
    Put16(&table, encoding);
    Put32(&table, static_cast<uint32_t>(header + bodies.size()));
    bodies += subtable;
  }
  return table + bodies;
}

}  // namespace

TrueTypeFace::TrueTypeFace(std::string_view data, unsigned index, const std::string& name_for_errors)
    : data_(data), name_(name_for_errors) {
  auto fail = [&](const std::string& why) {
    throw Error(ErrorKind::kFont, "font " + name_ + ": " + why);
  };
  if (data_.size() < 12) fail("file too short to be a TrueType font");
  size_t dir = 0;
  uint32_t tag = U32(data_, 0);
  if (tag == 0x74746366) {  // 'ttcf'
    uint32_t count = U32(data_, 8);
    if (index >= count) fail("collection has " + std::to_string(count) + " faces, no face #" + std::to_string(index));
    if (12 + 4 * (size_t)index + 4 > data_.size()) fail("truncated collection header");
    dir = U32(data_, 12 + 4 * index);
  } else if (tag != 0x00010000 && tag != 0x74727565) {  // 1.0 or 'true'
    if (tag == 0x4F54544F) fail("OpenType/CFF outlines are not supported by libharu; use a TrueType-outline font");
    fail("not a TrueType font");
  }
  if (dir + 12 > data_.size()) fail("truncated table directory");
  uint16_t num_tables = U16(data_, dir + 4);
  if (dir + 12 + 16 * (size_t)num_tables > data_.size()) fail("truncated table directory");
  for (uint16_t i = 0; i < num_tables; ++i) {
    size_t rec = dir + 12 + 16 * (size_t)i;
    std::string t(data_.substr(rec, 4));
    TableRecord r{U32(data_, rec + 8), U32(data_, rec + 12)};
    if ((uint64_t)r.offset + r.length > data_.size()) fail("table '" + t + "' lies outside the file");
    tables_[t] = r;
  }
  for (const char* need : {"head", "hhea", "hmtx", "maxp", "cmap", "glyf", "loca"})
    if (!HasTable(need)) fail(std::string("missing required table '") + need + "'");

  const TableRecord& head = tables_["head"];
  if (head.length < 54) fail("head table too short");
  units_per_em_ = U16(data_, head.offset + 18);
  if (units_per_em_ < 16) fail("bad unitsPerEm");
  for (int i = 0; i < 4; ++i) bbox_[i] = static_cast<int16_t>(U16(data_, head.offset + 36 + 2 * (size_t)i));
  const TableRecord& maxp = tables_["maxp"];
  if (maxp.length < 6) fail("maxp table too short");
  num_glyphs_ = U16(data_, maxp.offset + 4);
  const TableRecord& hhea = tables_["hhea"];
  if (hhea.length < 36) fail("hhea table too short");
  ascender_ = static_cast<int16_t>(U16(data_, hhea.offset + 4));
  descender_ = static_cast<int16_t>(U16(data_, hhea.offset + 6));
  uint16_t num_hmetrics = U16(data_, hhea.offset + 34);
  const TableRecord& hmtx = tables_["hmtx"];
  if (num_hmetrics == 0 || (size_t)num_hmetrics * 4 > hmtx.length) fail("hmtx table too short");
  advances_.resize(num_glyphs_);
  uint16_t last = 0;
  for (uint16_t g = 0; g < num_glyphs_; ++g) {
    if (g < num_hmetrics) last = U16(data_, hmtx.offset + 4 * (size_t)g);
    advances_[g] = last;
  }
  ParseCmap();
}

bool TrueTypeFace::HasTable(const char* tag) const { return tables_.count(tag) != 0; }

std::string TrueTypeFace::Table(const char* tag) const {
  auto it = tables_.find(tag);
  if (it == tables_.end()) throw Error(ErrorKind::kFont, "font " + name_ + ": no table '" + tag + "'");
  return std::string(data_.substr(it->second.offset, it->second.length));
}

std::string TrueTypeFace::Name(uint16_t name_id) const {
  auto it = tables_.find("name");
  if (it == tables_.end() || it->second.length < 6) return "";
  const size_t base = it->second.offset, end = base + it->second.length;
  const uint16_t count = U16(data_, base + 2), storage = U16(data_, base + 4);
  std::string best;
  int best_rank = 0;  // 3: Windows US English, 2: other Windows, 1: Macintosh Roman
  for (uint16_t i = 0; i < count && base + 6 + 12u * (i + 1) <= end; ++i) {
    const size_t r = base + 6 + 12u * i;
    const uint16_t platform = U16(data_, r), encoding = U16(data_, r + 2), language = U16(data_, r + 4);
    if (U16(data_, r + 6) != name_id) continue;
    const size_t at = base + storage + U16(data_, r + 10), len = U16(data_, r + 8);
    if (at + len > end) continue;
    const int rank = platform == 3 && encoding <= 1 ? (language == 0x409 ? 3 : 2) : platform == 1 && encoding == 0 ? 1 : 0;
    if (rank <= best_rank) continue;
    std::string text;
    if (platform == 3) {
      std::u32string wide;
      for (size_t k = 0; k + 1 < len; k += 2) wide.push_back(U16(data_, at + k));  // BMP only: names are short
      for (char32_t c : wide) {
        if (c >= 0xD800 && c <= 0xDFFF) continue;
        AppendUtf8(c, &text);
      }
    } else {
      for (size_t k = 0; k < len; ++k) {
        const char c = data_[at + k];
        if (c >= 32 && c < 127) text += c;
      }
    }
    best = text;
    best_rank = rank;
  }
  return best;
}

void TrueTypeFace::ParseCmap() {
  const TableRecord& cmap = tables_["cmap"];
  const size_t base = cmap.offset, end = (size_t)cmap.offset + cmap.length;
  auto fail = [&](const std::string& why) { throw Error(ErrorKind::kFont, "font " + name_ + ": cmap " + why); };
  if (cmap.length < 4) fail("too short");
  uint16_t n = U16(data_, base + 2);
  if (base + 4 + 8 * (size_t)n > end) fail("truncated");
  size_t best4 = 0, best12 = 0;
  for (uint16_t i = 0; i < n; ++i) {
    uint16_t pid = U16(data_, base + 4 + 8 * i), eid = U16(data_, base + 6 + 8 * i);
    size_t off = base + U32(data_, base + 8 + 8 * i);
    if (off + 4 > end) continue;
    uint16_t fmt = U16(data_, off);
    bool unicode = pid == 0 || (pid == 3 && (eid == 1 || eid == 10));
    if (!unicode) continue;
    if (fmt == 12 && !best12) best12 = off;
    if (fmt == 4 && !best4) best4 = off;
  }
  if (best12) {
    size_t off = best12;
    if (off + 16 > end) fail("format 12 truncated");
    uint32_t groups = U32(data_, off + 12);
    if (off + 16 + 12 * (uint64_t)groups > end) fail("format 12 truncated");
    for (uint32_t g = 0; g < groups; ++g) {
      size_t p = off + 16 + 12 * (size_t)g;
      uint32_t s = U32(data_, p), e = U32(data_, p + 4), gid = U32(data_, p + 8);
      if (e < s || e > 0x10FFFF || e - s > 0x10FFFF) fail("format 12 bad group");
      for (uint32_t c = s; c <= e; ++c) {
        uint32_t gg = gid + (c - s);
        if (gg != 0 && gg < num_glyphs_) unicode_map_[c] = static_cast<uint16_t>(gg);
      }
    }
    return;
  }
  if (!best4) fail("has no Unicode subtable (format 4 or 12)");
  size_t off = best4;
  if (off + 14 > end) fail("format 4 truncated");
  uint16_t segx2 = U16(data_, off + 6);
  size_t ends = off + 14, starts = ends + segx2 + 2, deltas = starts + segx2, ranges = deltas + segx2;
  if (ranges + segx2 > end) fail("format 4 truncated");
  for (size_t i = 0; i < segx2 / 2u; ++i) {
    uint16_t e = U16(data_, ends + 2 * i), s = U16(data_, starts + 2 * i);
    uint16_t delta = U16(data_, deltas + 2 * i), ro = U16(data_, ranges + 2 * i);
    if (s > e) continue;
    for (uint32_t c = s; c <= e && c != 0xFFFF; ++c) {
      uint16_t gid;
      if (ro == 0) {
        gid = static_cast<uint16_t>(c + delta);
      } else {
        size_t p = ranges + 2 * i + ro + 2 * (c - s);
        if (p + 2 > end) continue;
        gid = U16(data_, p);
        if (gid) gid = static_cast<uint16_t>(gid + delta);
      }
      if (gid != 0 && gid < num_glyphs_) unicode_map_[c] = gid;
    }
  }
}

// --- compact format 4 ---------------------------------------------------------------------------------------------

namespace {

struct Segment {
  uint32_t start, end;  // inclusive code points
  bool array;           // glyphIdArray (true) or idDelta (false)
  int prev, next;
  bool alive;
  uint32_t stamp;       // bumps on every change, to discard stale heap entries
};

int64_t SegmentBytes(const Segment& s) { return 8 + (s.array ? 2 * (int64_t)(s.end - s.start + 1) : 0); }

}  // namespace

std::string BuildCompactCmap(const std::map<char32_t, uint16_t>& bmp_map, size_t* segment_count, CmapLayout layout) {
  // 1. Maximal delta runs: consecutive code points whose glyph ids are also consecutive.
  std::vector<Segment> segs;
  for (auto it = bmp_map.begin(); it != bmp_map.end(); ++it) {
    char32_t cp = it->first;
    if (cp >= 0xFFFF) break;
    if (!segs.empty()) {
      Segment& last = segs.back();
      auto prev = bmp_map.find(last.end);
      if (cp == last.end + 1 && it->second == static_cast<uint16_t>(prev->second + 1)) {
        last.end = cp;
        continue;
      }
    }
    segs.push_back(Segment{cp, cp, false, 0, 0, true, 0});
  }
  const int n = static_cast<int>(segs.size());
  for (int i = 0; i < n; ++i) {
    segs[i].prev = i - 1;
    segs[i].next = i + 1 < n ? i + 1 : -1;
  }
  // 2. Greedily merge neighbours into glyphIdArray segments, cheapest bytes first, while the table stays under the
  //    format's 64 KiB limit (header 16 + final 0xFFFF segment 8).
  const int64_t kBudget = 65535 - 16 - 8;
  int64_t total = 0;
  for (const auto& s : segs) total += SegmentBytes(s);
  using Entry = std::tuple<int64_t, int, uint32_t, uint32_t>;  // cost, left index, left stamp, right stamp
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap;
  auto merged_cost = [&](int a) {
    const Segment& l = segs[a];
    const Segment& r = segs[l.next];
    Segment m{l.start, r.end, true, 0, 0, true, 0};
    return SegmentBytes(m) - SegmentBytes(l) - SegmentBytes(r);  // negative when two array segments touch
  };
  auto push = [&](int a) {
    if (a < 0 || segs[a].next < 0) return;
    heap.emplace(merged_cost(a), a, segs[a].stamp, segs[segs[a].next].stamp);
  };
  for (int i = 0; i < n; ++i) push(i);
  while (!heap.empty()) {
    auto [cost, a, sa, sb] = heap.top();
    heap.pop();
    if (!segs[a].alive || segs[a].stamp != sa || segs[a].next < 0) continue;
    int b = segs[a].next;
    if (segs[b].stamp != sb) continue;
    if (total + cost > kBudget) break;  // cheapest merge no longer fits: done
    if (layout == CmapLayout::kSmallest && cost > 0) break;  // every merge left would add bytes
    total += cost;
    segs[a].end = segs[b].end;
    segs[a].array = true;
    segs[a].stamp++;
    segs[a].next = segs[b].next;
    if (segs[b].next >= 0) segs[segs[b].next].prev = a;
    segs[b].alive = false;
    push(segs[a].prev);  // (prev, a) must be re-priced: a grew
    push(a);
  }
  std::vector<Segment> live;
  for (int i = n > 0 ? 0 : -1; i >= 0; i = segs[i].next) live.push_back(segs[i]);
  live.push_back(Segment{0xFFFF, 0xFFFF, false, 0, 0, true, 0});
  const uint16_t seg_count = static_cast<uint16_t>(live.size());
  if (segment_count) *segment_count = seg_count;

  // 3. Serialise. idRangeOffset[i] is relative to its own position in the idRangeOffset array.
  std::vector<uint16_t> glyph_array;
  std::vector<uint16_t> ends, starts, deltas, ranges;
  for (uint16_t i = 0; i < seg_count; ++i) {
    const Segment& s = live[i];
    ends.push_back(static_cast<uint16_t>(s.end));
    starts.push_back(static_cast<uint16_t>(s.start));
    if (s.start == 0xFFFF) {
      deltas.push_back(1);
      ranges.push_back(0);
    } else if (!s.array) {
      deltas.push_back(static_cast<uint16_t>(bmp_map.at(s.start) - s.start));
      ranges.push_back(0);
    } else {
      deltas.push_back(0);
      ranges.push_back(static_cast<uint16_t>(2 * (seg_count - i) + 2 * glyph_array.size()));
      for (uint32_t c = s.start; c <= s.end; ++c) {
        auto it = bmp_map.find(c);
        glyph_array.push_back(it == bmp_map.end() ? 0 : it->second);
      }
    }
  }
  std::string out;
  size_t length = 16 + 8 * (size_t)seg_count + 2 * glyph_array.size();
  uint16_t search_range = 1, entry_selector = 0;
  while (search_range * 2 <= seg_count) search_range *= 2, ++entry_selector;
  search_range *= 2;
  Put16(&out, 4);
  Put16(&out, static_cast<uint16_t>(length));
  Put16(&out, 0);
  Put16(&out, static_cast<uint16_t>(seg_count * 2));
  Put16(&out, search_range);
  Put16(&out, entry_selector);
  Put16(&out, static_cast<uint16_t>(seg_count * 2 - search_range));
  for (auto v : ends) Put16(&out, v);
  Put16(&out, 0);
  for (auto v : starts) Put16(&out, v);
  for (auto v : deltas) Put16(&out, v);
  for (auto v : ranges) Put16(&out, v);
  for (auto v : glyph_array) Put16(&out, v);
  return CmapTable({{1, out}});
}

std::string BuildUnicodeCmap(const std::map<char32_t, uint16_t>& map) {
  std::map<char32_t, uint16_t> bmp(map.begin(), map.lower_bound(0xFFFF));
  // The subtable, without BuildCompactCmap's header.
  const std::string format4 = BuildCompactCmap(bmp, nullptr, CmapLayout::kSmallest).substr(12);
  if (map.empty() || map.rbegin()->first < 0x10000) return CmapTable({{1, format4}});
  // Format 12: groups of consecutive code points with consecutive glyph ids.
  std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> groups;  // start, end, start glyph
  for (const auto& [cp, gid] : map) {
    if (!groups.empty()) {
      auto& [start, end, glyph] = groups.back();
      if (cp == end + 1 && gid == glyph + (cp - start)) {
        end = cp;
        continue;
      }
    }
    groups.emplace_back(cp, cp, gid);
  }
  std::string format12;
  Put16(&format12, 12);
  Put16(&format12, 0);
  Put32(&format12, static_cast<uint32_t>(16 + 12 * groups.size()));
  Put32(&format12, 0);
  Put32(&format12, static_cast<uint32_t>(groups.size()));
  for (const auto& [start, end, glyph] : groups) {
    Put32(&format12, start);
    Put32(&format12, end);
    Put32(&format12, glyph);
  }
  return CmapTable({{1, format4}, {10, format12}});
}

std::string WriteTrueType(const std::map<std::string, std::string>& tables,
                          std::map<std::string, uint32_t>* offsets) {
  const uint16_t n = static_cast<uint16_t>(tables.size());
  uint16_t search_range = 1, entry_selector = 0;
  while (search_range * 2 <= n) search_range *= 2, ++entry_selector;
  search_range *= 16;
  std::string out;
  Put32(&out, 0x00010000);
  Put16(&out, n);
  Put16(&out, search_range);
  Put16(&out, entry_selector);
  Put16(&out, static_cast<uint16_t>(n * 16 - search_range));
  size_t offset = 12 + 16 * (size_t)n;
  size_t head_offset = 0;
  // The sum of the big-endian 32-bit words of `size` bytes at `p`, the last word padded with zeros.
  auto checksum_of = [](const char* p, size_t size) {
    uint32_t sum = 0;
    const auto* b = reinterpret_cast<const unsigned char*>(p);
    size_t i = 0;
    for (; i + 4 <= size; i += 4)
      sum += (uint32_t(b[i]) << 24) | (uint32_t(b[i + 1]) << 16) | (uint32_t(b[i + 2]) << 8) | uint32_t(b[i + 3]);
    uint32_t v = 0;
    for (size_t k = 0; k < 4; ++k) v = (v << 8) | (i + k < size ? b[i + k] : 0u);
    return i < size ? sum + v : sum;
  };
  auto checksum = [&](const std::string& s) { return checksum_of(s.data(), s.size()); };
  size_t total = offset;
  for (const auto& [tag, bytes] : tables) total += (bytes.size() + 3) / 4 * 4;
  out.reserve(total);
  std::string body;
  body.reserve(total - offset);
  for (const auto& [tag, bytes] : tables) {  // std::map iterates in tag order, as the directory requires
    const size_t at = body.size();
    body += bytes;
    if (tag == "head" && bytes.size() >= 12) Set32(&body, at + 8, 0);  // checkSumAdjustment: 0 while summing
    out += tag.substr(0, 4);
    Put32(&out, checksum_of(body.data() + at, bytes.size()));
    Put32(&out, static_cast<uint32_t>(offset + at));
    Put32(&out, static_cast<uint32_t>(bytes.size()));
    if (tag == "head") head_offset = offset + at;
    if (offsets) (*offsets)[tag] = static_cast<uint32_t>(offset + at);
    while (body.size() % 4) body.push_back('\0');
  }
  out += body;
  if (head_offset) Set32(&out, head_offset + 8, 0xB1B0AFBA - checksum(out));
  return out;
}

}  // namespace zhiping::fonts
