// Tests for seal/der.h: what the writer makes reads back; hostile bytes are refused with why, never read past.
#include "seal/der.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace zhiping::seal::der {
namespace {

std::string Hex(const std::string& bytes) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) out += std::string{d[c >> 4], d[c & 15]};
  return out;
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    return e.what();
  }
  return "";
}

TEST(seal_Der, WritesKnownEncodings) {
  EXPECT_EQ(Hex(Writer().Integer(0).bytes()), "020100");
  EXPECT_EQ(Hex(Writer().Integer(4).bytes()), "020104");
  EXPECT_EQ(Hex(Writer().Integer(128).bytes()), "02020080");
  EXPECT_EQ(Hex(Writer().Integer(-129).bytes()), "0202ff7f");
  EXPECT_EQ(Hex(Writer().Oid("1.2.156.10197.1.501").bytes()), "06082a811ccf55018375");
  EXPECT_EQ(Hex(Writer().Bits("\x01").bytes()), "03020001");
  EXPECT_EQ(Hex(Writer().GeneralizedTime(0).bytes()), Hex(std::string("\x18\x0f") + "19700101000000Z"));
  std::string big(300, 'a');
  EXPECT_EQ(Hex(Writer().Octets(big).bytes()).substr(0, 8), "0482012c");
}

TEST(seal_Der, ReadsBackWhatItWrote) {
  Writer w;
  w.Sequence([](Writer& s) {
    s.Integer(-5).Oid("1.2.156.10197.1.401").Ia5("ES").Utf8("印章").Octets(std::string(200, 'x')).Bits("sig");
    s.GeneralizedTime(1764355200).Explicit(0, [](Writer& e) { e.Integer(7); });
  });
  Element seq = ReadOnly(w.bytes(), kSequence, "test");
  Reader r = Reader(w.bytes(), "test").Enter(seq, "seq");
  EXPECT_EQ(Reader::Integer(r.Next(kInteger, "i"), "i"), -5);
  EXPECT_EQ(Reader::Oid(r.Next(kOid, "o"), "o"), "1.2.156.10197.1.401");
  EXPECT_EQ(r.Next(kIa5String, "a").content, "ES");
  EXPECT_EQ(r.Next(kUtf8String, "u").content, "印章");
  EXPECT_EQ(r.Next(kOctetString, "x").content.size(), 200u);
  EXPECT_EQ(Reader::Bits(r.Next(kBitString, "b"), "b"), "sig");
  EXPECT_EQ(Reader::Time(r.Next(kGeneralizedTime, "t"), "t"), 1764355200);
  EXPECT_FALSE(r.NextIf(kInteger));
  Element tagged = r.Next(ContextTag(0), "e");
  EXPECT_EQ(Reader::Integer(r.Enter(tagged, "e").Next(kInteger, "seven"), "seven"), 7);
  EXPECT_TRUE(r.AtEnd());
}

TEST(seal_Der, RefusesHostileLengthsAndForms) {
  EXPECT_NE(ErrorOf([] { ReadOnly(std::string("\x30\x05\x02\x01", 4), kSequence, "t"); }).find("longer than"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ReadOnly(std::string("\x30\x80\x00\x00", 4), kSequence, "t"); }).find("indefinite"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ReadOnly(std::string("\x30\x85\x01\x00\x00\x00\x00", 7), kSequence, "t"); })
                .find("more than 4"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ReadOnly(std::string("\x30\x84\xff\xff\xff\xff", 6), kSequence, "t"); }).find("longer"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ReadOnly(std::string("\x30\x82\x01", 3), kSequence, "t"); }).find("cut short"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ReadOnly(std::string("\x30\x00\x00", 3), kSequence, "t"); }).find("after the last"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ReadOnly(std::string("\x02\x01\x05", 3), kSequence, "t"); }).find("unexpected element"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { Reader::Integer(ReadOnly(std::string("\x02\x02\x00\x05", 4), kInteger, "t"), "n"); })
                .find("not minimal"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { Reader::Integer(ReadOnly(std::string("\x02\x09", 2) + std::string(9, '\1'), kInteger, "t"),
                                         "n"); })
                .find("9 bytes"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { Reader::Bits(ReadOnly(std::string("\x03\x02\x03\xff", 4), kBitString, "t"), "b"); })
                .find("unused bits"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { Reader::Time(ReadOnly("\x18\x03" "abc", kGeneralizedTime, "t"), "when"); }).find("when"),
            std::string::npos);
}

TEST(seal_Der, NestingIsCapped) {
  // 40 nested SEQUENCEs: entering them one by one stops at kMaxDepth with an error, not a stack overflow.
  std::string bytes;
  for (int i = 0; i < 40; ++i) bytes = std::string("\x30", 1) + static_cast<char>(bytes.size()) + bytes;
  std::string error = ErrorOf([&] {
    Reader r(bytes, "deep");
    for (;;) {
      Element e = r.Next(kSequence, "level");
      r = r.Enter(e, "level");
    }
  });
  EXPECT_NE(error.find("nested deeper"), std::string::npos) << error;
}

TEST(seal_Der, EveryTruncationOfAValidStructureIsRefusedCleanly) {
  Writer w;
  w.Sequence([](Writer& s) { s.Integer(4).Ia5("abc").Sequence([](Writer& t) { t.Octets(std::string(130, 'z')); }); });
  for (size_t n = 0; n < w.bytes().size(); ++n) {
    std::string cut = w.bytes().substr(0, n);
    EXPECT_FALSE(ErrorOf([&] {
                   Reader r = Reader(cut, "cut").Enter(ReadOnly(cut, kSequence, "cut"), "s");
                   r.Next(kInteger, "v");
                   r.Next(kIa5String, "a");
                   r.Enter(r.Next(kSequence, "inner"), "inner").Next(kOctetString, "o");
                 }).empty())
        << n;
  }
}

}  // namespace
}  // namespace zhiping::seal::der
