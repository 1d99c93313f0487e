// image/decode.h — a photo's file bytes (PNG or JPEG) to checked 8-bit pixels, or a sentence saying why not.
//
// Why a stage of its own: libharu's PNG loader ends in abort() when libpng reports an error (its handler returns),
// and it decodes whatever size the header claims (a 1.5 MB PNG of 20000×20000 took 1.25 GB). So nothing but this
// stage ever parses image bytes: validation (model/photo.h) calls it to refuse a photo that does not decode, layout
// calls it (through decode_memo.h) for the size and pixels, and the PDF writer embeds only what it returned.
//
// Rules (docs/validation.md):
//   - the header is read first, and an image wider or taller than kMaxSide, or with more than kMaxPixels, or of
//     zero size, is refused before any pixel memory is allocated;
//   - any libpng/libjpeg error is a failure, and so is every libjpeg warning (corrupt or premature end of data)
//     and every libpng "benign" error (too much / too little image data); reading past the end of the bytes is a
//     failure (truncation). Ancillary PNG chunks we do not use (colour profiles, text, gamma, …) are skipped
//     unread, so a harmless profile quirk does not refuse a photo;
//   - PNG: every colour type and bit depth is accepted; 16-bit samples are reduced to 8, palettes and low bit
//     depths expanded, interlaced images de-interlaced; alpha (and tRNS) is composited onto white;
//   - JPEG: 8-bit baseline or progressive Huffman-coded, grayscale, YCbCr or RGB; CMYK/YCCK, arithmetic coding and
//     more than kMaxJpegScans progressive scans are refused (PDF viewers do not all read the first two; the third
//     is a CPU bomb). A JPEG that decodes whole also keeps its original bytes (`jpeg`) when PDF's DCTDecode reads
//     them as they are (not for RGB without an Adobe marker): the PDF writer embeds those, far smaller than pixels.
//
// Memory: at most kMaxPixels × 4 bytes of pixels while decoding, plus libjpeg's progressive coefficient buffer
// (kMaxPixels × 6 bytes at most); nothing is kept but the result.
// Thread safety: the functions are reentrant (no shared state); any number of threads may decode at once.
// Errors: never thrown, never printed; returned as a sentence.
#pragma once

#include <cstdint>
#include <string>

namespace zhiping::image {

constexpr int kMaxSide = 4096;               // pixels, either side
constexpr int64_t kMaxPixels = 4000000;      // width × height (a one-inch photo at 600 dpi is 0.6 Mpx)
constexpr int kMaxJpegScans = 64;            // progressive scans (encoders write ≤ 10)

enum class Format { kPng, kJpeg };

struct ImageHeader {
  Format format = Format::kPng;
  int width = 0, height = 0;
};

struct DecodedImage {
  Format format = Format::kPng;
  int width = 0, height = 0;
  int channels = 3;     // 1: DeviceGray, 3: DeviceRGB
  std::string pixels;   // rows top to bottom, `channels` bytes a pixel, alpha already composited onto white
  std::string alpha;    // DecodeImageWithAlpha of a PNG with alpha (or tRNS) only: one byte a pixel, 255 opaque;
                        // `pixels` then keep their own colours (not composited)
  std::string jpeg;     // JPEG only: the original file, verified to decode whole into `pixels`; empty when PDF
                        // could not embed it as it is
};

// "PNG", "JPEG" or nullptr, from the signature only.
const char* SniffFormat(const std::string& bytes);

// Reads only the header (PNG IHDR; JPEG markers up to the frame header) and checks the size caps. "" on success,
// otherwise why not ("is 20000×20000 pixels; at most …").
std::string ReadImageHeader(const std::string& bytes, ImageHeader* out);

// Decodes and checks the whole image. "" on success, otherwise why not, e.g. "PNG error: IDAT: CRC error".
std::string DecodeImage(const std::string& bytes, DecodedImage* out);
// The same, but a PNG's alpha is kept in `alpha` instead of composited onto white (a seal image drawn with an SMask
// over the page, sign/seal_image.h). A JPEG decodes as with DecodeImage (no alpha). Photos use DecodeImage.
std::string DecodeImageWithAlpha(const std::string& bytes, DecodedImage* out);

}  // namespace zhiping::image
