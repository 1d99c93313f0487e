// Tests for seal/ses.h: the SES v4 structures encode and decode to the same values; the signed parts are kept
// byte for byte; malformed structures are refused naming the field.
#include "seal/ses.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "seal/der.h"
#include "seal/sm2.h"
#include "test_ofd.h"

namespace zhiping::seal {
namespace {

SealInfo SampleInfo() {
  SealInfo info;
  info.vid = "zhiping";
  info.es_id = "ES-0001";
  info.name = "测试印章";
  info.signer_certs = {"cert-a", "cert-b"};
  info.create_date = 1764300000;
  info.valid_start = 1764300000;
  info.valid_end = 1864300000;
  info.picture.data = testing::TestSealPng(64);
  info.picture.width_mm = info.picture.height_mm = 42;
  return info;
}

TEST(seal_Ses, SealEncodesAndDecodes) {
  SealInfo info = SampleInfo();
  std::string info_der = EncodeSealInfo(info);
  std::string der = EncodeSeal(info_der, "maker-cert", kOidSm2WithSm3, "signed");
  SESeal seal = DecodeSeal(der);
  EXPECT_EQ(seal.der, der);
  EXPECT_EQ(seal.info_der, info_der);
  EXPECT_EQ(seal.info.vid, "zhiping");
  EXPECT_EQ(seal.info.es_id, "ES-0001");
  EXPECT_EQ(seal.info.name, "测试印章");
  EXPECT_EQ(seal.info.signer_certs, info.signer_certs);
  EXPECT_EQ(seal.info.valid_end, 1864300000);
  EXPECT_EQ(seal.info.picture.type, "png");
  EXPECT_EQ(seal.info.picture.data, info.picture.data);
  EXPECT_EQ(seal.info.picture.width_mm, 42);
  EXPECT_EQ(seal.maker_cert, "maker-cert");
  EXPECT_EQ(seal.sign_alg, kOidSm2WithSm3);
  EXPECT_EQ(seal.signed_value, "signed");
}

TEST(seal_Ses, SignatureEncodesAndDecodesKeepingTheSignedBytes) {
  std::string seal = EncodeSeal(EncodeSealInfo(SampleInfo()), "maker", kOidSm2WithSm3, "sv");
  std::string tbs = EncodeTbsSign(seal, 1764355200, Sm3("xml"), "/Doc_0/Signs/Sign_0/Signature.xml");
  std::string der = EncodeSignature(tbs, "signer-cert", kOidSm2WithSm3, "sig");
  SesSignature s = DecodeSignature(der);
  EXPECT_EQ(s.tbs_der, tbs);
  EXPECT_EQ(s.tbs.version, 4);
  EXPECT_EQ(s.tbs.seal.der, seal);
  EXPECT_EQ(s.tbs.time, 1764355200);
  EXPECT_EQ(s.tbs.data_hash, Sm3("xml"));
  EXPECT_EQ(s.tbs.property_info, "/Doc_0/Signs/Sign_0/Signature.xml");
  EXPECT_EQ(s.signer_cert, "signer-cert");
  EXPECT_EQ(s.signature, "sig");
}

TEST(seal_Ses, MalformedStructuresAreRefusedNamingTheField) {
  auto error = [](const std::string& der) {
    try {
      DecodeSignature(der);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
      return std::string(e.what());
    }
    return std::string();
  };
  std::string seal = EncodeSeal(EncodeSealInfo(SampleInfo()), "maker", kOidSm2WithSm3, "sv");
  der::Writer v1;
  v1.Sequence([&](der::Writer& s) { s.Sequence([&](der::Writer& t) { t.Integer(1); }); });
  EXPECT_NE(error(v1.bytes()).find("only SES v4"), std::string::npos);
  der::Writer no_hash;
  no_hash.Sequence([&](der::Writer& s) {
    s.Sequence([&](der::Writer& t) { t.Integer(4).Raw(seal).GeneralizedTime(0).Ia5("/x"); });
  });
  EXPECT_NE(error(no_hash.bytes()).find("dataHash"), std::string::npos);
  EXPECT_NE(error("garbage").find("SES_Signature"), std::string::npos);
  // Every cut of a real signature is refused, never read past.
  std::string good = EncodeSignature(EncodeTbsSign(seal, 0, "h", "/p"), "c", kOidSm2WithSm3, "s");
  for (size_t n = 0; n < good.size(); n += 7) EXPECT_FALSE(error(good.substr(0, n)).empty()) << n;
}

}  // namespace
}  // namespace zhiping::seal
