// Tests for seal/sm2.h. The signer ID is pinned against an independent computation: the SM2 Z value worked out by
// hand from GB/T 32918.5's curve constants (Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA)), then
// e = SM3(Z || M), and OpenSSL's raw SM2 verification of e (no ID involved at that level) must accept our signature.
#include "seal/sm2.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/err.h>

#include "sign/openssl_util.h"

namespace zhiping::seal {
namespace {

using sign::HexDecode;
using sign::HexEncode;

// GB/T 32918.5-2017 recommended curve parameters.
const char kA[] = "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC";
const char kB[] = "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93";
const char kXG[] = "32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7";
const char kYG[] = "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0";

std::string PublicPoint(EVP_PKEY* key) {  // 04 || x || y
  unsigned char buf[128];
  size_t len = 0;
  EXPECT_EQ(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, buf, sizeof buf, &len), 1);
  return std::string(reinterpret_cast<char*>(buf), len);
}

std::string ZValue(EVP_PKEY* key, const std::string& id) {
  std::string point = PublicPoint(key);
  EXPECT_EQ(point.size(), 65u);
  std::string entl;
  entl.push_back(static_cast<char>((id.size() * 8) >> 8));
  entl.push_back(static_cast<char>((id.size() * 8) & 0xff));
  return Sm3(entl + id + HexDecode(kA) + HexDecode(kB) + HexDecode(kXG) + HexDecode(kYG) + point.substr(1));
}

bool RawVerify(EVP_PKEY* key, const std::string& e, const std::string& sig) {
  sign::OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  EXPECT_EQ(EVP_PKEY_verify_init(ctx.get()), 1);
  int ok = EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                           reinterpret_cast<const unsigned char*>(e.data()), e.size());
  sign::OpenSslErrors();
  return ok == 1;
}

TEST(seal_Sm2, Sm3MatchesTheStandardsExample) {
  // GB/T 32905-2016 Appendix A.1: SM3("abc").
  EXPECT_EQ(HexEncode(Sm3("abc")), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}

TEST(seal_Sm2, SignsAndVerifiesAndRefusesOtherData) {
  sign::EvpPkeyPtr key = NewSm2Key();
  ASSERT_TRUE(IsSm2Key(key.get()));
  std::string sig = Sm2Sign(key.get(), "TBS_Sign bytes");
  EXPECT_TRUE(Sm2Verify(key.get(), "TBS_Sign bytes", sig));
  EXPECT_FALSE(Sm2Verify(key.get(), "TBS_Sign bytez", sig));
  EXPECT_FALSE(Sm2Verify(NewSm2Key().get(), "TBS_Sign bytes", sig));
  EXPECT_FALSE(Sm2Verify(key.get(), "TBS_Sign bytes", "not DER"));
  EXPECT_EQ(ERR_peek_error(), 0u);  // nothing left on this thread's error queue
}

TEST(seal_Sm2, SignatureUsesTheSignerId1234567812345678) {
  sign::EvpPkeyPtr key = NewSm2Key();
  const std::string message = "<ofd:Signature>…</ofd:Signature>";
  std::string sig = Sm2Sign(key.get(), message);
  const std::string e = Sm3(ZValue(key.get(), "1234567812345678") + message);
  EXPECT_TRUE(RawVerify(key.get(), e, sig));
  // With OpenSSL 3.0's default (an empty ID) the digest is another one, and the signature is not of it.
  const std::string e_empty = Sm3(ZValue(key.get(), "") + message);
  EXPECT_FALSE(RawVerify(key.get(), e_empty, sig));
}

TEST(seal_Sm2, ASignatureMadeWithoutTheIdDoesNotVerify) {
  // What plain EVP_DigestSign does on OpenSSL 3.0 (no ID set): Sm2Verify must not accept it.
  sign::EvpPkeyPtr key = NewSm2Key();
  sign::EvpMdCtxPtr md(EVP_MD_CTX_new());
  ASSERT_EQ(EVP_DigestSignInit(md.get(), nullptr, EVP_sm3(), nullptr, key.get()), 1);
  unsigned char sig[128];
  size_t len = sizeof sig;
  const std::string message = "data";
  ASSERT_EQ(EVP_DigestSign(md.get(), sig, &len, reinterpret_cast<const unsigned char*>(message.data()),
                           message.size()),
            1);
  EXPECT_FALSE(Sm2Verify(key.get(), message, std::string(reinterpret_cast<char*>(sig), len)));
}

TEST(seal_Sm2, CertificatesAreSignedWithTheIdAndCheckedWithIt) {
  sign::EvpPkeyPtr key = NewSm2Key();
  sign::X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("x"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
  X509_set_pubkey(cert.get(), key.get());
  SignCertificateSm2(cert.get(), key.get());
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_SM2_with_SM3);
  EXPECT_NE(X509_verify(cert.get(), key.get()), 1);  // without the ID (OpenSSL 3.0's empty default) it fails
  SetCertificateSm2Id(cert.get());
  EXPECT_EQ(X509_verify(cert.get(), key.get()), 1);
  sign::OpenSslErrors();
}

TEST(seal_Sm2, OtherKeysAreNotSm2) {
  sign::EvpPkeyPtr p256(EVP_EC_gen("P-256"));
  EXPECT_FALSE(IsSm2Key(p256.get()));
  EXPECT_FALSE(IsSm2Key(nullptr));
}

}  // namespace
}  // namespace zhiping::seal
