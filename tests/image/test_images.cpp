#include "test_images.h"

#include <png.h>
#include <zlib.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <jpeglib.h>

namespace zhiping::testimages {

namespace {

std::string Be32(uint32_t v) { return std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)}; }

void AppendPng(png_structp png, png_bytep data, png_size_t n) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<const char*>(data), n);
}

unsigned char Gray(const unsigned char rgb[3]) { return static_cast<unsigned char>((rgb[0] + rgb[1]) / 2); }

}  // namespace

void ExpectedRgb(int x, int y, int width, int height, unsigned char rgb[3]) {
  rgb[0] = static_cast<unsigned char>(width > 1 ? x * 255 / (width - 1) : 0);
  rgb[1] = static_cast<unsigned char>(height > 1 ? y * 255 / (height - 1) : 0);
  rgb[2] = 128;
}

std::string MakePng(const PngSpec& s) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    throw std::runtime_error("libpng could not write the test image");
  }
  png_set_write_fn(png, &out, AppendPng, nullptr);
  int type = PNG_COLOR_TYPE_RGB, samples = 3;
  switch (s.color) {
    case PngColor::kGray: type = PNG_COLOR_TYPE_GRAY, samples = 1; break;
    case PngColor::kGrayAlpha: type = PNG_COLOR_TYPE_GRAY_ALPHA, samples = 2; break;
    case PngColor::kRgb: break;
    case PngColor::kRgba: type = PNG_COLOR_TYPE_RGB_ALPHA, samples = 4; break;
    case PngColor::kPalette:
    case PngColor::kPaletteTrns: type = PNG_COLOR_TYPE_PALETTE, samples = 1; break;
  }
  png_set_IHDR(png, info, s.width, s.height, s.bit_depth, type,
               s.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  const bool palette = type == PNG_COLOR_TYPE_PALETTE;
  const int entries = palette ? std::min(256, 1 << s.bit_depth) : 0;
  if (palette) {  // a ramp of reds: index i is (i * 255 / (entries - 1), 0, 128)
    png_color colors[256];
    for (int i = 0; i < entries; ++i)
      colors[i] = png_color{static_cast<png_byte>(i * 255 / (entries - 1)), 0, 128};
    png_set_PLTE(png, info, colors, entries);
    if (s.color == PngColor::kPaletteTrns) {
      png_byte alpha[1] = {0};  // index 0 fully transparent
      png_set_tRNS(png, info, alpha, 1, nullptr);
    }
  }
  png_write_info(png, info);
  if (s.bit_depth < 8) png_set_packing(png);  // we hand one sample a byte
  if (s.interlaced) png_set_interlace_handling(png);
  const int bytes_per_sample = s.bit_depth == 16 ? 2 : 1;
  const int max = (1 << s.bit_depth) - 1;
  std::vector<std::string> rows(s.height, std::string(static_cast<size_t>(s.width) * samples * bytes_per_sample, '\0'));
  for (int y = 0; y < s.height; ++y) {
    unsigned char* p = reinterpret_cast<unsigned char*>(&rows[y][0]);
    for (int x = 0; x < s.width; ++x) {
      unsigned char rgb[3];
      ExpectedRgb(x, y, s.width, s.height, rgb);
      const unsigned alpha = x < s.width / 2 ? 255 : 0;  // right half transparent
      unsigned v[4] = {0, 0, 0, 0};
      switch (s.color) {
        case PngColor::kGray: v[0] = Gray(rgb); break;
        case PngColor::kGrayAlpha: v[0] = Gray(rgb), v[1] = alpha; break;
        case PngColor::kRgb: v[0] = rgb[0], v[1] = rgb[1], v[2] = rgb[2]; break;
        case PngColor::kRgba: v[0] = rgb[0], v[1] = rgb[1], v[2] = rgb[2], v[3] = alpha; break;
        case PngColor::kPalette:
        case PngColor::kPaletteTrns: v[0] = static_cast<unsigned>(x * entries / s.width); break;
      }
      for (int c = 0; c < samples; ++c) {
        unsigned sample = palette ? v[c] : v[c] * max / 255;  // scale 8-bit values to the depth
        if (bytes_per_sample == 2) *p++ = static_cast<unsigned char>(sample >> 8);
        *p++ = static_cast<unsigned char>(sample & 0xFF);
      }
    }
  }
  std::vector<png_bytep> pointers;
  for (auto& r : rows) pointers.push_back(reinterpret_cast<png_bytep>(&r[0]));
  png_write_image(png, pointers.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

std::string MakeJpeg(const JpegSpec& s) {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr err;
  cinfo.err = jpeg_std_error(&err);  // test images are valid: libjpeg's default (exit) never runs
  jpeg_create_compress(&cinfo);
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buf, &size);
  cinfo.image_width = s.width;
  cinfo.image_height = s.height;
  cinfo.input_components = s.gray ? 1 : s.cmyk ? 4 : 3;
  cinfo.in_color_space = s.gray ? JCS_GRAYSCALE : s.cmyk ? JCS_CMYK : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, s.quality, TRUE);
  if (s.progressive) jpeg_simple_progression(&cinfo);
  if (s.arithmetic) cinfo.arith_code = TRUE;
  std::vector<jpeg_scan_info> script;
  if (s.scan_per_coefficient) {
    script.push_back(jpeg_scan_info{cinfo.num_components, {0, 1, 2, 3}, 0, 0, 0, 0});
    for (int c = 0; c < cinfo.num_components; ++c)
      for (int k = 1; k < 64; ++k) script.push_back(jpeg_scan_info{1, {c, 0, 0, 0}, k, k, 0, 0});
    cinfo.scan_info = script.data();
    cinfo.num_scans = static_cast<int>(script.size());
  }
  jpeg_start_compress(&cinfo, TRUE);
  std::string row(static_cast<size_t>(s.width) * cinfo.input_components, '\0');
  while (cinfo.next_scanline < cinfo.image_height) {
    const int y = static_cast<int>(cinfo.next_scanline);
    for (int x = 0; x < s.width; ++x) {
      unsigned char rgb[3];
      ExpectedRgb(x, y, s.width, s.height, rgb);
      unsigned char* p = reinterpret_cast<unsigned char*>(&row[static_cast<size_t>(x) * cinfo.input_components]);
      if (s.gray) {
        p[0] = Gray(rgb);
      } else if (s.cmyk) {
        p[0] = 255 - rgb[0], p[1] = 255 - rgb[1], p[2] = 255 - rgb[2], p[3] = 0;
      } else {
        std::memcpy(p, rgb, 3);
      }
    }
    JSAMPROW r = reinterpret_cast<JSAMPROW>(&row[0]);
    jpeg_write_scanlines(&cinfo, &r, 1);
  }
  jpeg_finish_compress(&cinfo);
  std::string out(reinterpret_cast<char*>(buf), size);
  jpeg_destroy_compress(&cinfo);
  std::free(buf);
  return out;
}

