// sign/signer.h — PAdES signatures on finished PDFs (PoDoFo 0.9.8 + OpenSSL 3).
//
// Contract of this stage: a complete, valid PDF in; the same document with one more signature (an incremental
// update) out. It never changes page content. The same revision makes the file PDF/A-2b (pdf/pdfa.h): XMP
// metadata, an sRGB output intent, Info title/author/dates, a trailer /ID, a PDF/A-legal widget. B-B by default (ETSI.CAdES.detached, signing-certificate-v2, no
// signing-time attribute, chain included); B-T when a time-stamp authority URL is configured.
#pragma once

#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace zhiping::fonts {
class FontSet;
}

namespace zhiping::sign {

struct SignerConfig {
  // PEM files. Empty: take ZHIPING_SIGN_KEY / ZHIPING_SIGN_CERT / ZHIPING_SIGN_CHAIN; none of those either: use (and
  // on first use make) the development identity in `dev_identity_dir`.
  std::string key_path, cert_path, chain_path;
  std::string dev_identity_dir;  // e.g. "<archive>/../.zhiping/dev-identity"
  // false: the ZHIPING_SIGN_* and ZHIPING_SEAL_IMAGE variables are not read (a countersigning organ's identity:
  // the environment names the issuing organ's).
  bool use_environment = true;
  std::string tsa_url;           // RFC 3161 time-stamp authority, http:// or https://; empty = B-B only
  std::string tsa_ca_path;       // PEM CA certificates trusted for an https:// TSA; empty = the system's store
  // The seal a visible signature draws (PNG with transparency, or JPEG; sign/seal_image.h checks it when the signer
  // is created). Empty: $ZHIPING_SEAL_IMAGE; none either: the development identity draws its 样章 seal
  // (dev_seal_picture.h, made once as seal.png in dev_identity_dir), a configured identity draws no picture.
  std::string seal_image;
  std::string seal_image_setting = "sign.seal_image";  // how errors name the setting (the CLI names its option)
  // The faces for a visible signature's text and the development seal, asked for on the first visible signature
  // (the CLI loads fonts on demand). Unset: visible signatures throw kInternal.
  std::function<std::shared_ptr<const fonts::FontSet>()> fonts;
  // false: no PDF/A parts (XMP, output intent, Info dates) — benchmarks only, to show what they cost.
  bool archival = true;
};

struct Appearance {
  bool visible = false;
  int page = 0;                      // 0-based
  double x = 0, y = 0, w = 0, h = 0; // PDF points, origin bottom-left
};

struct SignRequest {
  std::string reason;    // "评审结果通知书"
  std::string location;  // office name
  Appearance appearance;
  // PDF/A-2b metadata written in the signature's revision (docs/pdfa.md): Info /Title and dc:title (empty: keep the
  // PDF's own title, if any); Info /Author and dc:creator (empty: `location`); Info /CreationDate and /ModDate,
  // xmp:CreateDate and xmp:ModifyDate = the signing time (`date`; 0: now), which is also /M.
  std::string title;
  std::string author;
  std::time_t date = 0;
};

class Signer {
 public:
  static std::unique_ptr<Signer> Create(const SignerConfig& config);
  virtual ~Signer() = default;

  virtual bool is_development() const = 0;  // true for the made-on-first-use identity: commands must say so
  virtual std::string subject() const = 0;  // signer certificate subject, for logs and appearances
  virtual std::string ca_certificate_path() const = 0;  // development CA (trust it in tests); "" otherwise
  virtual std::string certificate_sha256() const = 0;   // "AB:CD:…" fingerprint of the signer certificate

  // Thread-safe. Throws zhiping::Error on a PDF it cannot sign.
  virtual std::string Sign(const std::string& pdf, const SignRequest& request) const = 0;

  // A countersignature: a second organ's signature on a PDF another organ signed already — Sign() itself (one
  // more incremental update: its own field and widget, PAdES over the whole file, the PDF/A parts written again
  // for the new revision), so every earlier signature keeps covering the bytes it signed and stays valid.
  // Refused (kConflict) when a signature in the file is already by this signer's certificate (compared by
  // fingerprint): one organ signs a document once. Thread-safe.
  std::string Countersign(const std::string& pdf, const SignRequest& request) const;
};

struct SignatureReport {
  bool digest_valid = false;     // the signed byte ranges hash to the signed digest and the CMS signature verifies
  bool trusted = false;          // chains to one of the trusted CA files given
  bool covers_whole_file = false;
  std::string signer;            // certificate subject
  std::string signer_certificate_sha256;  // "AB:CD:…" (Signer::certificate_sha256's form); "" when unreadable
  std::string sub_filter;        // "ETSI.CAdES.detached"
  std::string signing_time;      // /M
  bool has_timestamp = false;    // an RFC 3161 token over this signature, its own signature intact (TSA trust unjudged)
  std::string problem;           // why not valid, in words
};

std::vector<SignatureReport> VerifyPdf(const std::string& pdf, const std::vector<std::string>& trusted_ca_files);

}  // namespace zhiping::sign
