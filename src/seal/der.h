// seal/der.h — the little ASN.1 DER the electronic seal needs (GB/T 38540: SESeal, TBS_Sign, SES_Signature):
// a writer that builds nested TLVs, and a bounded reader for bytes that may be hostile.
//
// Why not OpenSSL's ASN1 templates: they need a C struct, an ASN1_SEQUENCE macro block and free functions per type,
// and their errors do not say which field was wrong. The SES structures are four fixed SEQUENCEs; a 150-line
// writer/reader is smaller than the templates and tells "dataHash: expected BIT STRING".
//
// Reader contract: every length is checked against the bytes that hold it (no read past the end, ever), only
// definite lengths of at most 4 length bytes, no indefinite form, no high tag numbers; nesting is entered
// explicitly by the caller (Enter) and capped at kMaxDepth, so no input can make it recurse. Errors throw
// zhiping::Error(kInvalidInput, "WHAT: why"). Writer and Reader are plain values; not shared between threads.
#pragma once

#include <cstdint>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace zhiping::seal::der {

enum Tag : uint8_t {
  kInteger = 0x02,
  kBitString = 0x03,
  kOctetString = 0x04,
  kOid = 0x06,
  kUtf8String = 0x0c,
  kIa5String = 0x16,
  kUtcTime = 0x17,
  kGeneralizedTime = 0x18,
  kSequence = 0x30,
};
// [n] EXPLICIT (context-specific, constructed).
constexpr uint8_t ContextTag(int n) { return static_cast<uint8_t>(0xa0 | n); }
constexpr int kMaxDepth = 16;

class Writer {
 public:
  Writer& Integer(int64_t value);
  Writer& Oid(const std::string& dotted);  // "1.2.156.10197.1.501"; throws kInternal for a malformed one
  Writer& Ia5(const std::string& text);
  Writer& Utf8(const std::string& text);
  Writer& Octets(std::string_view bytes);
  Writer& Bits(std::string_view bytes);  // no unused bits
  Writer& GeneralizedTime(std::time_t utc);  // "YYYYMMDDHHMMSSZ"
  Writer& Raw(std::string_view element);     // an element already DER-encoded (a certificate, a nested SESeal)
  Writer& Sequence(const std::function<void(Writer&)>& body);
  Writer& Explicit(int n, const std::function<void(Writer&)>& body);

  const std::string& bytes() const { return out_; }

 private:
  Writer& Tlv(uint8_t tag, std::string_view content);
  std::string out_;
};

struct Element {
  uint8_t tag = 0;
  std::string_view content;  // the value octets
  std::string_view whole;    // tag, length and value (what a signature over this element covers)
};

class Reader {
 public:
  // `what` names the structure in errors ("SES_Signature").
  Reader(std::string_view bytes, std::string what, int depth = 0);

  bool AtEnd() const { return pos_ == bytes_.size(); }
  // The next element, which must have `tag`; `field` names it in the error.
  Element Next(uint8_t tag, const char* field);
  // The next element if it has `tag`, else nothing (and nothing consumed).
  std::optional<Element> NextIf(uint8_t tag);
  // A reader over a constructed element's content, one level deeper (kMaxDepth is an error).
  Reader Enter(const Element& element, const char* field) const;
  // Throws unless every byte was read (trailing garbage after a structure is refused).
  void ExpectEnd() const;

  // Value decoders; each throws kInvalidInput naming `field`.
  static int64_t Integer(const Element& e, const char* field);     // fits in 63 bits, minimal form
  static std::string Oid(const Element& e, const char* field);     // dotted form
  static std::string Bits(const Element& e, const char* field);    // the bytes; unused bits must be 0
  static std::time_t Time(const Element& e, const char* field);    // GeneralizedTime or UTCTime, "Z" only

 private:
  std::optional<Element> Peek(size_t* length_end) const;
  std::string_view bytes_;
  std::string what_;
  int depth_;
  size_t pos_ = 0;
};

// The one element that `bytes` must consist of, with `tag`.
Element ReadOnly(std::string_view bytes, uint8_t tag, const std::string& what);

}  // namespace zhiping::seal::der
