#include "image/png_encoder.h"

#include <zlib.h>

#include <cstdint>

#include "common/error.h"

namespace zhiping::image {

namespace {

void PutBig32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xFF));
}

void PngChunk(std::string* out, const char* type, const std::string& data) {
  PutBig32(out, static_cast<uint32_t>(data.size()));
  std::string body = std::string(type, 4) + data;
  out->append(body);
  PutBig32(out, static_cast<uint32_t>(
                    crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
}

// PNG written with zlib directly (no libpng needed): IHDR, one IDAT with every row "Sub"-filtered, IEND.
// `channels` 3 (RGB, colour type 2) or 4 (RGBA, colour type 6).
std::string EncodePng(const unsigned char* pixels, int width, int height, int channels) {
  const size_t stride = static_cast<size_t>(width) * channels;
  std::string raw;
  raw.reserve((stride + 1) * height);
  for (int y = 0; y < height; ++y) {
    const unsigned char* row = pixels + stride * y;
    raw.push_back(1);  // filter type Sub: each byte minus the same channel of the pixel to its left
    for (size_t x = 0; x < stride; ++x)
      raw.push_back(static_cast<char>(row[x] - (x >= static_cast<size_t>(channels) ? row[x - channels] : 0)));
  }
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::string z(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(&z[0]), &size, reinterpret_cast<const Bytef*>(raw.data()),
                static_cast<uLong>(raw.size()), 1) != Z_OK) {
    throw Error(ErrorKind::kInternal, "zlib cannot compress the image");
  }
  z.resize(size);
  std::string out("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  PutBig32(&ihdr, static_cast<uint32_t>(width));
  PutBig32(&ihdr, static_cast<uint32_t>(height));
  ihdr += channels == 4 ? std::string("\x08\x06\x00\x00\x00", 5)   // 8-bit RGBA, deflate, adaptive, no interlace
                        : std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB
  PngChunk(&out, "IHDR", ihdr);
  PngChunk(&out, "IDAT", z);
  PngChunk(&out, "IEND", "");
  return out;
}

}  // namespace

std::string EncodePngRgb(const unsigned char* rgb, int width, int height) { return EncodePng(rgb, width, height, 3); }

std::string EncodePngRgba(const unsigned char* rgba, int width, int height) {
  return EncodePng(rgba, width, height, 4);
}

}  // namespace zhiping::image
