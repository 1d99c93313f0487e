#include "seal/sm2.h"

#include <openssl/ec.h>

#include "common/error.h"

namespace zhiping::seal {
namespace {

using sign::EvpMdCtxPtr;
using sign::EvpPkeyPtr;
using sign::ThrowOpenSsl;
using EvpPkeyCtxPtr = sign::OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;

// A digest-sign/verify context for `key` with SM3 and the signer ID. The EVP_PKEY_CTX is made here, given the ID,
// and then handed to the EVP_MD_CTX before the init: the only order in which OpenSSL 3.0 uses the ID. The
// EVP_MD_CTX does not own it (EVP_MD_CTX_set_pkey_ctx), so both live here; md is declared last, freed first.
struct Sm2Context {
  EvpPkeyCtxPtr pctx;
  EvpMdCtxPtr md;

  Sm2Context(EVP_PKEY* key, bool sign)
      : pctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr)), md(EVP_MD_CTX_new()) {
    if (!md || !pctx) ThrowOpenSsl(ErrorKind::kInternal, "cannot make an SM2 context");
    if (EVP_PKEY_CTX_set1_id(pctx.get(), kSm2UserId, sizeof kSm2UserId - 1) <= 0)
      ThrowOpenSsl(ErrorKind::kInternal, "cannot set the SM2 signer ID");
    EVP_MD_CTX_set_pkey_ctx(md.get(), pctx.get());
    int ok = sign ? EVP_DigestSignInit(md.get(), nullptr, EVP_sm3(), nullptr, key)
                  : EVP_DigestVerifyInit(md.get(), nullptr, EVP_sm3(), nullptr, key);
    if (ok != 1) ThrowOpenSsl(ErrorKind::kInternal, "cannot start an SM2 signature");
  }
};

}  // namespace

std::string Sm3(std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out, &len, EVP_sm3(), nullptr) != 1)
    ThrowOpenSsl(ErrorKind::kInternal, "SM3 failed");
  return std::string(reinterpret_cast<char*>(out), len);
}

EvpPkeyPtr NewSm2Key() {
  EvpPkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2"));
  if (!key) ThrowOpenSsl(ErrorKind::kInternal, "cannot generate an SM2 key");
  return key;
}

bool IsSm2Key(EVP_PKEY* key) {
  if (!key) return false;
  if (EVP_PKEY_is_a(key, "SM2")) return true;
  if (!EVP_PKEY_is_a(key, "EC")) return false;
  char group[64] = {0};
  size_t len = 0;
  return EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &len) == 1 &&
         std::string(group, len) == "SM2";
}

std::string Sm2Sign(EVP_PKEY* key, std::string_view data) {
  Sm2Context ctx(key, true);
  EVP_MD_CTX* md = ctx.md.get();
  size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  if (EVP_DigestSign(md, nullptr, &len, in, data.size()) != 1)
    ThrowOpenSsl(ErrorKind::kInternal, "SM2 signing failed");
  std::string sig(len, '\0');
  if (EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &len, in, data.size()) != 1)
    ThrowOpenSsl(ErrorKind::kInternal, "SM2 signing failed");
  sig.resize(len);
  return sig;
}

bool Sm2Verify(EVP_PKEY* key, std::string_view data, std::string_view signature) {
  try {
    Sm2Context ctx(key, false);
    EVP_MD_CTX* md = ctx.md.get();
    int ok = EVP_DigestVerify(md, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                              reinterpret_cast<const unsigned char*>(data.data()), data.size());
    sign::OpenSslErrors();  // a failed verification queues errors; this thread must not carry them on
    return ok == 1;
  } catch (const Error&) {
    return false;
  }
}

void SignCertificateSm2(X509* cert, EVP_PKEY* issuer_key) {
  Sm2Context ctx(issuer_key, true);
  EVP_MD_CTX* md = ctx.md.get();
  if (X509_sign_ctx(cert, md) <= 0) ThrowOpenSsl(ErrorKind::kInternal, "cannot sign an SM2 certificate");
}

void SetCertificateSm2Id(X509* cert) {
  ASN1_OCTET_STRING* id = ASN1_OCTET_STRING_new();
  if (!id || !ASN1_OCTET_STRING_set(id, reinterpret_cast<const unsigned char*>(kSm2UserId), sizeof kSm2UserId - 1)) {
    ASN1_OCTET_STRING_free(id);
    ThrowOpenSsl(ErrorKind::kInternal, "cannot set the SM2 signer ID");
  }
  X509_set0_distinguishing_id(cert, id);  // takes ownership
}

}  // namespace zhiping::seal
