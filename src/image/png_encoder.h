// image/png_encoder.h — 8-bit RGB(A) pixels to PNG bytes, written with zlib directly (IHDR, one IDAT with every row
// "Sub"-filtered, IEND). For images zhiping makes itself: preview pages, the sample body's photo. Thread-safe;
// throws zhiping::Error kInternal if zlib fails.
#pragma once

#include <string>

namespace zhiping::image {

// `rgb`: width × height pixels, rows top to bottom. zlib level 1: these images are made often and thrown away.
std::string EncodePngRgb(const unsigned char* rgb, int width, int height);
// The same with an alpha channel: `rgba` 4 bytes a pixel, straight (not premultiplied) alpha.
std::string EncodePngRgba(const unsigned char* rgba, int width, int height);

}  // namespace zhiping::image
