#include "issuing/countersign_identity.h"

#include <filesystem>

namespace zhiping::issuing {
namespace {

namespace fs = std::filesystem;

// DIR/name when it exists, else "".
std::string IfThere(const std::string& dir, const char* name) {
  fs::path p = fs::path(dir) / name;
  std::error_code ec;
  return fs::exists(p, ec) ? p.string() : "";
}

}  // namespace

sign::SignerConfig CountersignSignerConfig(const std::string& dir, const sign::SignerConfig& base) {
  sign::SignerConfig c;
  c.key_path = IfThere(dir, "key.pem");
  c.cert_path = IfThere(dir, "cert.pem");
  c.chain_path = IfThere(dir, "chain.pem");
  c.dev_identity_dir = (fs::path(dir) / "dev-identity").string();
  c.use_environment = false;
  c.seal_image = IfThere(dir, "seal.png");
  if (c.seal_image.empty()) c.seal_image = IfThere(dir, "seal.jpg");
  c.seal_image_setting = c.seal_image.empty() ? "" : c.seal_image;
  c.tsa_url = base.tsa_url;
  c.tsa_ca_path = base.tsa_ca_path;
  c.fonts = base.fonts;
  c.archival = base.archival;
  return c;
}

seal::SealConfig CountersignSealConfig(const std::string& dir) {
  seal::SealConfig c;
  c.key_path = IfThere(dir, "seal-key.pem");
  c.cert_path = IfThere(dir, "seal-cert.pem");
  c.seal_path = IfThere(dir, "seal.esl");
  c.chain_path = IfThere(dir, "seal-chain.pem");
  c.dev_dir = (fs::path(dir) / "dev-seal").string();
  c.use_environment = false;
  return c;
}

}  // namespace zhiping::issuing
