#include "sign/identity.h"

#include <openssl/pem.h>

#include <cstdlib>

#include "common/json.h"
#include "sign/dev_identity.h"

namespace zhiping::sign {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

EvpPkeyPtr ReadKey(const std::string& path) {
  std::string pem = ReadFile(path);
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) ThrowOpenSsl(ErrorKind::kInvalidInput, path + ": not an unencrypted PEM private key");
  return key;
}

}  // namespace

std::unique_ptr<Identity> LoadIdentity(const SignerConfig& config) {
  std::string key_path = config.key_path, cert_path = config.cert_path, chain_path = config.chain_path;
  if (config.use_environment && key_path.empty() && cert_path.empty()) {
    key_path = Env("ZHIPING_SIGN_KEY");
    cert_path = Env("ZHIPING_SIGN_CERT");
    if (chain_path.empty()) chain_path = Env("ZHIPING_SIGN_CHAIN");
  }
  auto identity = std::make_unique<Identity>();
  if (key_path.empty() && cert_path.empty()) {
    DevIdentityFiles files = EnsureDevIdentity(config.dev_identity_dir);
    key_path = files.key;
    cert_path = files.cert;
    chain_path = files.ca_cert;
    identity->development = true;
    identity->dev_ca_path = files.ca_cert;
  } else if (key_path.empty() || cert_path.empty()) {
    throw Error(ErrorKind::kInvalidInput, "signing identity needs both a key and a certificate (got only the " +
                                              std::string(key_path.empty() ? "certificate" : "key") + ")");
  }

  identity->key = ReadKey(key_path);
  X509StackPtr certs = ReadPemCertificates(ReadFile(cert_path), cert_path);
  identity->cert.reset(sk_X509_shift(certs.get()));
  // A certificate file may carry its chain after the leaf; the chain file adds to it.
  identity->chain = std::move(certs);
  if (!chain_path.empty()) {
    X509StackPtr chain = ReadPemCertificates(ReadFile(chain_path), chain_path);
    while (sk_X509_num(chain.get()) > 0) sk_X509_push(identity->chain.get(), sk_X509_shift(chain.get()));
  }
  if (X509_check_private_key(identity->cert.get(), identity->key.get()) != 1)
    ThrowOpenSsl(ErrorKind::kInvalidInput, key_path + " does not belong to the certificate in " + cert_path);
  return identity;
}

}  // namespace zhiping::sign
