// sign/openssl_util.h — small RAII and formatting helpers shared by the signing stage's OpenSSL code.
//
// Internal to src/sign. Every OpenSSL object is owned by a unique_ptr with the matching free function, so an early
// throw never leaks; OpenSslError() drains the thread's OpenSSL error queue into a zhiping::Error message.
#pragma once

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "common/error.h"

namespace zhiping::sign {

template <typename T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* p) const { Free(p); }
};
template <typename T, void (*Free)(T*)>
using OpenSslPtr = std::unique_ptr<T, OpenSslDeleter<T, Free>>;

using BioPtr = OpenSslPtr<BIO, BIO_free_all>;
using X509Ptr = OpenSslPtr<X509, X509_free>;
using EvpPkeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using EvpMdCtxPtr = OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;
using CmsPtr = OpenSslPtr<CMS_ContentInfo, CMS_ContentInfo_free>;
using X509StorePtr = OpenSslPtr<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = OpenSslPtr<X509_STORE_CTX, X509_STORE_CTX_free>;
using TsReqPtr = OpenSslPtr<TS_REQ, TS_REQ_free>;
using TsRespPtr = OpenSslPtr<TS_RESP, TS_RESP_free>;
using Pkcs7Ptr = OpenSslPtr<PKCS7, PKCS7_free>;
using TstInfoPtr = OpenSslPtr<TS_TST_INFO, TS_TST_INFO_free>;

inline void FreeX509Stack(STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); }
using X509StackPtr = OpenSslPtr<STACK_OF(X509), FreeX509Stack>;

// The queued OpenSSL errors of this thread as one line (and clears the queue).
std::string OpenSslErrors();
// Throws zhiping::Error(kind, what + ": " + OpenSslErrors()).
[[noreturn]] void ThrowOpenSsl(ErrorKind kind, const std::string& what);

// DER encoding of any OpenSSL ASN.1 value, e.g. Der(cert, i2d_X509, "certificate").
template <typename T>
std::string Der(const T* value, int (*i2d)(const T*, unsigned char**), const char* what) {
  unsigned char* der = nullptr;
  int len = i2d(value, &der);
  if (len <= 0) ThrowOpenSsl(ErrorKind::kInternal, std::string("cannot encode ") + what);
  std::string out(reinterpret_cast<char*>(der), len);
  OPENSSL_free(der);
  return out;
}

// Everything written so far to a memory BIO.
std::string MemBioContents(BIO* bio);

std::string Sha256(const std::string& bytes);
std::string HexEncode(const std::string& bytes, bool upper = false);
// Hex digits to bytes; stops at the first non-hex character (PDF /Contents is zero-padded, which is harmless).
std::string HexDecode(const std::string& hex);

// DER of a certificate, its SHA-256 fingerprint in "AB:CD:…" form and its subject in RFC 2253 form (UTF-8).
std::string CertDer(X509* cert);
std::string CertFingerprint(X509* cert);
std::string CertSubject(X509* cert);

// PEM text of a certificate and of a private key (unencrypted PKCS#8: the development identities' files).
std::string CertPem(X509* cert);
std::string PrivateKeyPem(EVP_PKEY* key);

// All certificates in a PEM file or string (empty: none). Throws kInvalidInput when the text holds none.
X509StackPtr ReadPemCertificates(const std::string& pem, const std::string& what);

}  // namespace zhiping::sign
