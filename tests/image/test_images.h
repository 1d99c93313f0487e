// tests/image/test_images.h — images for tests, made in memory: valid PNGs of every colour type (libpng's writer),
// JPEGs (libjpeg's compressor), a PNG decompression bomb made cheaply with zlib, and the catalogue of corrupt files
// the service must refuse without going down. Shared by the image, model, layout, pdf, render and service
// tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace zhiping::testimages {

enum class PngColor { kGray, kGrayAlpha, kRgb, kRgba, kPalette, kPaletteTrns };

struct PngSpec {
  int width = 100, height = 140;
  PngColor color = PngColor::kRgb;
  int bit_depth = 8;        // 1, 2, 4, 8 (gray/palette), 16 (gray/RGB/alpha)
  bool interlaced = false;  // Adam7
};
// A photo-like gradient (so every decoded pixel can be predicted: see ExpectedRgb).
std::string MakePng(const PngSpec& spec);
// The colour MakePng/MakeJpeg paint at (x, y) before any alpha: r, g, b.
void ExpectedRgb(int x, int y, int width, int height, unsigned char rgb[3]);

struct JpegSpec {
  int width = 100, height = 140;
  bool gray = false;
  bool progressive = false;
  bool cmyk = false;
  bool arithmetic = false;
  int quality = 90;
  bool scan_per_coefficient = false;  // progressive, one scan per AC coefficient and component: 190 scans
};
std::string MakeJpeg(const JpegSpec& spec);

// A valid-looking PNG of width × height RGB pixels, all zero, whose IDAT really inflates to the full image
// (20000×20000 is 1.2 GB of pixels in ~1.2 MB): made by repeating one full-flushed deflate block.
std::string PngBomb(int width, int height);

// PNG chunk helpers: a chunk with its CRC; the offset of the first chunk of `type` (npos if none).
std::string PngChunk(const std::string& type, const std::string& data);
size_t FindChunk(const std::string& png, const std::string& type);

// Named corrupt variants of MakePng({}) / MakeJpeg({}): every one must be refused.
std::vector<std::pair<std::string, std::string>> CorruptPngs();
std::vector<std::pair<std::string, std::string>> CorruptJpegs();

std::string Base64(const std::string& bytes);

}  // namespace zhiping::testimages
