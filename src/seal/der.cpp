#include "seal/der.h"

#include <cstdio>
#include <vector>

#include "common/error.h"
#include "seal/utc_text.h"

namespace zhiping::seal::der {
namespace {

void AppendLength(std::string& out, size_t n) {
  if (n < 0x80) {
    out.push_back(static_cast<char>(n));
    return;
  }
  char bytes[8];
  int count = 0;
  for (size_t v = n; v > 0; v >>= 8) bytes[count++] = static_cast<char>(v & 0xff);
  out.push_back(static_cast<char>(0x80 | count));
  while (count > 0) out.push_back(bytes[--count]);
}

void AppendBase128(std::string& out, uint64_t v) {
  char tmp[10];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>(v & 0x7f);
    v >>= 7;
  } while (v > 0);
  while (n > 1) out.push_back(static_cast<char>(tmp[--n] | 0x80));
  out.push_back(tmp[0]);
}

[[noreturn]] void Bad(const std::string& what, const std::string& why) {
  throw Error(ErrorKind::kInvalidInput, what + ": " + why);
}

}  // namespace

Writer& Writer::Tlv(uint8_t tag, std::string_view content) {
  out_.push_back(static_cast<char>(tag));
  AppendLength(out_, content.size());
  out_.append(content);
  return *this;
}

Writer& Writer::Integer(int64_t value) {
  // Two's complement, minimal: drop leading bytes that only repeat the sign.
  std::string bytes;
  for (int i = 7; i >= 0; --i) bytes.push_back(static_cast<char>((static_cast<uint64_t>(value) >> (8 * i)) & 0xff));
  size_t start = 0;
  while (start < 7 && ((bytes[start] == 0 && !(bytes[start + 1] & 0x80)) ||
                       (bytes[start] == '\xff' && (bytes[start + 1] & 0x80))))
    ++start;
  return Tlv(kInteger, std::string_view(bytes).substr(start));
}

Writer& Writer::Oid(const std::string& dotted) {
  std::vector<uint64_t> arcs;
  uint64_t v = 0;
  bool digit = false;
  for (char c : dotted + ".") {
    if (c >= '0' && c <= '9') {
      v = v * 10 + (c - '0');
      digit = true;
    } else if (c == '.' && digit) {
      arcs.push_back(v);
      v = 0;
      digit = false;
    } else {
      throw Error(ErrorKind::kInternal, "malformed OID " + dotted);
    }
  }
  if (arcs.size() < 2 || arcs[0] > 2) throw Error(ErrorKind::kInternal, "malformed OID " + dotted);
  std::string content;
  AppendBase128(content, arcs[0] * 40 + arcs[1]);
  for (size_t i = 2; i < arcs.size(); ++i) AppendBase128(content, arcs[i]);
  return Tlv(kOid, content);
}

Writer& Writer::Ia5(const std::string& text) { return Tlv(kIa5String, text); }
Writer& Writer::Utf8(const std::string& text) { return Tlv(kUtf8String, text); }
Writer& Writer::Octets(std::string_view bytes) { return Tlv(kOctetString, bytes); }
Writer& Writer::Bits(std::string_view bytes) { return Tlv(kBitString, std::string(1, '\0') + std::string(bytes)); }

Writer& Writer::GeneralizedTime(std::time_t utc) { return Tlv(kGeneralizedTime, UtcText(utc, "%Y%m%d%H%M%SZ")); }

Writer& Writer::Raw(std::string_view element) {
  out_.append(element);
  return *this;
}

Writer& Writer::Sequence(const std::function<void(Writer&)>& body) {
  Writer inner;
  body(inner);
  return Tlv(kSequence, inner.out_);
}

Writer& Writer::Explicit(int n, const std::function<void(Writer&)>& body) {
  Writer inner;
  body(inner);
  return Tlv(ContextTag(n), inner.out_);
}

Reader::Reader(std::string_view bytes, std::string what, int depth)
    : bytes_(bytes), what_(std::move(what)), depth_(depth) {
  if (depth_ > kMaxDepth) Bad(what_, "nested deeper than " + std::to_string(kMaxDepth) + " levels");
}

std::optional<Element> Reader::Peek(size_t* end) const {
  if (pos_ >= bytes_.size()) return std::nullopt;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes_.data());
  size_t i = pos_;
  uint8_t tag = p[i++];
  if ((tag & 0x1f) == 0x1f) Bad(what_, "high tag numbers are not used here");
  if (i >= bytes_.size()) Bad(what_, "cut short after a tag");
  size_t length = p[i++];
  if (length & 0x80) {
    size_t count = length & 0x7f;
    if (count == 0) Bad(what_, "indefinite lengths are not DER");
    if (count > 4) Bad(what_, "a length of more than 4 bytes");
    if (bytes_.size() - i < count) Bad(what_, "cut short inside a length");
    length = 0;
    for (size_t k = 0; k < count; ++k) length = (length << 8) | p[i++];
  }
  if (length > bytes_.size() - i) Bad(what_, "an element longer than the bytes that hold it");
  *end = i + length;
  return Element{tag, bytes_.substr(i, length), bytes_.substr(pos_, i + length - pos_)};
}