std::string PngChunk(const std::string& type, const std::string& data) {
  std::string body = type + data;
  uLong crc = crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
  return Be32(static_cast<uint32_t>(data.size())) + body + Be32(static_cast<uint32_t>(crc));
}

size_t FindChunk(const std::string& png, const std::string& type) {
  size_t p = 8;
  while (p + 12 <= png.size()) {
    const uint32_t len = static_cast<unsigned char>(png[p]) << 24 | static_cast<unsigned char>(png[p + 1]) << 16 |
                         static_cast<unsigned char>(png[p + 2]) << 8 | static_cast<unsigned char>(png[p + 3]);
    if (png.compare(p + 4, 4, type) == 0) return p;
    p += 12 + len;
  }
  return std::string::npos;
}

namespace {

std::string Ihdr(int w, int h, int depth = 8, int type = 2) {
  return PngChunk("IHDR", Be32(w) + Be32(h) + std::string{char(depth), char(type), 0, 0, 0});
}

std::string Zlib(const std::string& raw) {
  uLongf n = compressBound(static_cast<uLong>(raw.size()));
  std::string out(n, '\0');
  compress2(reinterpret_cast<Bytef*>(&out[0]), &n, reinterpret_cast<const Bytef*>(raw.data()),
            static_cast<uLong>(raw.size()), 9);
  out.resize(n);
  return out;
}

// RGB rows of the gradient with filter byte 0: `rows` of them (may differ from the header's height).
std::string RawRows(int w, int h, int rows) {
  std::string raw;
  for (int y = 0; y < rows; ++y) {
    raw.push_back('\0');
    for (int x = 0; x < w; ++x) {
      unsigned char rgb[3];
      ExpectedRgb(x, y % h, w, h, rgb);
      raw.append(reinterpret_cast<char*>(rgb), 3);
    }
  }
  return raw;
}

const std::string kSignature("\x89PNG\r\n\x1a\n", 8);
const std::string kIend = PngChunk("IEND", "");

std::string FlipBit(std::string s, size_t at, int bit = 0) {
  s[at] = static_cast<char>(s[at] ^ (1 << bit));
  return s;
}

}  // namespace

std::string PngBomb(int width, int height) {
  const size_t row = 1 + 3 * static_cast<size_t>(width);
  int rows_per_block = 1;
  for (int r = 100; r > 1; --r)
    if (height % r == 0) {
      rows_per_block = r;
      break;
    }
  const std::string zeros(row * rows_per_block, '\0');
  // One raw-deflate block of `zeros`, ended by a full flush: byte-aligned and independent of what came before,
  // so it can be repeated.
  auto raw_deflate = [](const std::string& in, int flush) {
    z_stream z{};
    deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, static_cast<uLong>(in.size())) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(&out[0]);
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, flush);
    out.resize(out.size() - z.avail_out);
    deflateEnd(&z);
    return out;
  };
  const std::string block = raw_deflate(zeros, Z_FULL_FLUSH);
  const std::string last = raw_deflate("", Z_FINISH);
  const uLong block_adler = adler32(1, reinterpret_cast<const Bytef*>(zeros.data()), static_cast<uInt>(zeros.size()));
  std::string idat = "\x78\xDA";
  uLong adler = 1;
  for (int i = 0; i < height / rows_per_block; ++i) {
    idat += block;
    adler = adler32_combine(adler, block_adler, static_cast<z_off_t>(zeros.size()));
  }
  idat += last + Be32(static_cast<uint32_t>(adler));
  return kSignature + Ihdr(width, height) + PngChunk("IDAT", idat) + kIend;
}

