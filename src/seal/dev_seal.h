// seal/dev_seal.h — the development electronic seal, made on first use (like sign/dev_identity.h for PAdES).
//
// When no seal is configured, OFDs are sealed with a throwaway SM2 identity: a CA "zhiping DEVELOPMENT SM2 CA",
// under it a seal maker certificate and a signer certificate (all SM2, signed with SM3 and the signer ID), and an
// SESeal v4 made and signed by the maker whose name says 开发用/DEVELOPMENT, carrying the picture the caller gives
// (a red "样章" specimen). The directory holds dev-sm2-ca.pem, maker.pem, signer.key (0600), signer.pem, seal.esl
// and README.txt; the CA and maker keys are not kept. It appears atomically (written into a private temporary
// directory, then renamed into place), so processes racing on first use share the one whose rename won.
//
// Errors: zhiping::Error kUnavailable when the directory cannot be written; kInvalidInput for an unusable picture.
#pragma once

#include <ctime>
#include <string>

namespace zhiping::seal {

struct DevSealFiles {
  std::string ca_cert, maker_cert, key, cert, seal;
};

// Makes the development seal in `dir` unless it is already there (then `picture` is not used); returns its
// file paths. `picture`: PNG or JPEG bytes of the seal's face; `now` starts the validity of what is made.
DevSealFiles EnsureDevSeal(const std::string& dir, const std::string& picture, std::time_t now);

}  // namespace zhiping::seal
