#include "seal/seal_identity.h"

#include <openssl/pem.h>

#include <cstdlib>

#include "common/json.h"
#include "common/messages.h"
#include "image/decode.h"
#include "seal/dev_seal.h"
#include "seal/sm2.h"
#include "seal/utc_text.h"

namespace zhiping::seal {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

[[noreturn]] void Refuse(Msg msg, std::vector<MessageArg> args) {
  throw Error(ErrorKind::kInvalidInput, RenderMessage(msg, args, ProcessLanguage()));
}

std::string Day(std::time_t t) { return UtcText(t, "%Y-%m-%d"); }

std::string Day(const ASN1_TIME* t) {
  std::tm tm{};
  return ASN1_TIME_to_tm(t, &tm) == 1 ? Day(timegm(&tm)) : "?";
}

sign::EvpPkeyPtr ReadKey(const std::string& path, const std::string& setting) {
  std::string pem = ReadFile(path);
  sign::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  sign::EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  sign::OpenSslErrors();
  if (!key || !IsSm2Key(key.get())) Refuse(Msg::kSealKeyNotSm2, {setting});
  return key;
}

}  // namespace

std::string SealPictureProblem(const std::string& picture, const std::string& setting) {
  if (!image::SniffFormat(picture)) return RenderMessage(Msg::kSealPictureType, {setting}, ProcessLanguage());
  if (picture.size() > kMaxSealPictureBytes)
    return RenderMessage(Msg::kSealPictureTooLarge, {setting, picture.size(), kMaxSealPictureBytes}, ProcessLanguage());
  image::ImageHeader header;
  if (!image::ReadImageHeader(picture, &header).empty() || header.width < kMinSealPicturePixels ||
      header.height < kMinSealPicturePixels || header.width > kMaxSealPicturePixels ||
      header.height > kMaxSealPicturePixels)
    return RenderMessage(Msg::kSealPictureSize,
                         {setting, header.width, header.height, kMinSealPicturePixels, kMaxSealPicturePixels},
                         ProcessLanguage());
  return "";
}

std::string SealPictureType(const std::string& picture) {
  const char* format = image::SniffFormat(picture);
  return format && std::string(format) == "JPEG" ? "jpg" : "png";
}

std::unique_ptr<SealIdentity> LoadSealIdentity(const SealConfig& config, std::time_t now) {
  std::string key_path = config.key_path, cert_path = config.cert_path, seal_path = config.seal_path,
              chain_path = config.chain_path;
  std::string key_setting = "seal.key", cert_setting = "seal.cert", seal_setting = "seal.file";
  if (config.use_environment && key_path.empty() && cert_path.empty() && seal_path.empty()) {
    key_path = Env("ZHIPING_SEAL_KEY");
    cert_path = Env("ZHIPING_SEAL_CERT");
    seal_path = Env("ZHIPING_SEAL_FILE");
    if (chain_path.empty()) chain_path = Env("ZHIPING_SEAL_CHAIN");
    if (!key_path.empty() || !cert_path.empty() || !seal_path.empty()) {
      key_setting = "ZHIPING_SEAL_KEY";
      cert_setting = "ZHIPING_SEAL_CERT";
      seal_setting = "ZHIPING_SEAL_FILE";
    }
  }
  auto identity = std::make_unique<SealIdentity>();
  if (key_path.empty() && cert_path.empty() && seal_path.empty()) {
    DevSealFiles files = EnsureDevSeal(config.dev_dir, config.dev_picture, now);
    key_path = files.key;
    cert_path = files.cert;
    seal_path = files.seal;
    chain_path = files.maker_cert;
    identity->development = true;
    identity->dev_ca_path = files.ca_cert;
  } else if (key_path.empty() || cert_path.empty() || seal_path.empty()) {
    Refuse(Msg::kSealIncomplete, {key_path.empty() ? key_setting : cert_path.empty() ? cert_setting : seal_setting});
  }
  const std::string key_name = key_setting + " (" + key_path + ")";
  const std::string cert_name = cert_setting + " (" + cert_path + ")";
  const std::string seal_name = seal_setting + " (" + seal_path + ")";

  identity->key = ReadKey(key_path, key_name);
  sign::X509StackPtr certs = sign::ReadPemCertificates(ReadFile(cert_path), cert_path);
  identity->cert.reset(sk_X509_shift(certs.get()));
  identity->chain = std::move(certs);
  if (!chain_path.empty()) {
    sign::X509StackPtr chain = sign::ReadPemCertificates(ReadFile(chain_path), chain_path);
    while (sk_X509_num(chain.get()) > 0) sk_X509_push(identity->chain.get(), sk_X509_shift(chain.get()));
  }
  if (X509_check_private_key(identity->cert.get(), identity->key.get()) != 1) {
    sign::OpenSslErrors();
    Refuse(Msg::kSealCertMismatch, {cert_name, key_name});
  }
  const ASN1_TIME* not_before = X509_get0_notBefore(identity->cert.get());
  const ASN1_TIME* not_after = X509_get0_notAfter(identity->cert.get());
  if (X509_cmp_time(not_before, &now) > 0 || X509_cmp_time(not_after, &now) < 0)
    Refuse(Msg::kSealCertNotValid, {cert_name, Day(not_before), Day(not_after)});
  identity->cert_der = sign::CertDer(identity->cert.get());

  try {
    identity->seal = DecodeSeal(ReadFile(seal_path));
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kInvalidInput) throw;
    Refuse(Msg::kSealFileInvalid, {seal_name, e.what()});
  }
  const SealInfo& info = identity->seal.info;
  if (now < info.valid_start || now > info.valid_end)
    Refuse(Msg::kSealNotValidNow, {seal_name, Day(info.valid_start), Day(info.valid_end)});
  if (std::string problem = SealPictureProblem(info.picture.data, seal_name); !problem.empty())
    throw Error(ErrorKind::kInvalidInput, problem);
  if (!info.signer_certs.empty()) {
    bool listed = false;
    for (const std::string& der : info.signer_certs) listed = listed || der == identity->cert_der;
    if (!listed) Refuse(Msg::kSealCertNotListed, {cert_name, info.es_id});
  }
  return identity;
}

}  // namespace zhiping::seal
