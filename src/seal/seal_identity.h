// seal/seal_identity.h — who seals an OFD: an SM2 private key, its certificate, the seal (SESeal v4, an `.esl`
// file a seal maker issued for that certificate) and the certificates that lead to a trust anchor.
//
// Resolution order (docs/seal.md): SealConfig paths (service config seal.key, seal.cert, seal.file, seal.chain),
// then ZHIPING_SEAL_KEY / _CERT / _FILE / _CHAIN, then the development seal (dev_seal.h) in SealConfig::dev_dir.
// Loading checks everything a seal needs, so a bad configuration fails at start-up with a sentence naming the
// setting (common/message_catalog.h kSeal*): a key that is not SM2, a certificate that does not match the key or
// is not valid now, a seal file that does not decode or is not valid now, a certificate the seal does not list,
// a seal picture that is not PNG/JPEG, too large or of the wrong size.
//
// A SealIdentity is immutable after loading; one instance may be shared read-only by concurrent Seal() calls.
// Errors: zhiping::Error kNotFound for unreadable files, kInvalidInput for the checks above (rendered in the
// process language), kUnavailable when the development seal cannot be written.
#pragma once

#include <ctime>
#include <memory>
#include <string>

#include "seal/ses.h"
#include "sign/openssl_util.h"

namespace zhiping::seal {

constexpr size_t kMaxSealPictureBytes = 512 * 1024;
constexpr int kMinSealPicturePixels = 64, kMaxSealPicturePixels = 4096;

struct SealConfig {
  std::string key_path, cert_path, seal_path, chain_path;
  std::string dev_dir;          // where the development seal lives (made there on first use)
  std::string dev_picture;      // PNG/JPEG of the development seal's face; used only when it is made
  bool use_environment = true;  // false: ZHIPING_SEAL_* are not read (a countersigning organ's seal)
};

struct SealIdentity {
  sign::EvpPkeyPtr key;
  sign::X509Ptr cert;
  std::string cert_der;
  SESeal seal;                  // decoded; seal.der is what goes into the package
  sign::X509StackPtr chain;     // the maker's certificate, intermediates, roots (may be empty)
  bool development = false;
  std::string dev_ca_path;      // the development CA certificate, "" for a configured seal
};

std::unique_ptr<SealIdentity> LoadSealIdentity(const SealConfig& config, std::time_t now);

// "" when `picture` is a PNG or JPEG within the caps; else the sentence (kSealPicture*) naming `setting`.
std::string SealPictureProblem(const std::string& picture, const std::string& setting);
// "png" or "jpg" for the SES picture type (call after SealPictureProblem returned "").
std::string SealPictureType(const std::string& picture);

}  // namespace zhiping::seal
