// sign/seal_image.h — the seal picture a visible signature draws: the office's PNG (with transparency) or JPEG,
// checked once and kept ready to embed.
//
// Rules (docs/signing.md, "The seal image"): the file is at most kMaxSealFileBytes; it is a PNG or a JPEG that
// decodes whole (image/decode.h, DecodeImageWithAlpha: a PNG keeps its alpha for an SMask, so the page shows
// through where the seal is transparent); each side is kMinSealSide … kMaxSealSide pixels; a round seal's picture
// is near square (the longer side at most kMaxSealAspect × the shorter). Every refusal is a zhiping::Error
// kInvalidInput whose sentence (message catalog, process language) names the setting and the file.
//
// The pixels are compressed once here; every signature then copies the same bytes (a seal costs nothing per
// document but the copy). Immutable after loading: share one between threads.
#pragma once

#include <cstddef>
#include <string>

namespace zhiping::sign {

constexpr size_t kMaxSealFileBytes = 2 * 1024 * 1024;
constexpr int kMinSealSide = 64, kMaxSealSide = 2048;
constexpr double kMaxSealAspect = 1.15;

struct SealPicture {
  int width = 0, height = 0;
  int channels = 3;             // 1 DeviceGray, 3 DeviceRGB
  std::string jpeg;             // DCTDecode: the JPEG's own bytes (no alpha); empty for pixels
  std::string deflated_pixels;  // FlateDecode of the pixels, rows top to bottom
  std::string deflated_alpha;   // FlateDecode of the alpha (1 byte a pixel) for an SMask; empty when opaque
};

// Reads and checks `path`; `setting` names where it came from in errors ("sign.seal_image", "ZHIPING_SEAL_IMAGE").
SealPicture LoadSealPicture(const std::string& path, const std::string& setting);
// The same from bytes already read (`file` names them in errors).
SealPicture SealPictureFromBytes(const std::string& bytes, const std::string& file, const std::string& setting);

}  // namespace zhiping::sign
