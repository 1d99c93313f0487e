// pdf/font_program.h: a subset font program deflated from per-glyph pieces kept across documents. The bytes must
// inflate (real zlib) to exactly the subset, composites included, and the cache must be reused, not regrown.
#include <gtest/gtest.h>

#include <zlib.h>

#include <string>
#include <vector>

#include "core_test_util.h"
#include "fonts/font_face.h"
#include "fonts/font_set.h"
#include "fonts/subset.h"
#include "pdf/font_program.h"

namespace zhiping {
namespace {

using namespace coretest;

// zlib's own inflate, checking the header and the Adler-32 trailer; throws on any error.
std::string Inflate(const std::string& deflated) {
  z_stream z{};
  EXPECT_EQ(inflateInit(&z), Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(deflated.data()));
  z.avail_in = static_cast<uInt>(deflated.size());
  std::string out;
  int rc = Z_OK;
  while (rc == Z_OK) {
    char buf[16384];
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
  }
  const bool whole = rc == Z_STREAM_END && z.avail_in == 0;
  inflateEnd(&z);
  if (!whole) throw std::runtime_error("inflate ended with " + std::to_string(rc));
  return out;
}

fonts::FontSubset SubsetOf(const fonts::FontFace& face, const std::u32string& text) {
  std::vector<uint16_t> glyphs;
  for (char32_t cp : text)
    if (face.Glyph(cp)) glyphs.push_back(face.Glyph(cp));
  return fonts::SubsetTrueType(face.data(), face.size(), glyphs);
}

const fonts::FontFace& FaceFor(fonts::Role role, char32_t cp) {
  const fonts::FontFace* face = SharedFonts().Resolve(role, cp);
  if (!face) throw std::runtime_error("no face");
  return *face;
}

TEST(pdf_FontProgram, InflatesToExactlyTheSubsetAndReusesTheGlyphPieces) {
  pdf::Deflater deflater;
  const fonts::FontFace& han = FaceFor(fonts::Role::kSong, U'评');
  const fonts::FontSubset first = SubsetOf(han, U"浙江省高级政工师评审结果通知书同志");
  ASSERT_GT(first.glyphs.size(), 10u);
  const size_t before = pdf::CachedGlyphBytes();
  const std::string a = pdf::DeflateFontProgram(han.digest(), first, 1, &deflater);
  EXPECT_EQ(Inflate(a), first.ttf);
  const size_t after_first = pdf::CachedGlyphBytes();
  EXPECT_GT(after_first, before) << "the glyphs' pieces are kept";
  // The same glyphs again and a different selection overlapping them: the known pieces are reused.
  EXPECT_EQ(pdf::DeflateFontProgram(han.digest(), first, 1, &deflater), a) << "same subset, same bytes";
  EXPECT_EQ(pdf::CachedGlyphBytes(), after_first);
  const fonts::FontSubset second = SubsetOf(han, U"浙江省评审通知书张伟");
  EXPECT_EQ(Inflate(pdf::DeflateFontProgram(han.digest(), second, 6, &deflater)), second.ttf);
  const size_t grown = pdf::CachedGlyphBytes() - after_first;
  EXPECT_GT(grown, 0u) << "张 and 伟 are new";
  EXPECT_LT(grown, (after_first - before) / 3) << "only the new glyphs were added";
}

TEST(pdf_FontProgram, CompositeGlyphsAreRenumberedAndStillInflateExactly) {
  pdf::Deflater deflater;
  // Latin letters with accents are composites (base + accent) in DejaVu: their component ids change per subset.
  const fonts::FontFace& latin = FaceFor(fonts::Role::kSong, U'A');
  const fonts::FontSubset subset = SubsetOf(latin, U"AéüñÅçZ2022");
  bool renumbered = false;
  for (const auto& g : subset.glyphs) renumbered = renumbered || g.renumbered;
  EXPECT_TRUE(renumbered) << "the sample must contain a composite glyph";
  const std::string deflated = pdf::DeflateFontProgram(latin.digest(), subset, 1, &deflater);
  EXPECT_EQ(Inflate(deflated), subset.ttf);
  // An empty selection: only .notdef and the tables.
  const fonts::FontSubset empty = SubsetOf(latin, U"");
  EXPECT_EQ(Inflate(pdf::DeflateFontProgram(latin.digest(), empty, 1, &deflater)), empty.ttf);
}

// One Deflater for many streams at several levels: each is a complete zlib stream of exactly its input.
TEST(pdf_Deflater, OneStreamServesManyDocumentsAtAnyLevel) {
  pdf::Deflater deflater;
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "BT /F1 16 Tf 1 0 0 1 " + std::to_string(i) + " 700 Tm <00010002> Tj ET\n";
  for (int level : {1, 9, 1, 6}) {
    const std::string z = deflater.Zlib(text.data(), text.size(), level);
    EXPECT_LT(z.size(), text.size() / 4);
    EXPECT_EQ(Inflate(z), text);
  }
  EXPECT_EQ(Inflate(deflater.Zlib("", 0, 1)), "");
  EXPECT_LT(deflater.Zlib(text.data(), text.size(), 9).size(), deflater.Zlib(text.data(), text.size(), 1).size());
}

}  // namespace
}  // namespace zhiping
