// seal/sm2.h — SM3 digests and SM2 signatures (GB/T 32905, GB/T 32918) with OpenSSL 3.0, the way the rest of the
// world computes them.
//
// The SM2 signer ID: every SM2 signature here is made and checked with the ID "1234567812345678" (GB/T 35276 §10),
// set explicitly on the key context. OpenSSL 3.0 otherwise hashes an EMPTY ID into Z, and such signatures verify
// only in OpenSSL 3.0 itself (not in BouncyCastle, sm-crypto/ofd.js, OpenSSL 4). tests/seal/sm2_test.cpp pins this
// against a Z value computed by hand. Certificates made here (the development seal) are signed the same way, and
// certificates checked here get the same ID set before their chain is verified.
//
// Thread safety: all functions are reentrant; an EVP_PKEY may be shared read-only by concurrent calls.
// Errors: zhiping::Error kInternal when OpenSSL fails on our own keys; Verify returns false, never throws, for a
// signature that does not match or is malformed.
#pragma once

#include <openssl/x509.h>

#include <string>
#include <string_view>

#include "sign/openssl_util.h"

namespace zhiping::seal {

constexpr char kSm2UserId[] = "1234567812345678";
constexpr char kOidSm2WithSm3[] = "1.2.156.10197.1.501";
constexpr char kOidSm3[] = "1.2.156.10197.1.401";

// The 32-byte SM3 digest of `bytes`.
std::string Sm3(std::string_view bytes);

// A fresh SM2 key pair.
sign::EvpPkeyPtr NewSm2Key();
// True when `key` is an SM2 key (EVP type SM2, or an EC key on the SM2 curve as PEM files load it).
bool IsSm2Key(EVP_PKEY* key);

// The SM2-with-SM3 signature (DER ECDSA-Sig-Value SEQUENCE { r, s }) of `data` under `key`, signer ID kSm2UserId.
std::string Sm2Sign(EVP_PKEY* key, std::string_view data);
// Whether `signature` is `key`'s SM2-with-SM3 signature of `data` with signer ID kSm2UserId.
bool Sm2Verify(EVP_PKEY* key, std::string_view data, std::string_view signature);

// Signs `cert` (its fields all set) with `issuer_key`, SM2 with SM3 and the signer ID.
void SignCertificateSm2(X509* cert, EVP_PKEY* issuer_key);
// Sets the signer ID on `cert` so that X509_verify / X509_verify_cert check its SM2 signature with it.
void SetCertificateSm2Id(X509* cert);

}  // namespace zhiping::seal
