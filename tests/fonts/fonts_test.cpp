// fonts: compact cmap, prepared-font cache, non-BMP aliases, role map resolution and its errors.
#include <gtest/gtest.h>
#include <hpdf.h>

#include <fstream>
#include <map>
#include <random>

#include "../pdf/core_test_util.h"
#include "common/error.h"
#include "fonts/font_face.h"
#include "fonts/font_set.h"
#include "fonts/prepared_font.h"
#include "fonts/truetype.h"

namespace zhiping {
namespace {

using namespace coretest;
using fonts::FontSet;
using fonts::Role;

std::string SystemFont(const std::string& name) {
  std::string p = fonts::FindFontFile(name, fonts::DefaultFontSearchDirs(SourceDir() + "/fonts"));
  EXPECT_FALSE(p.empty()) << name << " is not installed";
  return p;
}

uint16_t U16(const std::string& s, size_t off) {
  if (off + 2 > s.size()) throw std::runtime_error("read past end of cmap");
  return static_cast<uint16_t>((static_cast<unsigned char>(s[off]) << 8) | static_cast<unsigned char>(s[off + 1]));
}
uint32_t U32(const std::string& s, size_t off) { return (uint32_t(U16(s, off)) << 16) | U16(s, off + 2); }

// Independent decoder: the (3,1) format-4 subtable of a whole `cmap` table -> code point -> glyph (glyph != 0).
std::map<char32_t, uint16_t> DecodeFormat4(const std::string& cmap, size_t* seg_count_out) {
  std::map<char32_t, uint16_t> out;
  uint16_t n = U16(cmap, 2);
  size_t sub = SIZE_MAX;
  for (uint16_t i = 0; i < n; ++i) {
    size_t rec = 4 + 8 * i;
    if (U16(cmap, rec) == 3 && U16(cmap, rec + 2) == 1) sub = U32(cmap, rec + 4);
  }
  if (sub == SIZE_MAX) throw std::runtime_error("no (3,1) subtable");
  if (U16(cmap, sub) != 4) throw std::runtime_error("(3,1) subtable is not format 4");
  const size_t seg_count = U16(cmap, sub + 6) / 2;
  if (seg_count_out) *seg_count_out = seg_count;
  const size_t ends = sub + 14, starts = ends + 2 * seg_count + 2, deltas = starts + 2 * seg_count,
               ranges = deltas + 2 * seg_count;
  for (size_t i = 0; i < seg_count; ++i) {
    uint16_t end = U16(cmap, ends + 2 * i), start = U16(cmap, starts + 2 * i);
    uint16_t delta = U16(cmap, deltas + 2 * i), range = U16(cmap, ranges + 2 * i);
    if (start > end) throw std::runtime_error("segment start > end");
    for (uint32_t c = start; c <= end; ++c) {
      if (c == 0xFFFF) break;
      uint16_t g;
      if (range == 0) {
        g = static_cast<uint16_t>(c + delta);
      } else {
        size_t at = ranges + 2 * i + range + 2 * (c - start);
        g = U16(cmap, at);
        if (g) g = static_cast<uint16_t>(g + delta);
      }
      if (g) out[c] = g;
    }
  }
  return out;
}

TEST(fonts_CompactCmap, RoundTripKeepsEveryMappingWithFarFewerSegments) {
  const std::string src_path = SystemFont("gbsn00lp.ttf");
  const std::string data = ReadAll(src_path);
  fonts::TrueTypeFace face(data, 0, src_path);
  size_t source_segments = 0;
  DecodeFormat4(face.Table("cmap"), &source_segments);
  EXPECT_EQ(source_segments, 3641u) << "the source font's format-4 cmap (sanity of the decoder)";

  std::map<char32_t, uint16_t> bmp;
  for (auto [cp, g] : face.unicode_map())
    if (cp < 0xFFFF) bmp[cp] = g;
  ASSERT_GT(bmp.size(), 7000u);

  size_t reported = 0;
  const std::string cmap = fonts::BuildCompactCmap(bmp, &reported);
  ASSERT_LE(cmap.size(), 65535u + 12);
  size_t decoded_segments = 0;
  std::map<char32_t, uint16_t> decoded = DecodeFormat4(cmap, &decoded_segments);
  EXPECT_EQ(decoded_segments, reported);
  EXPECT_LT(reported * 4, source_segments) << "compact cmap has " << reported << " segments";
  // Same code points to the same glyphs, nothing added.
  EXPECT_EQ(decoded.size(), bmp.size());
  size_t mismatches = 0;
  for (auto [cp, g] : bmp) {
    auto it = decoded.find(cp);
    if (it == decoded.end() || it->second != g) ++mismatches;
  }
  EXPECT_EQ(mismatches, 0u);

  // And through a written font file read back by TrueTypeFace.
  std::map<std::string, std::string> tables;
  tables["cmap"] = cmap;
  for (const char* tag : {"head", "hhea", "maxp", "hmtx", "loca", "glyf"}) tables[tag] = face.Table(tag);
  const std::string ttf = fonts::WriteTrueType(tables);
  fonts::TrueTypeFace back(ttf, 0, "written");
  EXPECT_EQ(back.num_glyphs(), face.num_glyphs());
  std::map<char32_t, uint16_t> back_map(back.unicode_map().begin(), back.unicode_map().end());
  EXPECT_TRUE(back_map == bmp) << "re-read cmap differs: " << back_map.size() << " vs " << bmp.size();
}

TEST(fonts_CompactCmap, SmallMapsRoundTrip) {
  std::map<char32_t, uint16_t> m{{0x20, 3}, {0x21, 4}, {0x22, 5}, {0x41, 36}, {0x4E00, 100}, {0x4E01, 7},
                                 {0x4E03, 9}, {0x9FA5, 20000}, {0xFFFD, 2}};
  size_t segs = 0;
  std::string cmap = fonts::BuildCompactCmap(m, &segs);
  size_t decoded_segs = 0;
  auto decoded = DecodeFormat4(cmap, &decoded_segs);
  EXPECT_EQ(decoded_segs, segs);
  EXPECT_TRUE(decoded == m);
  EXPECT_EQ(U16(cmap, 12 + 0), 4);
}

TEST(fonts_PrepareFont, SecondCallComesFromTheCache) {
  const std::string cache = FreshDir("prep-cache");
  fonts::FontSource src{SystemFont("DejaVuSans.ttf"), 0};
  fonts::PreparedFont a = fonts::PrepareFont(src, cache);
  EXPECT_FALSE(a.from_cache);
  EXPECT_EQ(a.digest.size(), 64u);
  EXPECT_EQ(a.ttf_path.rfind(cache, 0), 0u) << a.ttf_path;
  fonts::PreparedFont b = fonts::PrepareFont(src, cache);
  EXPECT_TRUE(b.from_cache);
  EXPECT_EQ(b.ttf_path, a.ttf_path);
  EXPECT_EQ(b.digest, a.digest);
  EXPECT_EQ(b.cmap_segments, a.cmap_segments);
  // The prepared file is a valid TrueType font with the same coverage.
  std::string orig = ReadAll(src.path), prep = ReadAll(a.ttf_path);
  fonts::TrueTypeFace of(orig, 0, "orig"), pf(prep, 0, "prep");
  for (char32_t cp : {U'A', U'z', U'0', U'€'}) {
    ASSERT_TRUE(of.unicode_map().count(cp));
    ASSERT_TRUE(pf.unicode_map().count(cp));
    EXPECT_EQ(pf.unicode_map().at(cp), of.unicode_map().at(cp));
  }
  EXPECT_FALSE(pf.HasTable("GSUB"));
}

TEST(fonts_PrepareFont, CacheKeyChangesWhenTheSourceBytesChange) {
  const std::string dir = FreshDir("prep-key");
  const std::string copy = dir + "/copy.ttf";
  WriteAll(copy, ReadAll(SystemFont("DejaVuSans.ttf")));
  fonts::PreparedFont a = fonts::PrepareFont({copy, 0}, dir + "/cache");
  EXPECT_FALSE(a.from_cache);
  {
    std::ofstream out(copy, std::ios::binary | std::ios::app);
    out << '\0';
  }
  fonts::PreparedFont b = fonts::PrepareFont({copy, 0}, dir + "/cache");
  EXPECT_NE(b.digest, a.digest);
  EXPECT_NE(b.ttf_path, a.ttf_path);
  EXPECT_FALSE(b.from_cache);
}

// Two files with one PostScript name (two versions of a face, two vendors' "FangSong"): libharu keeps one font per
// name in a document and would hand back the first for the second. Prepared, each carries its digest in its name.
TEST(fonts_PrepareFont, SamePostScriptNameInTwoFilesStaysTwoFontsInLibharu) {
  const std::string dir = FreshDir("prep-psname");
  const std::string original = SystemFont("DejaVuSerif.ttf");
  const std::string other = dir + "/DejaVuSerif-another-version.ttf";
  WriteAll(other, ReadAll(original) + std::string(4, '\0'));  // other bytes, same name table
  fonts::PreparedFont a = fonts::PrepareFont({original, 0}, dir + "/cache");
  fonts::PreparedFont b = fonts::PrepareFont({other, 0}, dir + "/cache");
  ASSERT_NE(a.digest, b.digest);

  HPDF_Doc doc = HPDF_New(nullptr, nullptr);
  ASSERT_NE(doc, nullptr);
  HPDF_UseUTFEncodings(doc);
  // Unprepared, the second file is taken for the first.
  std::string raw_a = HPDF_LoadTTFontFromFile(doc, original.c_str(), HPDF_FALSE);
  std::string raw_b = HPDF_LoadTTFontFromFile(doc, other.c_str(), HPDF_FALSE);
  EXPECT_EQ(raw_a, raw_b);
  const char* name_a = HPDF_LoadTTFontFromFile(doc, a.ttf_path.c_str(), HPDF_FALSE);
  const char* name_b = HPDF_LoadTTFontFromFile(doc, b.ttf_path.c_str(), HPDF_FALSE);
  ASSERT_NE(name_a, nullptr);
  ASSERT_NE(name_b, nullptr);
  EXPECT_NE(std::string(name_a), std::string(name_b));
  EXPECT_EQ(std::string(name_a), "DejaVuSerif-" + a.digest.substr(0, 6) + ",Book");  // the subfamily kept
  EXPECT_EQ(std::string(name_b), "DejaVuSerif-" + b.digest.substr(0, 6) + ",Book");
  HPDF_Free(doc);
}

TEST(fonts_PrepareFont, NonBmpGlyphsGetPrivateUseAliases) {
  const std::string path = SystemFont("LXGWWenKai-Regular.ttf");
  fonts::PreparedFont p = fonts::PrepareFont({path, 0}, SharedFontCache());
  ASSERT_TRUE(p.aliases.count(0x20BB7)) << "no alias for U+20BB7 𠮷";
  const char32_t alias = p.aliases.at(0x20BB7);
  EXPECT_GE(alias, 0xE000u);
  EXPECT_LE(alias, 0xF8FFu);
  // Aliases are distinct.
  std::set<char32_t> seen;
  for (auto [cp, a] : p.aliases) {
    EXPECT_GT(cp, 0xFFFFu);
    EXPECT_TRUE(seen.insert(a).second) << "alias used twice";
  }
  // The alias maps to the glyph the source maps 𠮷 to.
  std::string src = ReadAll(path), prep = ReadAll(p.ttf_path);
  fonts::TrueTypeFace sf(src, 0, "src"), pf(prep, 0, "prep");
  ASSERT_TRUE(sf.unicode_map().count(0x20BB7));
  ASSERT_TRUE(pf.unicode_map().count(alias));
  EXPECT_EQ(pf.unicode_map().at(alias), sf.unicode_map().at(0x20BB7));

  fonts::FontFace face(p);
  EXPECT_TRUE(face.Has(0x20BB7));
  EXPECT_EQ(face.PdfCode(0x20BB7), alias);
  EXPECT_EQ(face.PdfCode(U'一'), U'一');
  EXPECT_FALSE(face.Has(alias)) << "private-use input must not count as covered";
  EXPECT_NEAR(face.Advance(0x20BB7), 1.0, 0.05);
}

TEST(fonts_FontSet, ResolvesLatinHanAndExtensionB) {
  const FontSet& fs = SharedFonts();
  auto file_of = [&](Role r, char32_t cp) -> std::string {
    const fonts::FontFace* f = fs.Resolve(r, cp);
    return f ? f->prepared().source.path : "(none)";
  };
  EXPECT_TRUE(Contains(file_of(Role::kFangSong, U'A'), "DejaVu")) << file_of(Role::kFangSong, U'A');
  EXPECT_TRUE(Contains(file_of(Role::kFangSong, U'7'), "DejaVuSerif")) << file_of(Role::kFangSong, U'7');
  EXPECT_TRUE(Contains(file_of(Role::kHei, U'A'), "DejaVuSans")) << file_of(Role::kHei, U'A');
  EXPECT_TRUE(Contains(file_of(Role::kFangSong, U'一'), "gbsn00lp")) << file_of(Role::kFangSong, U'一');
  EXPECT_TRUE(Contains(file_of(Role::kSong, U'一'), "gbsn00lp"));
  EXPECT_TRUE(Contains(file_of(Role::kFangSong, 0x20BB7), "LXGWWenKai")) << file_of(Role::kFangSong, 0x20BB7);
  EXPECT_TRUE(Contains(file_of(Role::kKai, U'一'), "gkai00mp"));
  EXPECT_EQ(fs.Resolve(Role::kFangSong, 0x10FFFD), nullptr);
  EXPECT_EQ(fs.Resolve(Role::kFangSong, 0xE000), nullptr);
  EXPECT_GT(fs.bold(Role::kXiaobiaoSong), 0);
  EXPECT_EQ(fs.Describe().size(), static_cast<size_t>(fonts::kRoleCount));
  // Each face once.
  std::set<std::string> files;
  for (const fonts::FontFace* f : fs.faces()) EXPECT_TRUE(files.insert(f->prepared().source.Describe()).second);
}

fonts::FontSetOptions OptionsWithMap(const std::string& map_text) {
  fonts::FontSetOptions o = DefaultFontOptions();
  o.role_map_path = FreshDir("rolemap") + "/fonts.conf";
  WriteAll(o.role_map_path, map_text);
  return o;
}

std::string AllRoles(const std::string& files) {
  std::string s;
  for (const char* r : {"song", "xiaobiaosong", "fangsong", "kai", "hei", "pagenumber"}) s += std::string(r) + " = " + files + "\n";
  return s;
}

TEST(fonts_FontSet, UnknownRoleThrowsKFontNamingTheLine) {
  auto o = OptionsWithMap("# comment\nsong = DejaVuSans.ttf\nfangsongg = DejaVuSans.ttf\n");
  try {
    FontSet fs(o);
    FAIL() << "no error for an unknown role";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kFont);
    EXPECT_TRUE(Contains(e.what(), o.role_map_path + ":3")) << e.what();
    EXPECT_TRUE(Contains(e.what(), "fangsongg")) << e.what();
  }
}

TEST(fonts_FontSet, MissingFontFileIsAWarningNotACrash) {
  auto o = OptionsWithMap(AllRoles("no-such-font-zhiping.ttf, DejaVuSans.ttf"));
  std::unique_ptr<FontSet> fs;
  ASSERT_NO_THROW(fs = std::make_unique<FontSet>(o));
  ASSERT_FALSE(fs->warnings().empty());
  EXPECT_TRUE(Contains(fs->warnings()[0], "no-such-font-zhiping.ttf")) << fs->warnings()[0];
  const fonts::FontFace* f = fs->Resolve(Role::kSong, U'A');
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(Contains(f->prepared().source.path, "DejaVuSans"));
}

TEST(fonts_FontSet, RoleWithoutAnyUsableFontThrowsKFont) {
  auto o = OptionsWithMap(AllRoles("no-such-font-zhiping.ttf"));
  try {
    FontSet fs(o);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kFont);
  }
}

