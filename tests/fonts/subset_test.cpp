// fonts/subset.h: the subset keeps exactly the glyphs asked for (plus .notdef and composite components), renumbered,
// with their outlines and advances unchanged.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "../pdf/core_test_util.h"
#include "common/error.h"
#include "fonts/subset.h"
#include "fonts/truetype.h"

namespace zhiping {
namespace {

using namespace coretest;
using fonts::Role;

TEST(fonts_Subset, KeepsUsedGlyphsRenumberedWithTheirOutlinesAndAdvances) {
  const fonts::FontFace* face = SharedFonts().Resolve(Role::kFangSong, U'政');
  ASSERT_NE(face, nullptr);
  const std::string original(face->data(), face->size());
  fonts::TrueTypeFace src(original, 0, "source");
  std::vector<uint16_t> used;
  for (char32_t cp : std::u32string(U"政工师评审结果通知书")) used.push_back(face->Glyph(cp));
  fonts::FontSubset subset = fonts::SubsetTrueType(face->data(), face->size(), used);
  fonts::TrueTypeFace sub(subset.ttf, 0, "subset");
  EXPECT_EQ(sub.num_glyphs(), subset.gids.size());
  EXPECT_EQ(subset.gids.size(), used.size() + 1);  // + .notdef
  EXPECT_LT(subset.ttf.size(), original.size() / 50);
  for (uint16_t g : used) {
    ASSERT_TRUE(subset.gids.count(g));
    EXPECT_EQ(sub.advances()[subset.gids[g]], src.advances()[g]);
  }
  // Outlines: the glyph bytes are the same (simple glyphs are copied as they are).
  auto glyph_bytes = [](const fonts::TrueTypeFace& f, const std::string& data, uint16_t g) {
    const std::string head = f.Table("head"), loca = f.Table("loca"), glyf = f.Table("glyf");
    auto u16 = [](const std::string& s, size_t o) {
      return static_cast<uint32_t>((static_cast<unsigned char>(s[o]) << 8) | static_cast<unsigned char>(s[o + 1]));
    };
    const bool long_loca = u16(head, 50) == 1;
    uint32_t a = long_loca ? (u16(loca, 4 * g) << 16 | u16(loca, 4 * g + 2)) : 2 * u16(loca, 2 * g);
    uint32_t b = long_loca ? (u16(loca, 4 * g + 4) << 16 | u16(loca, 4 * g + 6)) : 2 * u16(loca, 2 * g + 2);
    std::string bytes = glyf.substr(a, b - a);
    while (!bytes.empty() && bytes.back() == '\0') bytes.pop_back();  // the subset pads glyphs to 4 bytes
    (void)data;
    return bytes;
  };
  const uint16_t g = face->Glyph(U'政');
  EXPECT_EQ(glyph_bytes(sub, subset.ttf, subset.gids[g]), glyph_bytes(src, original, g));
}

// The cmap of a subset (OFD readers look glyphs up by character) maps exactly the characters asked for and is as
// small as it can be: a letter's hundred scattered CJK characters in a few KB, not a table merged up to format 4's
// 64 KiB limit (what the prepared font wants for libharu; it made a letter's subset 54 KB of cmap).
TEST(fonts_Subset, AUnicodeCmapMapsExactlyTheCharactersAndStaysSmall) {
  const std::u32string text =
      U"根据浙江省高级政工师评价标准试行和关于开展年度高级政工师专业职务评定工作的通知经浙江省高级政工师专业"
      U"职务评审委员会于年月日评审并经公示无异议你已通过任职资格评审具备资格取得时间为请妥善保管本通知书如有疑"
      U"问与省政工职评办联系电话电子邮箱特此通知同志编号评审结果";
  const fonts::FontFace* face = SharedFonts().Resolve(Role::kFangSong, U'政');
  ASSERT_NE(face, nullptr);
  std::map<char32_t, uint16_t> unicode;
  std::vector<uint16_t> used;
  for (char32_t cp : text) {
    if (!face->Has(cp) || unicode.count(cp)) continue;
    unicode[cp] = face->Glyph(cp);
    used.push_back(face->Glyph(cp));
  }
  ASSERT_GT(unicode.size(), 60u);
  fonts::FontSubset subset = fonts::SubsetTrueType(face->data(), face->size(), used, &unicode);
  fonts::TrueTypeFace sub(subset.ttf, 0, "subset");
  std::map<char32_t, uint16_t> expected;
  for (const auto& [cp, gid] : unicode) expected[cp] = subset.gids.at(gid);
  EXPECT_EQ(sub.unicode_map(), expected);
  EXPECT_LT(sub.Table("cmap").size(), 16 * unicode.size() + 64) << unicode.size() << " characters";
}

TEST(fonts_Subset, CompositeGlyphsBringTheirComponents) {
  // DejaVu Serif builds accented letters from components: é = e + acute.
  const fonts::FontFace* latin = SharedFonts().Resolve(Role::kFangSong, U'é');
  ASSERT_NE(latin, nullptr);
  const uint16_t e_acute = latin->Glyph(U'é');
  fonts::FontSubset subset = fonts::SubsetTrueType(latin->data(), latin->size(), {e_acute});
  EXPECT_GT(subset.gids.size(), 2u) << "components of é were not kept";
  fonts::TrueTypeFace sub(subset.ttf, 0, "subset");
  EXPECT_EQ(sub.num_glyphs(), subset.gids.size());
}

TEST(fonts_Subset, MalformedFontIsAnError) {
  const std::string junk(64, '\x01');
  EXPECT_THROW(fonts::SubsetTrueType(junk.data(), junk.size(), {1}), Error);
}

}  // namespace
}  // namespace zhiping