Element Reader::Next(uint8_t tag, const char* field) {
  size_t end = 0;
  std::optional<Element> e = Peek(&end);
  if (!e) Bad(what_, std::string(field) + " is missing");
  if (e->tag != tag) {
    char got[8];
    std::snprintf(got, sizeof got, "0x%02x", e->tag);
    Bad(what_, std::string(field) + ": unexpected element (tag " + got + ")");
  }
  pos_ = end;
  return *e;
}

std::optional<Element> Reader::NextIf(uint8_t tag) {
  size_t end = 0;
  std::optional<Element> e = Peek(&end);
  if (!e || e->tag != tag) return std::nullopt;
  pos_ = end;
  return e;
}

Reader Reader::Enter(const Element& element, const char* field) const {
  if (!(element.tag & 0x20)) Bad(what_, std::string(field) + " is not a constructed element");
  return Reader(element.content, what_, depth_ + 1);
}

void Reader::ExpectEnd() const {
  if (!AtEnd()) Bad(what_, "unexpected bytes after the last field");
}

int64_t Reader::Integer(const Element& e, const char* field) {
  const auto* p = reinterpret_cast<const unsigned char*>(e.content.data());
  size_t n = e.content.size();
  if (n == 0 || n > 8) Bad(field, "an INTEGER of " + std::to_string(n) + " bytes");
  if (n > 1 && ((p[0] == 0 && !(p[1] & 0x80)) || (p[0] == 0xff && (p[1] & 0x80)))) Bad(field, "INTEGER not minimal");
  uint64_t v = (p[0] & 0x80) ? ~0ull : 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  return static_cast<int64_t>(v);
}

std::string Reader::Oid(const Element& e, const char* field) {
  const auto* p = reinterpret_cast<const unsigned char*>(e.content.data());
  size_t n = e.content.size();
  if (n == 0 || n > 64) Bad(field, "an OBJECT IDENTIFIER of " + std::to_string(n) + " bytes");
  std::string out;
  uint64_t v = 0;
  bool first = true;
  for (size_t i = 0; i < n; ++i) {
    if (v > (~0ull >> 8)) Bad(field, "an OBJECT IDENTIFIER arc too large");
    v = (v << 7) | (p[i] & 0x7f);
    if (p[i] & 0x80) {
      if (i + 1 == n) Bad(field, "an OBJECT IDENTIFIER cut short");
      continue;
    }
    if (first) {
      uint64_t top = v < 80 ? v / 40 : 2;
      out = std::to_string(top) + "." + std::to_string(v - top * 40);
      first = false;
    } else {
      out += "." + std::to_string(v);
    }
    v = 0;
  }
  return out;
}

std::string Reader::Bits(const Element& e, const char* field) {
  if (e.content.empty()) Bad(field, "an empty BIT STRING");
  if (e.content[0] != 0) Bad(field, "a BIT STRING with unused bits");
  return std::string(e.content.substr(1));
}

std::time_t Reader::Time(const Element& e, const char* field) {
  std::string text(e.content);
  size_t year_digits = e.tag == kGeneralizedTime ? 4 : 2;
  if (text.size() != year_digits + 11 || text.back() != 'Z') Bad(field, "a time not in the form YYYYMMDDHHMMSSZ");
  for (size_t i = 0; i + 1 < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9') Bad(field, "a time with a non-digit");
  auto num = [&](size_t at, size_t len) { return std::stoi(text.substr(at, len)); };
  std::tm tm{};
  int year = num(0, year_digits);
  if (year_digits == 2) year += year < 50 ? 2000 : 1900;
  size_t k = year_digits;
  tm.tm_year = year - 1900;
  tm.tm_mon = num(k, 2) - 1;
  tm.tm_mday = num(k + 2, 2);
  tm.tm_hour = num(k + 4, 2);
  tm.tm_min = num(k + 6, 2);
  tm.tm_sec = num(k + 8, 2);
  if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60)
    Bad(field, "a time out of range");
  return timegm(&tm);
}

Element ReadOnly(std::string_view bytes, uint8_t tag, const std::string& what) {
  Reader reader(bytes, what);
  Element e = reader.Next(tag, what.c_str());
  reader.ExpectEnd();
  return e;
}

}  // namespace zhiping::seal::der
