#include "sign/seal_image.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/messages.h"
#include "image/decode.h"

namespace zhiping::sign {
namespace {

[[noreturn]] void Refuse(Msg msg, std::vector<MessageArg> args) {
  throw Error(ErrorKind::kInvalidInput, RenderMessage(msg, args, ProcessLanguage()));
}

std::string Deflate(const std::string& raw) {
  uLongf len = compressBound(raw.size());
  std::string out(len, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &len, reinterpret_cast<const Bytef*>(raw.data()), raw.size(),
                6) != Z_OK)
    throw Error(ErrorKind::kInternal, "cannot compress the seal image");
  out.resize(len);
  return out;
}

}  // namespace

SealPicture LoadSealPicture(const std::string& path, const std::string& setting) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Refuse(Msg::kSealImageUnreadable, {setting, path, std::string(std::strerror(errno))});
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) Refuse(Msg::kSealImageUnreadable, {setting, path, "cannot tell its size"});
  if (static_cast<uint64_t>(size) > kMaxSealFileBytes)
    Refuse(Msg::kSealImageFileSize, {setting, path, std::to_string(size), std::to_string(kMaxSealFileBytes)});
  in.seekg(0);
  std::string bytes(static_cast<size_t>(size), '\0');
  if (!in.read(bytes.data(), size)) Refuse(Msg::kSealImageUnreadable, {setting, path, "short read"});
  return SealPictureFromBytes(bytes, path, setting);
}

SealPicture SealPictureFromBytes(const std::string& bytes, const std::string& file, const std::string& setting) {
  if (bytes.size() > kMaxSealFileBytes)
    Refuse(Msg::kSealImageFileSize, {setting, file, std::to_string(bytes.size()), std::to_string(kMaxSealFileBytes)});
  if (!image::SniffFormat(bytes)) Refuse(Msg::kSealImageFormat, {setting, file});
  image::ImageHeader header;
  // The header first: a wrong size is refused before any pixel is decoded.
  std::string why = image::ReadImageHeader(bytes, &header);
  if (!why.empty()) Refuse(Msg::kSealImageDecode, {setting, file, why});
  const int lo = std::min(header.width, header.height), hi = std::max(header.width, header.height);
  if (lo < kMinSealSide || hi > kMaxSealSide)
    Refuse(Msg::kSealImagePixels, {setting, file, header.width, header.height, kMinSealSide, kMaxSealSide});
  if (hi > lo * kMaxSealAspect) Refuse(Msg::kSealImageNotSquare, {setting, file, header.width, header.height});
  image::DecodedImage img;
  why = image::DecodeImageWithAlpha(bytes, &img);
  if (!why.empty()) Refuse(Msg::kSealImageDecode, {setting, file, why});
  SealPicture p;
  p.width = img.width;
  p.height = img.height;
  p.channels = img.channels;
  if (!img.jpeg.empty()) {
    p.jpeg = img.jpeg;
  } else {
    p.deflated_pixels = Deflate(img.pixels);
  }
  // An alpha channel that is opaque everywhere needs no SMask.
  if (!img.alpha.empty() && img.alpha.find_first_not_of('\xFF') != std::string::npos)
    p.deflated_alpha = Deflate(img.alpha);
  return p;
}

}  // namespace zhiping::sign
