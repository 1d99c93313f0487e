// image/png_decoder.cpp — PNG through libpng's sequential reader, with setjmp/longjmp error handling.
//
// libpng reports an error by calling our handler, which must not return (libharu's returned, and libpng then
// calls abort()). Ours copies the message and longjmps back into RunPng. A longjmp skips C++ destructors, so the
// frame that calls setjmp (RunPng) holds no object with a destructor: buffers belong to the caller and are only
// resized in between libpng calls.
#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <vector>

#include "image/decoders.h"

namespace zhiping::image::internal {

namespace {

struct PngSource {
  const std::string* bytes = nullptr;
  size_t pos = 0;
  char message[256] = {};  // the error, copied: libpng's buffer is gone after the longjmp
  char warning[256] = {};  // the last warning: libpng says what was wrong in IHDR in one, then fails
};

void OnError(png_structp png, png_const_charp msg) {
  auto* src = static_cast<PngSource*>(png_get_error_ptr(png));
  std::snprintf(src->message, sizeof src->message, "%s", msg);
  png_longjmp(png, 1);
}

// Warnings left after png_set_benign_errors(png, 0) are about ancillary chunks (CRC errors in them, which libpng
// discards; the picture is whole), or the detail of an error that follows. Never printed; the last one is kept.
void OnWarning(png_structp png, png_const_charp msg) {
  auto* src = static_cast<PngSource*>(png_get_error_ptr(png));
  std::snprintf(src->warning, sizeof src->warning, "%s", msg);
}

void ReadBytes(png_structp png, png_bytep data, png_size_t length) {
  auto* src = static_cast<PngSource*>(png_get_io_ptr(png));
  if (src->bytes->size() - src->pos < length) png_error(png, "the file ends early (truncated)");
  std::memcpy(data, src->bytes->data() + src->pos, length);
  src->pos += length;
}

// Owns libpng's structures (destroyed whatever way the reading ended).
struct PngHandles {
  png_structp png = nullptr;
  png_infop info = nullptr;
  explicit PngHandles(PngSource* src) {
    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, src, OnError, OnWarning);
    if (png) info = png_create_info_struct(png);
    if (png && info) png_set_read_fn(png, src, ReadBytes);
  }
  ~PngHandles() {
    if (png) png_destroy_read_struct(&png, info ? &info : nullptr, nullptr);
  }
  PngHandles(const PngHandles&) = delete;
  PngHandles& operator=(const PngHandles&) = delete;
};

struct PngPlan {  // what RunPng found and decided
  int width = 0, height = 0;
  int channels = 0;       // after the transformations: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA
  size_t rowbytes = 0;
  bool size_ok = false;
};

// Reads the header, then (with `raw`) the whole image as 8-bit gray/GA/RGB/RGBA rows. False when libpng failed
// (src->message says why). No locals with destructors: see the comment at the top.
bool RunPng(const PngHandles& h, std::vector<unsigned char>* raw, std::vector<png_bytep>* rows, PngPlan* plan) {
  png_structp png = h.png;
  png_infop info = h.info;
  if (setjmp(png_jmpbuf(png))) return false;
  // "Benign" errors are too much or too little image data, among others: a damaged file, so an error here.
  png_set_benign_errors(png, 0);
  // Every ancillary chunk but tRNS is skipped unread: we use none of them, and a quirk in one (an odd colour
  // profile, a bad text chunk) must not refuse a sound picture. Unknown critical chunks remain errors.
  png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, nullptr, -1);
  png_read_info(png, info);
  plan->width = static_cast<int>(png_get_image_width(png, info));
  plan->height = static_cast<int>(png_get_image_height(png, info));
  plan->size_ok = SizeProblem(png_get_image_width(png, info), png_get_image_height(png, info)).empty();
  if (!raw || !plan->size_ok) return true;  // header only, or refused before any pixel memory
  const int color = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
  if (depth == 16) png_set_strip_16(png);
  if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  plan->channels = png_get_channels(png, info);
  plan->rowbytes = png_get_rowbytes(png, info);
  if (png_get_bit_depth(png, info) != 8 || plan->channels < 1 || plan->channels > 4 ||
      plan->rowbytes != static_cast<size_t>(plan->width) * plan->channels) {
    png_error(png, "unexpected pixel layout after expansion");
  }
  raw->resize(plan->rowbytes * plan->height);
  rows->resize(plan->height);
  for (int y = 0; y < plan->height; ++y) (*rows)[y] = raw->data() + plan->rowbytes * y;
  png_read_image(png, rows->data());
  png_read_end(png, nullptr);  // the chunks after the image, up to IEND, CRCs included
  return true;
}

std::string Failure(const PngSource& src) {
  std::string why = std::string("cannot be read as a PNG: ") + src.message;
  if (src.warning[0]) why += std::string(" (") + src.warning + ")";
  return why;
}

// Reads `bytes` with RunPng (the header only when `raw` is null): "" or why not.
std::string ReadPng(const std::string& bytes, std::vector<unsigned char>* raw, PngPlan* plan) {
  PngSource src;
  src.bytes = &bytes;
  PngHandles h(&src);
  if (!h.png || !h.info) throw std::bad_alloc();
  std::vector<png_bytep> rows;
  if (!RunPng(h, raw, &rows, plan)) return Failure(src);
  if (!plan->size_ok) return SizeProblem(plan->width, plan->height);
  return "";
}

}  // namespace

std::string ReadPngHeader(const std::string& bytes, ImageHeader* out) {
  PngPlan plan;
  std::string problem = ReadPng(bytes, nullptr, &plan);
  if (problem.empty()) *out = ImageHeader{Format::kPng, plan.width, plan.height};
  return problem;
}

std::string DecodePng(const std::string& bytes, DecodedImage* out, bool keep_alpha) {
  PngPlan plan;
  std::vector<unsigned char> raw;
  std::string problem = ReadPng(bytes, &raw, &plan);
  if (!problem.empty()) return problem;
  // Alpha is composited onto white (the paper): photos' XObjects have no soft mask. keep_alpha (the seal image)
  // keeps the colours as they are and the alpha apart, for an SMask.
  const bool gray = plan.channels <= 2, alpha = plan.channels == 2 || plan.channels == 4;
  const int color_channels = gray ? 1 : 3;
  const size_t pixels = static_cast<size_t>(plan.width) * plan.height;
  DecodedImage img;
  img.format = Format::kPng;
  img.width = plan.width;
  img.height = plan.height;
  img.channels = color_channels;
  img.pixels.resize(pixels * color_channels);
  const unsigned char* in = raw.data();
  auto* dst = reinterpret_cast<unsigned char*>(&img.pixels[0]);
  if (keep_alpha && alpha) {
    img.alpha.resize(pixels);
    for (size_t i = 0; i < pixels; ++i) {
      for (int c = 0; c < color_channels; ++c) *dst++ = in[c];
      img.alpha[i] = static_cast<char>(in[color_channels]);
      in += plan.channels;
    }
    *out = std::move(img);
    return "";
  }
  for (size_t i = 0; i < pixels; ++i) {
    const unsigned a = alpha ? in[color_channels] : 255;
    for (int c = 0; c < color_channels; ++c) *dst++ = static_cast<unsigned char>((in[c] * a + 255 * (255 - a) + 127) / 255);
    in += plan.channels;
  }
  *out = std::move(img);
  return "";
}

}  // namespace zhiping::image::internal
