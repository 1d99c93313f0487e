#include "sign/cms_builder.h"

#include <openssl/err.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "sign/tsa_client.h"

namespace zhiping::sign {
namespace {

void AppendDerLength(std::string& out, size_t len) {
  if (len < 0x80) {
    out += static_cast<char>(len);
    return;
  }
  std::string bytes;
  for (size_t n = len; n > 0; n >>= 8) bytes.insert(bytes.begin(), static_cast<char>(n & 0xff));
  out += static_cast<char>(0x80 | bytes.size());
  out += bytes;
}

// The signed attributes as the signature covers them (RFC 5652 §5.4): a DER SET OF with the explicit SET tag,
// elements sorted by their encodings — the same order OpenSSL uses when it writes the SignerInfo's [0] field.
std::string EncodeSignedAttributes(CMS_SignerInfo* si) {
  std::vector<std::string> encoded;
  for (int i = 0; i < CMS_signed_get_attr_count(si); ++i)
    encoded.push_back(Der<X509_ATTRIBUTE>(CMS_signed_get_attr(si, i), i2d_X509_ATTRIBUTE, "signed attribute"));
  std::sort(encoded.begin(), encoded.end(), [](const std::string& a, const std::string& b) {
    int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
    return c != 0 ? c < 0 : a.size() < b.size();
  });
  std::string content;
  for (const std::string& e : encoded) content += e;
  std::string set = "\x31";
  AppendDerLength(set, content.size());
  return set + content;
}

std::string SignBytes(EVP_PKEY* key, const std::string& bytes) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  size_t len = 0;
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size()) != 1)
    ThrowOpenSsl(ErrorKind::kInternal, "cannot start signature");
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) != 1)
    ThrowOpenSsl(ErrorKind::kInternal, "cannot sign attributes");
  sig.resize(len);
  return sig;
}

}  // namespace

std::string BuildCadesSignedData(const Identity& identity, const std::string& content_sha256,
                                 const TsaEndpoint& tsa) {
  const unsigned flags = CMS_PARTIAL | CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP | CMS_CADES;
  CmsPtr cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, flags));
  if (!cms) ThrowOpenSsl(ErrorKind::kInternal, "cannot start CMS SignedData");
  // CMS_add1_signer only reads the key and certificate (up-references them), so a shared Identity is fine.
  CMS_SignerInfo* si = CMS_add1_signer(cms.get(), identity.cert.get(), identity.key.get(), EVP_sha256(), flags);
  if (!si) ThrowOpenSsl(ErrorKind::kInternal, "cannot add signer (CAdES signing-certificate-v2)");
  for (int i = 0; i < sk_X509_num(identity.chain.get()); ++i)
    if (!CMS_add1_cert(cms.get(), sk_X509_value(identity.chain.get(), i)))
      ERR_clear_error();  // a chain certificate equal to the signer's is already there; harmless
  if (!CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT, OBJ_nid2obj(NID_pkcs7_data), -1) ||
      !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, content_sha256.data(),
                                   static_cast<int>(content_sha256.size())))
    ThrowOpenSsl(ErrorKind::kInternal, "cannot add signed attributes");

  std::string signature = SignBytes(identity.key.get(), EncodeSignedAttributes(si));
  ASN1_OCTET_STRING* value = CMS_SignerInfo_get0_signature(si);
  if (!ASN1_OCTET_STRING_set(value, reinterpret_cast<const unsigned char*>(signature.data()),
                             static_cast<int>(signature.size())))
    ThrowOpenSsl(ErrorKind::kInternal, "cannot store signature value");

  if (!tsa.url.empty()) {
    std::string token = RequestTimestampToken(tsa, Sha256(signature));
    if (!CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, token.data(),
                                       static_cast<int>(token.size())))
      ThrowOpenSsl(ErrorKind::kInternal, "cannot add time-stamp token");
  }

  return Der<CMS_ContentInfo>(cms.get(), i2d_CMS_ContentInfo, "CMS SignedData");
}

}  // namespace zhiping::sign
