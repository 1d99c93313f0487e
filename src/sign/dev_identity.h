// sign/dev_identity.h — the development signing identity, made on first use.
//
// Internal to src/sign. When no identity is configured, zhiping signs with a throwaway P-256 identity: a CA
// "zhiping DEVELOPMENT CA — not for issuing" and a leaf certificate under it (keyUsage digitalSignature,
// nonRepudiation; EKU emailProtection, which poppler/NSS accept for document signing). The directory holds
// dev-ca.pem, signer.key (0600), signer.pem and README.txt. It appears atomically: everything is written into a
// private temporary directory which is then renamed into place, so processes racing on first use end up sharing
// the one identity whose rename won.
#pragma once

#include <string>

namespace zhiping::sign {

struct DevIdentityFiles {
  std::string ca_cert, key, cert;
};

// Makes the identity in `dir` unless it is already there; returns its file paths. Throws zhiping::Error
// (kUnavailable) when the directory cannot be written.
DevIdentityFiles EnsureDevIdentity(const std::string& dir);

}  // namespace zhiping::sign
