// The visible signature's font cache (sign/appearance_font.h): made once per face and set of characters, bounded,
// and what it keeps is the real font (its zlib streams inflate to the subset and the maps the writer expects).
#include "sign/appearance_font.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "fonts/font_face.h"
#include "fonts/font_set.h"
#include "support/repo_renderer.h"

namespace zhiping::sign {
namespace {

const fonts::FontFace& SongFace() {
  const auto& chain = testing::SharedRenderer().font_set()->chain(fonts::Role::kSong);
  for (const fonts::FontFace* face : chain)
    if (face->Has(U'签')) return *face;
  throw std::runtime_error("no Song face draws 签");
}

pdf::UsedCodes Codes(const fonts::FontFace& face, const std::u32string& text) {
  pdf::UsedCodes used;
  pdf::HexCodes(face, text, &used);
  return used;
}

std::string Inflate(const std::string& zlib_stream, size_t size) {
  std::string out(size, '\0');
  uLongf n = static_cast<uLongf>(size);
  EXPECT_EQ(uncompress(reinterpret_cast<Bytef*>(out.data()), &n, reinterpret_cast<const Bytef*>(zlib_stream.data()),
                       static_cast<uLong>(zlib_stream.size())),
            Z_OK);
  out.resize(n);
  return out;
}

TEST(sign_AppearanceFont, TheSameCharactersAreMadeOnceAndOthersAgain) {
  const fonts::FontFace& face = SongFace();
  const size_t before = AppearanceFontsMade();
  auto a = AppearanceFontFor(face, Codes(face, U"数字签名：甲 时间：2026-11-29 10:00"));
  auto b = AppearanceFontFor(face, Codes(face, U"数字签名：甲 时间：2026-11-29 10:00"));
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(AppearanceFontsMade(), before + 1);
  auto c = AppearanceFontFor(face, Codes(face, U"数字签名：乙 时间：2026-11-29 10:00"));
  EXPECT_NE(a.get(), c.get());
  EXPECT_EQ(AppearanceFontsMade(), before + 2);
}

TEST(sign_AppearanceFont, ItKeepsTheSubsetAndMapsTheWriterWouldMake) {
  const fonts::FontFace& face = SongFace();
  const pdf::UsedCodes used = Codes(face, U"数字签名：丙 时间：2026-11-30 08:15");
  auto font = AppearanceFontFor(face, used);
  const pdf::EmbeddedGlyphs expected = pdf::EmbedGlyphs(face, used);
  EXPECT_EQ(font->font_program_length, expected.subset.ttf.size());
  EXPECT_EQ(Inflate(font->font_program, font->font_program_length), expected.subset.ttf);
  EXPECT_EQ(Inflate(font->cid_to_gid, expected.cid_to_gid.size()), expected.cid_to_gid);
  const std::string cmap = pdf::ToUnicodeCMap(used);
  EXPECT_EQ(Inflate(font->to_unicode, cmap.size()), cmap);
  EXPECT_EQ(font->widths, pdf::Widths(face, used));
  ASSERT_GT(font->name.size(), 7u);
  EXPECT_EQ(font->name[6], '+');  // "ABCDEF+…"
}

TEST(sign_AppearanceFont, TheCacheIsBounded) {
  const fonts::FontFace& face = SongFace();
  const std::u32string first_text = U"时间：0000";
  AppearanceFontFor(face, Codes(face, first_text));
  // More distinct sets than the cache keeps (each with one more character of its own), each asked for once: the
  // first one is gone and is made again.
  size_t asked = 0;
  for (char32_t cp = 0x4E00; asked < kAppearanceFontsKept + 1 && cp < 0x9FA5; ++cp) {
    if (!face.Has(cp)) continue;
    AppearanceFontFor(face, Codes(face, first_text + cp));
    ++asked;
  }
  ASSERT_EQ(asked, kAppearanceFontsKept + 1);
  const size_t before = AppearanceFontsMade();
  AppearanceFontFor(face, Codes(face, first_text));
  EXPECT_EQ(AppearanceFontsMade(), before + 1);
}

}  // namespace
}  // namespace zhiping::sign
