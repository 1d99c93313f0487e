#include "seal/dev_seal.h"

#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/durable_file.h"
#include "common/error.h"
#include "seal/seal_identity.h"
#include "seal/ses.h"
#include "seal/sm2.h"

namespace fs = std::filesystem;

namespace zhiping::seal {
namespace {

using sign::EvpPkeyPtr;
using sign::X509Ptr;

const char kCaName[] = "zhiping DEVELOPMENT SM2 CA \xE2\x80\x94 \xE5\xBC\x80\xE5\x8F\x91\xE7\x94\xA8";  // — 开发用
const char kMakerName[] = "zhiping DEVELOPMENT seal maker (\xE5\xBC\x80\xE5\x8F\x91\xE7\x94\xA8)";     // 开发用
const char kSignerName[] = "zhiping DEVELOPMENT seal signer (not a real office)";
const char kSealName[] = "\xE5\xBC\x80\xE5\x8F\x91\xE7\x94\xA8\xE5\x8D\xB0\xE7\xAB\xA0 DEVELOPMENT";  // 开发用印章
constexpr long kDays = 825;

const char kReadme[] =
    "This directory holds a DEVELOPMENT electronic seal (GB/T 38540, SM2/SM3) made by zhiping on first use.\n"
    "\n"
    "It exists so that OFD drafts and tests can be sealed without a real seal. OFDs sealed with it are NOT\n"
    "official: the CA (dev-sm2-ca.pem, \"zhiping DEVELOPMENT SM2 CA\") and the seal maker were made on this\n"
    "machine and nobody else trusts them; the seal's name says DEVELOPMENT and its picture is a specimen.\n"
    "For real issuing, configure the office's seal (seal.key, seal.cert, seal.file, seal.chain or\n"
    "ZHIPING_SEAL_KEY, ZHIPING_SEAL_CERT, ZHIPING_SEAL_FILE, ZHIPING_SEAL_CHAIN); see docs/seal.md.\n"
    "\n"
    "Files: dev-sm2-ca.pem (CA certificate; trust it only in test setups), maker.pem (seal maker certificate),\n"
    "signer.key (SM2 private key, mode 0600), signer.pem (signer certificate), seal.esl (the SESeal, DER).\n";

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext || !X509_add_ext(cert, ext, -1)) sign::ThrowOpenSsl(ErrorKind::kInternal, "cannot add an extension");
  X509_EXTENSION_free(ext);
}

// An SM2 certificate for `key` named `cn`, signed by issuer_key (self-signed when issuer is null).
X509Ptr MakeCert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key, std::time_t now, bool ca) {
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_time_adj_ex(X509_getm_notBefore(cert.get()), 0, -3600, &now);  // an hour of slack for clocks
  X509_time_adj_ex(X509_getm_notAfter(cert.get()), ca ? 3650 : kDays, 0, &now);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("zhiping DEVELOPMENT"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509* issuer_cert = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_cert));
  AddExtension(cert.get(), issuer_cert, NID_subject_key_identifier, "hash");
  AddExtension(cert.get(), issuer_cert, NID_authority_key_identifier, "keyid");
  AddExtension(cert.get(), issuer_cert, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  AddExtension(cert.get(), issuer_cert, NID_key_usage,
               ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,nonRepudiation");
  SignCertificateSm2(cert.get(), issuer_key);
  return cert;
}

void WriteFile(const fs::path& path, const std::string& bytes, mode_t mode) {
  try {
    WriteNewFileSynced(path.string(), bytes, mode);
  } catch (const Error& e) {
    throw Error(ErrorKind::kUnavailable, e.what());
  }
}

DevSealFiles FilesIn(const fs::path& dir) {
  return {(dir / "dev-sm2-ca.pem").string(), (dir / "maker.pem").string(), (dir / "signer.key").string(),
          (dir / "signer.pem").string(), (dir / "seal.esl").string()};
}

// The SESeal: the maker's signature over the seal info, its certificate and the algorithm (ses.h).
std::string MakeSeal(X509* maker, EVP_PKEY* maker_key, X509* signer, const std::string& picture, std::time_t now) {
  SealInfo info;
  info.vid = "zhiping";
  unsigned char id[6];
  RAND_bytes(id, sizeof id);
  info.es_id = "DEVELOPMENT-" + sign::HexEncode(std::string(reinterpret_cast<char*>(id), sizeof id), true);
  info.type = 1;
  info.name = kSealName;
  info.signer_certs.push_back(sign::CertDer(signer));
  info.create_date = now;
  info.valid_start = now - 3600;
  info.valid_end = now + kDays * 24 * 3600;
  info.picture.type = SealPictureType(picture);
  info.picture.data = picture;
  info.picture.width_mm = info.picture.height_mm = 42;  // GB/T 9704 §7.3.5: an office seal is about 42 mm
  std::string info_der = EncodeSealInfo(info);
  std::string maker_der = sign::CertDer(maker);
  std::string signed_value = Sm2Sign(maker_key, MakerSignedBytes(info_der, maker_der, kOidSm2WithSm3));
  return EncodeSeal(info_der, maker_der, kOidSm2WithSm3, signed_value);
}

}  // namespace

DevSealFiles EnsureDevSeal(const std::string& dir_text, const std::string& picture, std::time_t now) {
  if (dir_text.empty()) throw Error(ErrorKind::kUnavailable, "no seal configured and no development seal directory");
  fs::path dir(dir_text);
  if (fs::exists(dir / "seal.esl")) return FilesIn(dir);
  if (std::string problem = SealPictureProblem(picture, "the development seal"); !problem.empty())
    throw Error(ErrorKind::kInvalidInput, problem);

  PublishDirectoryOnce(dir.string(), "seal.esl", [&](const std::string& tmp_text) {
    const fs::path tmp(tmp_text);
    EvpPkeyPtr ca_key = NewSm2Key(), maker_key = NewSm2Key(), key = NewSm2Key();
    X509Ptr ca = MakeCert(ca_key.get(), kCaName, nullptr, ca_key.get(), now, true);
    X509Ptr maker = MakeCert(maker_key.get(), kMakerName, ca.get(), ca_key.get(), now, false);
    X509Ptr cert = MakeCert(key.get(), kSignerName, ca.get(), ca_key.get(), now, false);
    WriteFile(tmp / "dev-sm2-ca.pem", sign::CertPem(ca.get()), 0644);
    WriteFile(tmp / "maker.pem", sign::CertPem(maker.get()), 0644);
    WriteFile(tmp / "signer.key", sign::PrivateKeyPem(key.get()), 0600);
    WriteFile(tmp / "signer.pem", sign::CertPem(cert.get()), 0644);
    WriteFile(tmp / "seal.esl", MakeSeal(maker.get(), maker_key.get(), cert.get(), picture, now), 0644);
    WriteFile(tmp / "README.txt", kReadme, 0644);
  });
  return FilesIn(dir);
}

}  // namespace zhiping::seal
