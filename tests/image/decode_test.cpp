// image: every PNG colour type and JPEG kind a photo comes in decodes to the pixels it holds; every corrupt file
// of test_images.h is refused with a sentence (never abort(), never a word on stderr); a decompression bomb is
// refused at its header, fast and without memory; the memo hands the same decode to validation and layout.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <cstring>
#include <cstdlib>

#include "image/decode.h"
#include "image/decode_memo.h"
#include "test_images.h"

namespace zhiping::image {
namespace {

using namespace testimages;

long MaxRssKb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

const unsigned char* Pixel(const DecodedImage& img, int x, int y) {
  return reinterpret_cast<const unsigned char*>(img.pixels.data()) +
         (static_cast<size_t>(y) * img.width + x) * img.channels;
}

DecodedImage MustDecode(const std::string& bytes) {
  DecodedImage img;
  std::string problem = DecodeImage(bytes, &img);
  EXPECT_EQ(problem, "");
  return img;
}

TEST(image_Png, RgbPixelsAreExact) {
  DecodedImage img = MustDecode(MakePng({}));
  ASSERT_EQ(img.width, 100);
  ASSERT_EQ(img.height, 140);
  ASSERT_EQ(img.channels, 3);
  ASSERT_EQ(img.pixels.size(), 100u * 140 * 3);
  EXPECT_TRUE(img.jpeg.empty());
  for (int y = 0; y < 140; y += 13)
    for (int x = 0; x < 100; x += 7) {
      unsigned char rgb[3];
      ExpectedRgb(x, y, 100, 140, rgb);
      EXPECT_EQ(0, std::memcmp(Pixel(img, x, y), rgb, 3)) << x << "," << y;
    }
}

TEST(image_Png, EveryColourTypeDepthAndInterlace) {
  struct Case {
    PngSpec spec;
    int channels;
  };
  const Case cases[] = {
      {{100, 140, PngColor::kGray, 8}, 1},       {{100, 140, PngColor::kGray, 1}, 1},
      {{100, 140, PngColor::kGray, 4}, 1},       {{100, 140, PngColor::kGray, 16}, 1},
      {{100, 140, PngColor::kGrayAlpha, 8}, 1},  {{100, 140, PngColor::kGrayAlpha, 16}, 1},
      {{100, 140, PngColor::kRgb, 16}, 3},       {{100, 140, PngColor::kRgba, 8}, 3},
      {{100, 140, PngColor::kRgba, 16}, 3},      {{100, 140, PngColor::kPalette, 8}, 3},
      {{100, 140, PngColor::kPalette, 2}, 3},    {{100, 140, PngColor::kPaletteTrns, 4}, 3},
      {{100, 140, PngColor::kRgb, 8, true}, 3},  {{100, 140, PngColor::kRgba, 8, true}, 3},
      {{100, 140, PngColor::kGray, 1, true}, 1}, {{7, 3, PngColor::kRgb, 8, true}, 3},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("colour " + std::to_string(int(c.spec.color)) + " depth " + std::to_string(c.spec.bit_depth) +
                 (c.spec.interlaced ? " interlaced" : ""));
    DecodedImage img = MustDecode(MakePng(c.spec));
    EXPECT_EQ(img.width, c.spec.width);
    EXPECT_EQ(img.height, c.spec.height);
    EXPECT_EQ(img.channels, c.channels);
    EXPECT_EQ(img.pixels.size(), size_t(c.spec.width) * c.spec.height * c.channels);
  }
}

TEST(image_Png, AlphaIsCompositedOntoWhite) {
  for (PngColor color : {PngColor::kRgba, PngColor::kGrayAlpha}) {
    for (bool interlaced : {false, true}) {
      DecodedImage img = MustDecode(MakePng({100, 140, color, 8, interlaced}));
      unsigned char rgb[3];
      ExpectedRgb(10, 20, 100, 140, rgb);
      EXPECT_EQ(Pixel(img, 10, 20)[0], color == PngColor::kRgba ? rgb[0] : (rgb[0] + rgb[1]) / 2) << "opaque half";
      for (int c = 0; c < img.channels; ++c) EXPECT_EQ(Pixel(img, 80, 20)[c], 255) << "transparent half is white";
    }
  }
  // Palette index 0 is transparent through tRNS (the leftmost sixteenth of a 4-bit ramp).
  DecodedImage img = MustDecode(MakePng({100, 140, PngColor::kPaletteTrns, 4}));
  for (int c = 0; c < 3; ++c) EXPECT_EQ(Pixel(img, 2, 5)[c], 255);
  EXPECT_EQ(Pixel(img, 99, 5)[0], 255);  // index 15: (255, 0, 128), opaque
  EXPECT_EQ(Pixel(img, 99, 5)[1], 0);
}

TEST(image_Jpeg, BaselineProgressiveAndGrayDecodeAndKeepTheirBytes) {
  for (JpegSpec spec : {JpegSpec{}, JpegSpec{100, 140, false, true}, JpegSpec{100, 140, true, false},
                        JpegSpec{100, 140, true, true}, JpegSpec{33, 17}}) {
    SCOPED_TRACE(std::string(spec.gray ? "gray" : "colour") + (spec.progressive ? " progressive" : ""));
    const std::string bytes = MakeJpeg(spec);
    DecodedImage img = MustDecode(bytes);
    EXPECT_EQ(img.format, Format::kJpeg);
    EXPECT_EQ(img.width, spec.width);
    EXPECT_EQ(img.height, spec.height);
    EXPECT_EQ(img.channels, spec.gray ? 1 : 3);
    EXPECT_EQ(img.jpeg, bytes) << "a verified JPEG is embedded as it is";
    unsigned char rgb[3];
    ExpectedRgb(spec.width / 2, spec.height / 2, spec.width, spec.height, rgb);
    const int want = spec.gray ? (rgb[0] + rgb[1]) / 2 : rgb[0];
    EXPECT_NEAR(Pixel(img, spec.width / 2, spec.height / 2)[0], want, 12) << "lossy, but the same picture";
  }
}

TEST(image_Png, EveryCorruptKindIsRefusedWithASentence) {
  testing::internal::CaptureStderr();
  std::vector<std::pair<std::string, std::string>> refused;
  for (const auto& [name, bytes] : CorruptPngs()) {
    DecodedImage img;
    std::string problem = DecodeImage(bytes, &img);
    EXPECT_NE(problem, "") << name;
    EXPECT_EQ(img.pixels, "") << name;
    refused.push_back({name, problem});
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "") << "libpng must never print";
  for (const auto& [name, problem] : refused) std::printf("%-38s %s\n", name.c_str(), problem.c_str());
  EXPECT_GE(refused.size(), 18u);
}

TEST(image_Png, MessagesSayWhatIsWrong) {
  auto problem = [](const std::string& name) {
    for (const auto& [n, bytes] : CorruptPngs()) {
      if (n != name) continue;
      DecodedImage img;
      return DecodeImage(bytes, &img);
    }
    ADD_FAILURE() << "no corrupt kind " << name;
    return std::string();
  };
  EXPECT_EQ(problem("bad CRC in IDAT"), "cannot be read as a PNG: IDAT: CRC error");
  EXPECT_NE(problem("truncated in IDAT").find("truncated"), std::string::npos);
  EXPECT_NE(problem("bad bit depth").find("bit depth"), std::string::npos);
  EXPECT_NE(problem("zero width").find("width"), std::string::npos);
  EXPECT_NE(problem("too much image data").find("data"), std::string::npos);
}

TEST(image_Jpeg, EveryCorruptOrUnsupportedKindIsRefused) {
  testing::internal::CaptureStderr();
  std::vector<std::pair<std::string, std::string>> refused;
  auto cases = CorruptJpegs();
  cases.push_back({"190 progressive scans", MakeJpeg({100, 140, false, true, false, false, 90, true})});
  for (const auto& [name, bytes] : cases) {
    DecodedImage img;
    std::string problem = DecodeImage(bytes, &img);
    EXPECT_NE(problem, "") << name;
    EXPECT_EQ(img.jpeg, "") << name;
    refused.push_back({name, problem});
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "") << "libjpeg must never print";
  for (const auto& [name, problem] : refused) std::printf("%-38s %s\n", name.c_str(), problem.c_str());
  EXPECT_NE(refused.back().second.find("more than 64 progressive scans"), std::string::npos);
}

TEST(image_Bomb, RefusedAtTheHeaderFastAndWithoutMemory) {
  const std::string bomb = PngBomb(20000, 20000);
  EXPECT_LT(bomb.size(), 2u * 1024 * 1024) << "a small body";
  const long rss_before = MaxRssKb();
  const auto start = std::chrono::steady_clock::now();
  DecodedImage img;
  const std::string problem = DecodeImage(bomb, &img);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(problem, "is 20000×20000 pixels; a photo may have at most 4 megapixels and 4096 pixels a side");
  EXPECT_LT(seconds, 1.0);
  EXPECT_LT(MaxRssKb() - rss_before, 16 * 1024) << "KiB of peak memory growth";
  ImageHeader header;
  EXPECT_EQ(ReadImageHeader(bomb, &header), problem);
}

TEST(image_Bomb, CapsArePixelsAndSides) {
  ImageHeader h;
  EXPECT_EQ(ReadImageHeader(PngBomb(2000, 2000), &h), "") << "exactly 4 megapixels";
  EXPECT_EQ(h.width, 2000);
  EXPECT_NE(ReadImageHeader(PngBomb(2000, 2001), &h), "");
  EXPECT_NE(ReadImageHeader(PngBomb(4097, 10), &h), "") << "one side too long";
  EXPECT_EQ(ReadImageHeader(PngBomb(4096, 10), &h), "");
  // The largest allowed image decodes (12 MB of pixels; its 1.2 GB bigger sibling never starts).
  DecodedImage img;
  EXPECT_EQ(DecodeImage(PngBomb(2000, 2000), &img), "");
  EXPECT_EQ(img.pixels.size(), 2000u * 2000 * 3);
  EXPECT_EQ(ReadImageHeader(MakeJpeg({4097, 8}), &h), "is 4097×8 pixels; a photo may have at most 4 megapixels and 4096 pixels a side");
  EXPECT_EQ(ReadImageHeader(MakeJpeg({100, 140}), &h), "");
  EXPECT_EQ(h.format, Format::kJpeg);
  EXPECT_EQ(h.height, 140);
}

TEST(image_Sniff, NeitherPngNorJpeg) {
  DecodedImage img;
  EXPECT_EQ(DecodeImage("GIF89a......", &img), "is not a JPEG or PNG image");
  EXPECT_EQ(DecodeImage("", &img), "is not a JPEG or PNG image");
}

TEST(image_Memo, SameBytesDecodeOnce) {
  const std::string png = MakePng({61, 73});
  std::string problem;
  auto a = DecodeRemembered(png, &problem);
  ASSERT_TRUE(a) << problem;
  auto b = DecodeRemembered(std::string(png), &problem);
  EXPECT_EQ(a.get(), b.get()) << "the second call is served from the memo";
  EXPECT_EQ(DecodeRemembered(CorruptPngs()[0].second, &problem), nullptr);
  EXPECT_NE(problem, "");
}

}  // namespace
}  // namespace zhiping::image
