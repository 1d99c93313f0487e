// image/jpeg_decoder.cpp — JPEG through libjpeg(-turbo), with setjmp/longjmp error handling.
//
// libjpeg's default error_exit prints to stderr and calls exit(); ours formats the message and longjmps back into
// RunJpeg. Warnings (level -1: corrupt data, premature end of file, extraneous bytes) longjmp too: a photo that
// only half decodes is not a photo (libjpeg-turbo's TJFLAG_STOPONWARNING does the same). As in png_decoder.cpp,
// the frame that calls setjmp holds no object with a destructor.
#include <csetjmp>
#include <cstdio>
#include <vector>

// jpeglib.h needs size_t and FILE declared first.
#include <jpeglib.h>

#include "image/decoders.h"

namespace zhiping::image::internal {

namespace {

// libjpeg's allocations for one image, beyond which it fails (no backing store in libjpeg-turbo): covers a
// progressive image of kMaxPixels (its coefficients take 6 bytes a pixel at 4:4:4) with room for tables.
constexpr long kMaxJpegMemory = 64L * 1024 * 1024;

struct JpegError {
  jpeg_error_mgr pub;  // first: libjpeg passes &pub, we cast back
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX + 64];
};

[[noreturn]] void Fail(j_common_ptr c, const char* prefix) {
  auto* err = reinterpret_cast<JpegError*>(c->err);
  char text[JMSG_LENGTH_MAX] = {};
  (*c->err->format_message)(c, text);
  std::snprintf(err->message, sizeof err->message, "%s%s", prefix, text);
  std::longjmp(err->jump, 1);
}

void OnErrorExit(j_common_ptr c) { Fail(c, ""); }
void OnEmitMessage(j_common_ptr c, int level) {
  if (level < 0) Fail(c, "");  // a warning: the data is corrupt or ends early
}
void OnOutputMessage(j_common_ptr) {}  // never print

// Called by libjpeg while it reads a multi-scan (progressive) image: a file of thousands of tiny scans is a CPU
// bomb (each scan revisits every coefficient), so stop at kMaxJpegScans.
void OnProgress(j_common_ptr c) {
  auto* d = reinterpret_cast<j_decompress_ptr>(c);
  if (d->input_scan_number > kMaxJpegScans) {
    auto* err = reinterpret_cast<JpegError*>(c->err);
    std::snprintf(err->message, sizeof err->message, "has more than %d progressive scans", kMaxJpegScans);
    std::longjmp(err->jump, 1);
  }
}

// Owns libjpeg's decompressor (destroyed whatever way the reading ended).
struct JpegHandles {
  jpeg_decompress_struct cinfo{};
  JpegError err{};
  jpeg_progress_mgr progress{};
  JpegHandles() {
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = OnErrorExit;
    err.pub.emit_message = OnEmitMessage;
    err.pub.output_message = OnOutputMessage;
    progress.progress_monitor = OnProgress;
  }
  ~JpegHandles() { jpeg_destroy_decompress(&cinfo); }
  JpegHandles(const JpegHandles&) = delete;
  JpegHandles& operator=(const JpegHandles&) = delete;
};

struct JpegPlan {
  int width = 0, height = 0, channels = 0;
  bool size_ok = false;
  const char* unsupported = nullptr;  // why a readable header is refused
  bool dct_embeddable = false;        // PDF's DCTDecode reads it as it is (see decode.h)
};

// Reads the header, then (with `pixels`) every scanline, then up to EOI. False when libjpeg failed (err.message).
bool RunJpeg(JpegHandles& h, const std::string& bytes, std::vector<unsigned char>* pixels, JpegPlan* plan) {
  jpeg_decompress_struct* cinfo = &h.cinfo;
  if (setjmp(h.err.jump)) return false;
  jpeg_create_decompress(cinfo);
  cinfo->mem->max_memory_to_use = kMaxJpegMemory;
  cinfo->progress = &h.progress;
  jpeg_mem_src(cinfo, reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(cinfo, TRUE);
  plan->width = static_cast<int>(cinfo->image_width);
  plan->height = static_cast<int>(cinfo->image_height);
  plan->size_ok = SizeProblem(cinfo->image_width, cinfo->image_height).empty();
  const J_COLOR_SPACE cs = cinfo->jpeg_color_space;
  if (cinfo->arith_code) {
    plan->unsupported = "is an arithmetic-coded JPEG, which PDF readers may not show; save it as a baseline JPEG";
  } else if (cinfo->data_precision != 8) {
    plan->unsupported = "is a 12-bit JPEG; save it as an 8-bit JPEG";
  } else if (!((cs == JCS_GRAYSCALE && cinfo->num_components == 1) ||
               ((cs == JCS_YCbCr || cs == JCS_RGB) && cinfo->num_components == 3))) {
    plan->unsupported = "is a CMYK (or other non-RGB) JPEG; save the photo as an RGB JPEG";
  }
  if (!pixels || !plan->size_ok || plan->unsupported) return true;  // refused before any pixel memory
  // RGB without an Adobe marker would be read by PDF viewers as YCbCr (DCTDecode's default ColorTransform).
  plan->dct_embeddable = cs == JCS_GRAYSCALE || cs == JCS_YCbCr || cinfo->saw_Adobe_marker;
  cinfo->out_color_space = cs == JCS_GRAYSCALE ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress(cinfo);
  plan->channels = cinfo->output_components;
  if (plan->channels != (cs == JCS_GRAYSCALE ? 1 : 3) || static_cast<int>(cinfo->output_width) != plan->width ||
      static_cast<int>(cinfo->output_height) != plan->height) {
    std::snprintf(h.err.message, sizeof h.err.message, "unexpected output layout");
    return false;
  }
  const size_t stride = static_cast<size_t>(plan->width) * plan->channels;
  pixels->resize(stride * plan->height);
  while (cinfo->output_scanline < cinfo->output_height) {
    JSAMPROW row = pixels->data() + stride * cinfo->output_scanline;
    jpeg_read_scanlines(cinfo, &row, 1);
  }
  jpeg_finish_decompress(cinfo);  // reads up to EOI: a file cut short warns here, and warnings fail
  return true;
}

std::string Failure(const JpegHandles& h) { return std::string("cannot be read as a JPEG: ") + h.err.message; }

}  // namespace

std::string ReadJpegHeader(const std::string& bytes, ImageHeader* out) {
  JpegHandles h;
  JpegPlan plan;
  if (!RunJpeg(h, bytes, nullptr, &plan)) return Failure(h);
  if (!plan.size_ok) return SizeProblem(plan.width, plan.height);
  if (plan.unsupported) return plan.unsupported;
  *out = ImageHeader{Format::kJpeg, plan.width, plan.height};
  return "";
}

std::string DecodeJpeg(const std::string& bytes, DecodedImage* out) {
  JpegHandles h;
  JpegPlan plan;
  std::vector<unsigned char> pixels;
  if (!RunJpeg(h, bytes, &pixels, &plan)) return Failure(h);
  if (!plan.size_ok) return SizeProblem(plan.width, plan.height);
  if (plan.unsupported) return plan.unsupported;
  DecodedImage img;
  img.format = Format::kJpeg;
  img.width = plan.width;
  img.height = plan.height;
  img.channels = plan.channels;
  img.pixels.assign(pixels.begin(), pixels.end());
  if (plan.dct_embeddable) img.jpeg = bytes;
  *out = std::move(img);
  return "";
}

}  // namespace zhiping::image::internal
