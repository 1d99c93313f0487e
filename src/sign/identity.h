// sign/identity.h — the signing identity: a private key, its certificate and the chain to put in every signature.
//
// Internal to src/sign. Resolution order (docs/signing.md): SignerConfig paths, then ZHIPING_SIGN_KEY / _CERT /
// _CHAIN, then the development identity (dev_identity.h). An Identity is immutable after loading, so one instance
// is shared read-only by concurrent Sign() calls.
#pragma once

#include <memory>
#include <string>

#include "sign/openssl_util.h"
#include "sign/signer.h"

namespace zhiping::sign {

struct Identity {
  EvpPkeyPtr key;
  X509Ptr cert;
  X509StackPtr chain;        // extra certificates (intermediates, root); may be empty
  bool development = false;
  std::string dev_ca_path;   // development CA certificate file, "" for a configured identity
};

// Throws zhiping::Error: kNotFound for unreadable files, kInvalidInput for unusable PEM or a key that does not
// match the certificate.
std::unique_ptr<Identity> LoadIdentity(const SignerConfig& config);

}  // namespace zhiping::sign
