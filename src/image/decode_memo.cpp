#include "image/decode_memo.h"

#include "common/lru_cache.h"

namespace zhiping::image {

namespace {

LruCache<DecodedImage>& TheMemo() {
  // Never destroyed: threads may still decode while the process exits.
  static auto* memo = new LruCache<DecodedImage>(kMemoBudget, [](const std::string& bytes, const DecodedImage& img) {
    return bytes.size() + img.pixels.size() + img.jpeg.size();
  });
  return *memo;
}

}  // namespace

std::shared_ptr<const DecodedImage> DecodeRemembered(const std::string& bytes, std::string* problem) {
  if (auto found = TheMemo().Find(bytes)) {
    problem->clear();
    return found;
  }
  auto image = std::make_shared<DecodedImage>();
  *problem = DecodeImage(bytes, image.get());
  if (!problem->empty()) return nullptr;
  TheMemo().Keep(bytes, image);
  return image;
}

}  // namespace zhiping::image
