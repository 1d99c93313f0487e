// image/decode_memo.h — each photo decoded once per render: validation decodes a photo to check it, layout needs
// the same pixels a moment later; this keeps the last few results, keyed by the file bytes themselves.
//
// Bounded: at most kMemoBudget bytes (file bytes + pixels) are kept, least recently used dropped first; a larger
// image is returned but not kept. Failures are not kept (a body with one is refused before layout).
// Thread-safe (one mutex; decoding happens outside it, so two threads may decode the same bytes at once — both
// results are equal, one is kept). Shared images are immutable.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "image/decode.h"

namespace zhiping::image {

constexpr size_t kMemoBudget = 32u * 1024 * 1024;

// Like DecodeImage: the image, or null with *problem set.
std::shared_ptr<const DecodedImage> DecodeRemembered(const std::string& bytes, std::string* problem);

}  // namespace zhiping::image