std::string RandomBytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

TEST(fonts_FontSet, NonFontFileThrowsKFont) {
  const std::string dir = FreshDir("notafont");
  const std::string junk = dir + "/junk.ttf";
  WriteAll(junk, RandomBytes(100, 42));
  try {
    fonts::PrepareFont({junk, 0}, dir + "/cache");
    FAIL() << "PrepareFont accepted random bytes";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kFont) << e.what();
  }
  auto o = OptionsWithMap(AllRoles(junk));
  try {
    FontSet fs(o);
    FAIL() << "FontSet accepted random bytes";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kFont) << e.what();
  }
}

TEST(fonts_TrueType, TruncatedAndHostileInputsThrowKFont) {
  const std::string real = ReadAll(SystemFont("DejaVuSans.ttf"));
  std::vector<std::string> inputs = {"", std::string(12, '\0'), real.substr(0, 200), real.substr(0, real.size() / 3)};
  for (unsigned seed = 0; seed < 20; ++seed) inputs.push_back(RandomBytes(100 + seed * 37, seed));
  // A valid header whose table directory points far past the end.
  std::string bad = real.substr(0, 12 + 16 * 4);
  inputs.push_back(bad);
  for (size_t i = 0; i < inputs.size(); ++i) {
    try {
      fonts::TrueTypeFace f(inputs[i], 0, "input" + std::to_string(i));
      // Parsing may succeed only if every table it needs is inside the data; a truncated file must not.
      ADD_FAILURE() << "input " << i << " (" << inputs[i].size() << " bytes) was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kFont) << e.what();
    }
  }
}

}  // namespace
}  // namespace zhiping
