#include "model/photo.h"

#include <Poco/Base64Encoder.h>

#include <cstdio>
#include <sstream>

#include "image/decode_memo.h"

namespace zhiping::model {

static int Base64Value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::string EncodeBase64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << bytes;
  encoder.close();
  return out.str();
}

bool DecodeBase64(const std::string& text, std::string* out) {
  out->clear();
  out->reserve(text.size() / 4 * 3);
  unsigned buffer = 0;
  int bits = 0;
  size_t symbols = 0;  // base64 characters seen, padding included
  size_t padding = 0;
  for (unsigned char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      ++padding;
      ++symbols;
      continue;
    }
    int v = Base64Value(c);
    if (v < 0 || padding > 0) return false;  // data after padding is not base64
    ++symbols;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  size_t data_symbols = symbols - padding;
  if (data_symbols % 4 == 1) return false;  // one symbol cannot hold a byte
  if (padding > 0 && (padding > 2 || symbols % 4 != 0)) return false;
  // Leftover bits must be zero, or two different strings would decode to the same bytes.
  if (bits > 0 && (buffer & ((1u << bits) - 1)) != 0) return false;
  return true;
}

std::string PhotoMediaTypeProblem(const std::string& media_type) {
  if (media_type == "image/jpeg" || media_type == "image/png") return "";
  return "must be image/jpeg or image/png";
}

static std::string Megabytes(size_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

std::string PhotoDataProblem(const std::string& media_type, const std::string& data,
                             const std::string& media_type_pointer) {
  if (data.rfind("data:", 0) == 0) return "must be plain base64, without a \"data:...;base64,\" prefix";
  // Reject a huge string before decoding it: base64 needs 4 characters per 3 bytes, so twice the limit in text is
  // far beyond it whatever the line wrapping.
  if (data.size() > 2 * kMaxPhotoBytes) {
    return "must be at most 2 MiB once decoded (is about " + Megabytes(data.size() / 4 * 3) + ")";
  }
  std::string bytes;
  if (!DecodeBase64(data, &bytes)) return "must be valid base64";
  if (bytes.empty()) return "must not be empty";
  if (bytes.size() > kMaxPhotoBytes) return "must be at most 2 MiB once decoded (is " + Megabytes(bytes.size()) + ")";
  const char* actual = image::SniffFormat(bytes);
  if (actual == nullptr) return "is not a JPEG or PNG image";
  const bool png = actual[0] == 'P';
  if (PhotoMediaTypeProblem(media_type).empty() && media_type != (png ? "image/png" : "image/jpeg")) {
    return std::string("is ") + (png ? "a PNG" : "a JPEG") + " image but " + media_type_pointer + " says " +
           media_type;
  }
  // Decoded whole, as the PDF writer will embed it; the result is remembered for layout (image/decode_memo.h).
  std::string problem;
  image::DecodeRemembered(bytes, &problem);
  return problem;
}

}  // namespace zhiping::model