std::vector<std::pair<std::string, std::string>> CorruptPngs() {
  const int w = 100, h = 140;
  const std::string good = MakePng({});
  const size_t idat = FindChunk(good, "IDAT");
  const size_t iend = FindChunk(good, "IEND");
  const size_t idat_len = iend - idat - 12;
  const std::string head = good.substr(0, idat);  // signature, IHDR, anything before the image data
  std::vector<std::pair<std::string, std::string>> v;
  v.push_back({"bad CRC in IDAT", FlipBit(good, iend - 1)});
  v.push_back({"truncated in IDAT", good.substr(0, idat + idat_len / 2)});
  v.push_back({"truncated before IEND", good.substr(0, iend)});
  v.push_back({"header only", kSignature + Ihdr(w, h)});
  v.push_back({"signature only", kSignature});
  std::string garbage(idat_len, '\0');
  uint32_t state = 12345;
  for (char& c : garbage) c = static_cast<char>((state = state * 1103515245u + 12345u) >> 24);
  v.push_back({"garbage IDAT", head + PngChunk("IDAT", garbage) + kIend});
  v.push_back({"bad bit depth", kSignature + Ihdr(w, h, 7) + good.substr(FindChunk(good, "IHDR") + 25)});
  v.push_back({"bad colour type", kSignature + Ihdr(w, h, 8, 5) + good.substr(FindChunk(good, "IHDR") + 25)});
  v.push_back({"zero width", kSignature + Ihdr(0, h) + good.substr(FindChunk(good, "IHDR") + 25)});
  v.push_back({"too little image data", kSignature + Ihdr(w, h) + PngChunk("IDAT", Zlib(RawRows(w, h, h / 2))) + kIend});
  v.push_back({"too much image data", kSignature + Ihdr(w, h) + PngChunk("IDAT", Zlib(RawRows(w, h, h * 2))) + kIend});
  v.push_back({"unknown critical chunk", head + PngChunk("ZZZZ", "x") + good.substr(idat)});
  v.push_back({"flipped bit in IHDR width", FlipBit(good, 8 + 8 + 2, 3)});
  v.push_back({"flipped bit in IDAT start", FlipBit(good, idat + 8 + 5, 1)});
  v.push_back({"flipped bit in IDAT middle", FlipBit(good, idat + 8 + idat_len / 2, 6)});
  v.push_back({"flipped bit in IDAT end", FlipBit(good, idat + 8 + idat_len - 2, 4)});
  v.push_back({"flipped bit in IEND", FlipBit(good, iend + 5, 2)});
  // The same flips with the CRC made right again: zlib (its own checks, the Adler-32) must still catch them.
  const std::string data = good.substr(idat + 8, idat_len);
  v.push_back({"flipped bit in IDAT, CRC fixed", head + PngChunk("IDAT", FlipBit(data, idat_len / 2, 6)) + kIend});
  v.push_back({"flipped bit in Adler-32, CRC fixed", head + PngChunk("IDAT", FlipBit(data, idat_len - 1, 0)) + kIend});
  return v;
}

std::vector<std::pair<std::string, std::string>> CorruptJpegs() {
  const std::string good = MakeJpeg({});
  const size_t sos = good.find("\xFF\xDA");
  std::vector<std::pair<std::string, std::string>> v;
  v.push_back({"truncated in the scan", good.substr(0, sos + (good.size() - sos) / 2)});
  v.push_back({"no EOI", good.substr(0, good.size() - 2)});
  v.push_back({"header only", good.substr(0, sos)});
  v.push_back({"SOI only", good.substr(0, 3)});
  std::string garbage = good;
  uint32_t state = 777;
  for (size_t i = sos + 40; i < garbage.size() - 2; i += 7) garbage[i] = static_cast<char>((state = state * 1103515245u + 12345u) >> 24);
  v.push_back({"garbage scan data", garbage});
  std::string zero = good;
  const size_t sof = zero.find("\xFF\xC0");
  zero[sof + 5] = zero[sof + 6] = '\0';  // height 0
  v.push_back({"zero height", zero});
  v.push_back({"CMYK", MakeJpeg({100, 140, false, false, true})});
  v.push_back({"arithmetic coding", MakeJpeg({100, 140, false, false, false, true})});
  return v;
}

std::string Base64(const std::string& bytes) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8 |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], k[v & 63]};
  }
  if (i + 1 == bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += {k[v >> 18], k[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], '='};
  }
  return out;
}

}  // namespace zhiping::testimages
