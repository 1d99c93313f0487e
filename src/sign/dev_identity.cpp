#include "sign/dev_identity.h"

#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/durable_file.h"
#include "common/error.h"
#include "sign/openssl_util.h"

namespace fs = std::filesystem;

namespace zhiping::sign {
namespace {

const char kCaName[] = "zhiping DEVELOPMENT CA \xE2\x80\x94 not for issuing";  // U+2014 em dash
const char kSignerName[] = "zhiping development signer (not a real office)";

const char kReadme[] =
    "This directory holds a DEVELOPMENT signing identity made by zhiping on first use.\n"
    "\n"
    "It exists so that drafts and tests can be signed without a real certificate. Documents signed with it\n"
    "are NOT official: the CA (dev-ca.pem, \"zhiping DEVELOPMENT CA - not for issuing\") was made on this machine\n"
    "and nobody else trusts it. For real issuing, configure the office's key and certificate\n"
    "(ZHIPING_SIGN_KEY, ZHIPING_SIGN_CERT, ZHIPING_SIGN_CHAIN or the configuration file); see docs/signing.md.\n"
    "\n"
    "Files: dev-ca.pem (CA certificate; trust it only in test setups), signer.key (private key, mode 0600),\n"
    "signer.pem (signing certificate issued by the development CA).\n";

EvpPkeyPtr NewKey() {
  EvpPkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) ThrowOpenSsl(ErrorKind::kInternal, "cannot generate development key");
  return key;
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext || !X509_add_ext(cert, ext, -1)) ThrowOpenSsl(ErrorKind::kInternal, "cannot add certificate extension");
  X509_EXTENSION_free(ext);
}

// A certificate for `key` named `cn`, signed by issuer_key (self-signed when issuer is null).
X509Ptr MakeCert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key, long days, bool ca) {
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;  // positive INTEGER
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);  // an hour of slack for clocks that disagree
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), days * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("zhiping development"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509* issuer_cert = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_cert));
  AddExtension(cert.get(), issuer_cert, NID_subject_key_identifier, "hash");
  AddExtension(cert.get(), issuer_cert, NID_authority_key_identifier, "keyid");
  if (ca) {
    AddExtension(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert.get(), issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExtension(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
    AddExtension(cert.get(), issuer_cert, NID_key_usage, "critical,digitalSignature,nonRepudiation");
    AddExtension(cert.get(), issuer_cert, NID_ext_key_usage, "emailProtection");
  }
  if (!X509_sign(cert.get(), issuer_key, EVP_sha256())) ThrowOpenSsl(ErrorKind::kInternal, "cannot sign certificate");
  return cert;
}

void WriteFile(const fs::path& path, const std::string& bytes, mode_t mode) {
  // O_EXCL + explicit mode: the key is never readable by others, not even for an instant. kUnavailable whatever
  // the reason, as this header promises for a directory that cannot be written.
  try {
    WriteNewFileSynced(path.string(), bytes, mode);
  } catch (const Error& e) {
    throw Error(ErrorKind::kUnavailable, e.what());
  }
}

DevIdentityFiles FilesIn(const fs::path& dir) {
  return {(dir / "dev-ca.pem").string(), (dir / "signer.key").string(), (dir / "signer.pem").string()};
}

}  // namespace

DevIdentityFiles EnsureDevIdentity(const std::string& dir_text) {
  if (dir_text.empty()) throw Error(ErrorKind::kUnavailable, "no signing identity configured and no dev_identity_dir");
  fs::path dir(dir_text);
  if (fs::exists(dir / "signer.pem")) return FilesIn(dir);

  PublishDirectoryOnce(dir.string(), "signer.pem", [](const std::string& tmp_text) {
    const fs::path tmp(tmp_text);
    EvpPkeyPtr ca_key = NewKey();
    X509Ptr ca = MakeCert(ca_key.get(), kCaName, nullptr, ca_key.get(), 3650, true);
    EvpPkeyPtr key = NewKey();
    X509Ptr cert = MakeCert(key.get(), kSignerName, ca.get(), ca_key.get(), 825, false);
    // The CA key is deliberately not kept: nothing else should ever be issued under the development CA.
    WriteFile(tmp / "dev-ca.pem", CertPem(ca.get()), 0644);
    WriteFile(tmp / "signer.key", PrivateKeyPem(key.get()), 0600);
    WriteFile(tmp / "signer.pem", CertPem(cert.get()), 0644);
    WriteFile(tmp / "README.txt", kReadme, 0644);
  });
  return FilesIn(dir);
}

}  // namespace zhiping::sign
