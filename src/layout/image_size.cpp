#include "layout/image_size.h"

namespace zhiping::layout {

namespace {
unsigned Byte(const std::string& s, size_t i) { return static_cast<unsigned char>(s[i]); }
unsigned Be16(const std::string& s, size_t i) { return Byte(s, i) << 8 | Byte(s, i + 1); }
unsigned long Be32(const std::string& s, size_t i) {
  return static_cast<unsigned long>(Be16(s, i)) << 16 | Be16(s, i + 2);
}
}  // namespace

bool ReadImageSize(const std::string& b, ImageSize* out) {
  static const char kPng[] = "\x89PNG\r\n\x1a\n";
  if (b.size() >= 24 && b.compare(0, 8, kPng, 8) == 0 && b.compare(12, 4, "IHDR") == 0) {
    unsigned long w = Be32(b, 16), h = Be32(b, 20);
    if (w == 0 || h == 0 || w > 1000000 || h > 1000000) return false;
    *out = ImageSize{static_cast<int>(w), static_cast<int>(h), true};
    return true;
  }
  if (b.size() < 4 || Byte(b, 0) != 0xFF || Byte(b, 1) != 0xD8) return false;
  size_t p = 2;
  while (p + 4 <= b.size()) {
    if (Byte(b, p) != 0xFF) return false;
    unsigned marker = Byte(b, p + 1);
    if (marker == 0xFF) {  // fill byte
      ++p;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length
      p += 2;
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) return false;  // end of image / start of scan before any frame header
    unsigned len = Be16(b, p + 2);
    if (len < 2) return false;
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (p + 9 > b.size() || len < 7) return false;
      unsigned h = Be16(b, p + 5), w = Be16(b, p + 7);
      if (w == 0 || h == 0) return false;
      *out = ImageSize{static_cast<int>(w), static_cast<int>(h), false};
      return true;
    }
    p += 2 + len;
  }
  return false;
}

}  // namespace zhiping::layout
