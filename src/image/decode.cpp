#include "image/decode.h"

#include "image/decoders.h"

namespace zhiping::image {

namespace internal {

std::string SizeProblem(long long width, long long height) {
  const std::string size = std::to_string(width) + "×" + std::to_string(height) + " pixels";
  if (width <= 0 || height <= 0) return "has no pixels (" + size + ")";
  if (width > kMaxSide || height > kMaxSide || width * height > kMaxPixels) {
    return "is " + size + "; a photo may have at most " + std::to_string(kMaxPixels / 1000000) +
           " megapixels and " + std::to_string(kMaxSide) + " pixels a side";
  }
  return "";
}

}  // namespace internal

const char* SniffFormat(const std::string& b) {
  if (b.size() >= 8 && b.compare(0, 8, "\x89PNG\r\n\x1a\n", 8) == 0) return "PNG";
  if (b.size() >= 3 && b.compare(0, 3, "\xFF\xD8\xFF", 3) == 0) return "JPEG";
  return nullptr;
}

std::string ReadImageHeader(const std::string& bytes, ImageHeader* out) {
  const char* format = SniffFormat(bytes);
  if (format == nullptr) return "is not a JPEG or PNG image";
  return format[0] == 'P' ? internal::ReadPngHeader(bytes, out) : internal::ReadJpegHeader(bytes, out);
}

std::string DecodeImage(const std::string& bytes, DecodedImage* out) {
  const char* format = SniffFormat(bytes);
  if (format == nullptr) return "is not a JPEG or PNG image";
  return format[0] == 'P' ? internal::DecodePng(bytes, out) : internal::DecodeJpeg(bytes, out);
}

std::string DecodeImageWithAlpha(const std::string& bytes, DecodedImage* out) {
  const char* format = SniffFormat(bytes);
  if (format == nullptr) return "is not a JPEG or PNG image";
  return format[0] == 'P' ? internal::DecodePng(bytes, out, /*keep_alpha=*/true) : internal::DecodeJpeg(bytes, out);
}

}  // namespace zhiping::image
