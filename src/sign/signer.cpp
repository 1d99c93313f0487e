#include "sign/signer.h"

#include <cstdlib>
#include <filesystem>
#include <ctime>
#include <mutex>

#include "common/durable_file.h"
#include "common/error.h"
#include "common/messages.h"
#include "fonts/font_set.h"
#include "sign/dev_seal_picture.h"
#include "pdf/pdfa.h"
#include "sign/cms_builder.h"
#include "sign/identity.h"
#include "sign/pdf_signature.h"
#include "sign/seal_image.h"

namespace zhiping::sign {
namespace {

// Room for the DER CMS in /Contents, measured for the identity (ReservedDerBytes). Every reserved byte is two hex
// digits in every signed PDF, its archive copy and the run's zip: a fixed 16 KiB was 32 KB of a 115 KB letter
// for a ~1.5 KB signature. Zero padding after the DER is harmless to every verifier.
// Headroom over the measured signature: an ECDSA value's DER length moves by a few bytes between signatures.
constexpr size_t kSignatureHeadroomBytes = 1024;
// A timestamp token (B-T) carries the TSA's signature and usually its certificates: 3–8 KB seen; its size is
// unknown until the TSA answers, so the room is generous.
constexpr size_t kTimestampTokenRoomBytes = 16 * 1024;

// This identity's CMS over a dummy digest is as long as every real one (the signed attributes are fixed-length:
// no signing time in PAdES), so it sizes the room: plus headroom, plus a token's room with a TSA, whole KiB.
size_t ReservedDerBytes(const Identity& identity, const TsaEndpoint& tsa) {
  const size_t own = BuildCadesSignedData(identity, std::string(32, '\0'), TsaEndpoint{}).size();
  const size_t room = own + kSignatureHeadroomBytes + (tsa.url.empty() ? 0 : kTimestampTokenRoomBytes);
  return (room + 1023) / 1024 * 1024;
}

// 42 mm at 300 dpi, about: sharp in print, small enough to compress once in a few milliseconds.
constexpr int kDevSealPixels = 480;

std::string DevSealPath(const SignerConfig& config) {
  return (std::filesystem::path(config.dev_identity_dir) / "seal.png").string();
}

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// "CN=Test Signing Office" / "O=…,CN=浙江省…" -> the CN's value (the whole subject when it has none).
std::string CommonName(const std::string& subject) {
  size_t cn = subject.rfind("CN=");
  if (cn == std::string::npos) return subject;
  size_t end = subject.find(',', cn);
  return subject.substr(cn + 3, end == std::string::npos ? std::string::npos : end - cn - 3);
}

class PadesSigner : public Signer {
 public:
  PadesSigner(std::unique_ptr<Identity> identity, TsaEndpoint tsa, const SignerConfig& config)
      : identity_(std::move(identity)),
        tsa_(std::move(tsa)),
        subject_(CertSubject(identity_->cert.get())),
        fingerprint_(CertFingerprint(identity_->cert.get())),
        fonts_provider_(config.fonts),
        dev_seal_path_(identity_->development ? DevSealPath(config) : ""),
        archival_(config.archival),
        reserved_der_bytes_(ReservedDerBytes(*identity_, tsa_)) {
    pdf::SrgbProfile();  // a missing profile stops the start, naming the file
    std::string seal = config.seal_image, setting = config.seal_image_setting;
    if (seal.empty() && config.use_environment && !Env("ZHIPING_SEAL_IMAGE").empty()) {
      seal = Env("ZHIPING_SEAL_IMAGE");
      setting = "ZHIPING_SEAL_IMAGE";
    }
    if (!seal.empty()) seal_ = std::make_unique<SealPicture>(LoadSealPicture(seal, setting));
  }

  bool is_development() const override { return identity_->development; }
  std::string subject() const override { return subject_; }
  std::string ca_certificate_path() const override { return identity_->dev_ca_path; }
  std::string certificate_sha256() const override { return fingerprint_; }

