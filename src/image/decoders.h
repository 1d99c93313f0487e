// image/decoders.h — internal to the image stage: one reader per format, and the size rule they share.
// Contract as in decode.h: never throw (but std::bad_alloc), never print, never abort; "" or why not.
#pragma once

#include <string>

#include "image/decode.h"

namespace zhiping::image::internal {

// "" when width × height is within the caps of decode.h; otherwise the sentence.
std::string SizeProblem(long long width, long long height);

std::string ReadPngHeader(const std::string& bytes, ImageHeader* out);
std::string DecodePng(const std::string& bytes, DecodedImage* out, bool keep_alpha = false);
std::string ReadJpegHeader(const std::string& bytes, ImageHeader* out);
std::string DecodeJpeg(const std::string& bytes, DecodedImage* out);

}  // namespace zhiping::image::internal
