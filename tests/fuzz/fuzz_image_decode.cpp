// libFuzzer target: image decoding (image/decode.h) and what the PDF writer does with a decoded image.
//
// Any input: ReadImageHeader and DecodeImage must return, without abort() or a sanitizer report. When DecodeImage accepts, the result must keep its promises (size within the
// caps, pixel buffer of exactly width × height × channels bytes) and the PDF writer must embed it: that is the
// only way bytes reach libharu (a verified JPEG's own bytes through libharu's JPEG header reader).
//
// Build: cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DZHIPING_FUZZ=ON
//        cmake --build build-fuzz -j2 --target fuzz_image_decode
// Run:   mkdir -p build-fuzz/corpus-image   # libFuzzer adds what it finds to the first folder, not to the seeds
//        build-fuzz/tests/fuzz/fuzz_image_decode -max_total_time=60 build-fuzz/corpus-image tests/fuzz/corpus/image
// libpng, libjpeg and libharu are Debian's (not instrumented): coverage guides through our code only, the
// sanitizers still check every allocation they make (ASan intercepts malloc).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "image/decode.h"
#include "layout/display_list.h"
#include "pdf/pdf_writer.h"

using namespace zhiping;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  image::ImageHeader header;
  const bool header_ok = image::ReadImageHeader(bytes, &header).empty();
  auto img = std::make_shared<image::DecodedImage>();
  if (!image::DecodeImage(bytes, img.get()).empty()) return 0;
  // Accepted: the promises of decode.h.
  if (!header_ok || header.width != img->width || header.height != img->height) std::abort();
  if (img->width <= 0 || img->height <= 0 || img->width > image::kMaxSide || img->height > image::kMaxSide ||
      static_cast<int64_t>(img->width) * img->height > image::kMaxPixels)
    std::abort();
  if (img->channels != 1 && img->channels != 3) std::abort();
  if (img->pixels.size() != static_cast<size_t>(img->width) * img->height * img->channels) std::abort();
  if (!img->jpeg.empty() && img->jpeg != bytes) std::abort();
  // And embedded as the writer does for a photo.
  layout::LaidOutDocument doc;
  doc.pages.emplace_back();
  doc.pages[0].images.push_back(layout::ImageBox{img, 100, 100, 70, 99});
  const std::string pdf = pdf::WritePdf(doc);
  if (pdf.compare(0, 5, "%PDF-") != 0) std::abort();
  return 0;
}
