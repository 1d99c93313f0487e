#include "model/photo.h"

#include "model/field_labels.h"

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

std::optional<Message> PhotoMediaTypeMessage(const std::string& media_type) {
  if (media_type == "image/jpeg" || media_type == "image/png") return std::nullopt;
  return Message(Msg::kPhotoMediaType);
}

std::string PhotoMediaTypeProblem(const std::string& media_type) {
  std::optional<Message> m = PhotoMediaTypeMessage(media_type);
  return m ? RenderMessage(*m, Lang::kEn) : "";
}

static std::string Megabytes(size_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

std::optional<Message> PhotoDataMessage(const std::string& media_type, const std::string& data,
                                        const std::string& media_type_pointer) {
  if (data.rfind("data:", 0) == 0) return Message(Msg::kPhotoDataUrl);
  // Reject a huge string before decoding it: base64 needs 4 characters per 3 bytes, so twice the limit in text is
  // far beyond it whatever the line wrapping.
  if (data.size() > 2 * kMaxPhotoBytes) return Message(Msg::kPhotoTooLargeAbout, {Megabytes(data.size() / 4 * 3)});
  std::string bytes;
  if (!DecodeBase64(data, &bytes)) return Message(Msg::kPhotoBase64);
  if (bytes.empty()) return Message(Msg::kPhotoEmpty);
  if (bytes.size() > kMaxPhotoBytes) return Message(Msg::kPhotoTooLarge, {Megabytes(bytes.size())});
  const char* actual = image::SniffFormat(bytes);
  if (actual == nullptr) return Message(Msg::kPhotoNotImage);
  const bool png = actual[0] == 'P';
  if (!PhotoMediaTypeMessage(media_type) && media_type != (png ? "image/png" : "image/jpeg")) {
    return Message(Msg::kPhotoTypeMismatch,
                   {MessageArg(png ? "a PNG" : "a JPEG", png ? "PNG" : "JPEG"),
                    MessageArg(media_type_pointer, PlaceOf(media_type_pointer)), media_type});
  }
  // Decoded whole, as the PDF writer will embed it; the result is remembered for layout (image/decode_memo.h).
  std::string problem;
  image::DecodeRemembered(bytes, &problem);
  if (!problem.empty()) return Message(Msg::kPhotoUnreadable, {problem});
  return std::nullopt;
}

std::string PhotoDataProblem(const std::string& media_type, const std::string& data,
                             const std::string& media_type_pointer) {
  std::optional<Message> m = PhotoDataMessage(media_type, data, media_type_pointer);
  return m ? RenderMessage(*m, Lang::kEn) : "";
}

}  // namespace zhiping::model
