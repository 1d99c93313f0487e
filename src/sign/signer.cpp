#include "sign/signer.h"

#include <ctime>

#include "common/error.h"
#include "sign/cms_builder.h"
#include "sign/identity.h"
#include "sign/pdf_signature.h"

namespace zhiping::sign {
namespace {

// Room for the DER CMS in /Contents. B-B with an RSA-3072 chain is about 3 KB and B-T about 5 KB; the rest is
// headroom for longer chains. Zero padding after the DER is harmless to every verifier.
const size_t kReservedSignatureBytes = 16 * 1024;

class PadesSigner : public Signer {
 public:
  PadesSigner(std::unique_ptr<Identity> identity, TsaEndpoint tsa)
      : identity_(std::move(identity)),
        tsa_(std::move(tsa)),
        subject_(CertSubject(identity_->cert.get())),
        fingerprint_(CertFingerprint(identity_->cert.get())) {}

  bool is_development() const override { return identity_->development; }
  std::string subject() const override { return subject_; }
  std::string ca_certificate_path() const override { return identity_->dev_ca_path; }
  std::string certificate_sha256() const override { return fingerprint_; }

  std::string Sign(const std::string& pdf, const SignRequest& request) const override {
    std::time_t now = std::time(nullptr);
    PreparedPdf prepared =
        PrepareSignatureUpdate(pdf, request, Look(now), PdfDateUtc(now), kReservedSignatureBytes);
    std::string der = BuildCadesSignedData(*identity_, DigestOfSignedRanges(prepared), tsa_);
    EmbedSignature(prepared, der);
    return std::move(prepared.bytes);
  }

 private:
  SignatureLook Look(std::time_t now) const {
    std::tm tm{};
    gmtime_r(&now, &tm);
    char when[40];
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    SignatureLook look;
    look.lines.push_back("Digitally signed by " + subject_);
    look.lines.push_back(std::string("Date: ") + when);
    // 95 characters do not fit a signature box on one line; split the colon form after 16 bytes.
    look.lines.push_back("SHA-256 " + fingerprint_.substr(0, 48));
    look.lines.push_back("        " + fingerprint_.substr(48));
    if (identity_->development) look.lines.push_back("DEVELOPMENT IDENTITY - NOT AN OFFICIAL SIGNATURE");
    return look;
  }

  const std::unique_ptr<Identity> identity_;  // read-only after construction: shared by concurrent Sign() calls
  const TsaEndpoint tsa_;
  const std::string subject_;
  const std::string fingerprint_;
};

}  // namespace

std::unique_ptr<Signer> Signer::Create(const SignerConfig& config) {
  return std::make_unique<PadesSigner>(LoadIdentity(config), TsaEndpoint{config.tsa_url, config.tsa_ca_path});
}

}  // namespace zhiping::sign