  std::string Sign(const std::string& pdf, const SignRequest& request) const override {
    const std::time_t now = request.date ? request.date : std::time(nullptr);
    SignatureLook look;
    if (request.appearance.visible) look = Look(now);
    PreparedPdf prepared =
        PrepareSignatureUpdate(pdf, request, look, pdf::PdfDateUtc(now), reserved_der_bytes_, archival_);
    std::string der = BuildCadesSignedData(*identity_, DigestOfSignedRanges(prepared), tsa_);
    EmbedSignature(prepared, der);
    return std::move(prepared.bytes);
  }

 private:
  // The faces, asked for once, on the first visible signature.
  void LoadFaces() const {
    std::call_once(faces_once_, [this] {
      if (!fonts_provider_) return;
      fonts_ = fonts_provider_();
      if (!fonts_) return;
      // The first face of the body roles that has every character the lines use.
      for (fonts::Role role : {fonts::Role::kSong, fonts::Role::kKai, fonts::Role::kHei, fonts::Role::kFangSong})
        for (const fonts::FontFace* face : fonts_->chain(role))
          if (!text_face_ && face->Has(U'签') && face->Has(U'开') && face->Has(U'1')) text_face_ = face;
      // The development identity without a configured seal: its 样章, drawn once into the identity's folder (a
      // bold face reads best) and read back like a configured seal.
      if (seal_ || dev_seal_path_.empty()) return;
      const fonts::FontFace* seal_face = DevelopmentSealFace(*fonts_);
      if (!seal_face) return;
      if (!std::filesystem::exists(dev_seal_path_))
        WriteFileDurably(dev_seal_path_, DrawDevelopmentSealPng(*seal_face, kDevSealPixels), 0644);
      seal_ = std::make_unique<SealPicture>(LoadSealPicture(dev_seal_path_, "development seal"));
    });
  }

  SignatureLook Look(std::time_t now) const {
    LoadFaces();  // no face: PrepareSignatureUpdate refuses the visible signature (after checking the request)
    std::tm tm{};
    gmtime_r(&now, &tm);
    char when[48];
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    SignatureLook look;
    look.face = text_face_;
    look.seal = seal_.get();
    look.lines.push_back("数字签名：" + CommonName(subject_));
    look.lines.push_back(std::string("时间：") + when);
    if (identity_->development) look.lines.push_back("开发用身份 非正式签名");
    return look;
  }

  const std::unique_ptr<Identity> identity_;  // read-only after construction: shared by concurrent Sign() calls
  const TsaEndpoint tsa_;
  const std::string subject_;
  const std::string fingerprint_;
  const std::function<std::shared_ptr<const fonts::FontSet>()> fonts_provider_;
  const std::string dev_seal_path_;  // development identity: <dev_identity_dir>/seal.png; "" otherwise
  const bool archival_;
  const size_t reserved_der_bytes_;  // room for the DER in /Contents (ReservedDerBytes)
  // The configured seal (checked at construction), or the development seal (set once under faces_once_).
  mutable std::unique_ptr<SealPicture> seal_;
  // Set once under faces_once_, read-only afterwards.
  mutable std::once_flag faces_once_;
  mutable std::shared_ptr<const fonts::FontSet> fonts_;
  mutable const fonts::FontFace* text_face_ = nullptr;
};

}  // namespace

std::unique_ptr<Signer> Signer::Create(const SignerConfig& config) {
  return std::make_unique<PadesSigner>(LoadIdentity(config), TsaEndpoint{config.tsa_url, config.tsa_ca_path},
                                       config);
}

std::string Signer::Countersign(const std::string& pdf, const SignRequest& request) const {
  // The certificates are read from every signature dictionary, valid or not: a damaged earlier signature is
  // no reason to sign twice. The trust store is not consulted for this question (an empty list of CA files
  // would mean the system's; the answer does not depend on it).
  const std::string mine = certificate_sha256();
  for (const SignatureReport& r : VerifyPdf(pdf, {}))
    if (r.signer_certificate_sha256 == mine)
      throw Error(ErrorKind::kConflict,
                  RenderMessage(Msg::kCountersignAlreadySigned, {subject() + " (" + mine + ")"}, ProcessLanguage()));
  return Sign(pdf, request);
}

}  // namespace zhiping::sign
