// issuing/countersign_identity.h — a countersigning organ's identity, kept in one folder.
//
// A jointly issued document (联合行文) is signed by its lead organ at issue (IssuerConfig::signer and ::seal) and
// by each further organ later (Issuer::Countersign). Such an organ's identity is a folder (docs/signing.md
// "Countersigning"):
//   key.pem, cert.pem [, chain.pem]          its PAdES signing key and certificate (and the chain to send)
//   seal.png or seal.jpg                     the seal picture its visible signature draws (optional)
//   seal-key.pem, seal-cert.pem, seal.esl [, seal-chain.pem]   its GB/T 38540 seal for OFD (optional)
// A folder without key.pem and cert.pem gets a development identity, made on first use in DIR/dev-identity
// (sign/dev_identity.h; it draws the 样章 development seal), and one without the OFD seal files a development
// seal in DIR/dev-seal (seal/dev_seal.h): clearly marked, never official. The issuing organ's ZHIPING_SIGN_*,
// ZHIPING_SEAL_* and ZHIPING_SEAL_IMAGE variables are never read for it. Pure functions of the folder's contents.
#pragma once

#include <string>

#include "seal/seal_identity.h"
#include "sign/signer.h"

namespace zhiping::issuing {

// `base` gives what is not the organ's own (time-stamp authority, fonts, PDF/A); the paths come from `dir`.
sign::SignerConfig CountersignSignerConfig(const std::string& dir, const sign::SignerConfig& base);
seal::SealConfig CountersignSealConfig(const std::string& dir);

}  // namespace zhiping::issuing
