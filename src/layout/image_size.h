// layout/image_size.h — the pixel size of a JPEG (SOFn marker) or PNG (IHDR chunk), read from the file header, so
// photos can be scaled to fit a box without distortion. No decoding, no library.
#pragma once

#include <string>

namespace zhiping::layout {

struct ImageSize {
  int width = 0, height = 0;
  bool png = false;
};

// False when the bytes are neither a PNG nor a JPEG with a readable frame header.
bool ReadImageSize(const std::string& bytes, ImageSize* out);

}  // namespace zhiping::layout
