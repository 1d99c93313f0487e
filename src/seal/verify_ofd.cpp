#include "seal/verify_ofd.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <map>
#include <set>

#include "common/error.h"
#include "ofd/package.h"
#include "seal/ofd_xml.h"
#include "seal/ses.h"
#include "seal/sm2.h"
#include "seal/utc_text.h"
#include "sign/openssl_util.h"

namespace zhiping::seal {
namespace {

constexpr size_t kMaxListXml = 1u << 20;       // OFD.xml, Signatures.xml
constexpr size_t kMaxSignatureXml = 8u << 20;  // Signature.xml: a Reference per file, ~150 bytes each
constexpr size_t kMaxSeals = 64;

std::string Day(std::time_t t) { return UtcText(t, "%Y-%m-%d"); }

// Certificates signed with SM2 are checked with the signer ID (seal/sm2.h); others are left as they are (setting
// an ID on an RSA certificate would make OpenSSL refuse it).
void PrepareCert(X509* cert) {
  if (X509_get_signature_nid(cert) == NID_SM2_with_SM3) SetCertificateSm2Id(cert);
}

sign::X509Ptr ParseCert(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  sign::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  sign::OpenSslErrors();
  if (cert && p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) cert.reset();
  return cert;
}

class TrustStore {
 public:
  explicit TrustStore(const std::vector<std::string>& pems) : store_(X509_STORE_new()) {
    if (pems.empty()) {
      X509_STORE_set_default_paths(store_.get());
      return;
    }
    for (const std::string& pem : pems) {
      sign::X509StackPtr certs = sign::ReadPemCertificates(pem, "trust anchor");
      for (int i = 0; i < sk_X509_num(certs.get()); ++i) {
        PrepareCert(sk_X509_value(certs.get(), i));
        X509_STORE_add_cert(store_.get(), sk_X509_value(certs.get(), i));
      }
    }
  }
  // "" when `cert` chains to a trust anchor and the chain was valid at `when`; else OpenSSL's reason.
  std::string Check(X509* cert, std::time_t when) const {
    sign::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), store_.get(), cert, nullptr) != 1) return "cannot check the chain";
    X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), when);
    int ok = X509_verify_cert(ctx.get());
    std::string why = ok == 1 ? "" : X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
    sign::OpenSslErrors();
    return why;
  }

 private:
  sign::X509StorePtr store_;
};

const ofd::PackageFile& Need(const ofd::Package& package, const std::string& path, const std::string& from) {
  const ofd::PackageFile* file = path.empty() ? nullptr : package.Find(path);
  if (!file && path.empty()) throw Error(ErrorKind::kInvalidInput, from + " names a path outside the package");
  if (!file) throw Error(ErrorKind::kInvalidInput, from + " names " + path + ", which is not in the package");
  return *file;
}

// SM3 of each package file, computed once however many References (of however many seals) name it: a crafted
// Signature.xml naming one large file 100,000 times costs one digest, not 100,000.
class DigestCache {
 public:
  const std::string& Of(const ofd::PackageFile& file) {
    auto [it, added] = digests_.try_emplace(file.path);
    if (added) it->second = Sm3(file.bytes);
    return it->second;
  }

 private:
  std::map<std::string, std::string> digests_;
};

void CheckSeal(const ofd::Package& package, const TrustStore& trust, const std::set<std::string>& signature_parts,
               DigestCache& digests, OfdSealReport& report) {
  const std::string& path = report.signature_path;
  const ofd::PackageFile& xml_file = Need(package, path, "Signatures.xml");
  Poco::AutoPtr<Poco::XML::Document> doc = ParseOfdXml(xml_file.bytes, path, kMaxSignatureXml);
  Poco::XML::Element* root = doc->documentElement();
  Poco::XML::Element* info = ChildNamed(root, "SignedInfo");
  Poco::XML::Element* refs = ChildNamed(info, "References");
  if (!info || !refs) throw Error(ErrorKind::kInvalidInput, path + ": no SignedInfo/References");
  std::string method = refs->getAttribute("CheckMethod");
  if (method != kOidSm3 && method != "SM3" && method != "sm3")
    throw Error(ErrorKind::kInvalidInput, path + ": CheckMethod " + method + " is not SM3");

  std::set<std::string> covered;
  for (Poco::XML::Element* ref : ChildrenNamed(refs, "Reference")) {
    const std::string file_ref = ref->getAttribute("FileRef");
    const std::string target = ofd::ResolvePath(path, file_ref);
    if (target.empty()) {
      report.outside.push_back(file_ref);
      continue;
    }
    if (!covered.insert(target).second) continue;  // a file named twice is checked (and reported) once
    ++report.files_checked;
    const ofd::PackageFile* file = package.Find(target);
    if (!file) {
      report.missing.push_back(target);
      continue;
    }
    std::string expected = FromBase64(TrimmedText(ChildNamed(ref, "CheckValue")), path + " CheckValue of " + target);
    if (expected != digests.Of(*file)) report.changed.push_back(target);
  }
  const std::string value_path = ofd::ResolvePath(path, TrimmedText(ChildNamed(root, "SignedValue")));
  // A later seal's folder (Sign_1/ after Sign_0/'s seal) holds its own parts, which that seal covers: they were
  // added by sealing, not by changing the document. Files of this seal's own folder must be covered.
  const std::string own_folder = path.substr(0, path.rfind('/') + 1);
  auto in_other_seal_folder = [&](const std::string& file) {
    for (const std::string& part : signature_parts) {
      const std::string folder = part.substr(0, part.rfind('/') + 1);
      if (part.size() > 14 && part.compare(part.size() - 14, 14, "/Signature.xml") == 0 && folder != own_folder &&
          file.compare(0, folder.size(), folder) == 0)
        return true;
    }
    return false;
  };
  for (const ofd::PackageFile& file : package.files)
    if (!covered.count(file.path) && !signature_parts.count(file.path) && file.path != value_path &&
        !in_other_seal_folder(file.path))
      report.added.push_back(file.path);

  SesSignature sig = DecodeSignature(Need(package, value_path, path).bytes);
  const SESeal& seal = sig.tbs.seal;
  report.time = sig.tbs.time;
  report.seal_name = seal.info.name;
  report.seal_id = seal.info.es_id;
  report.development = seal.info.es_id.rfind("DEVELOPMENT", 0) == 0 ||
                       seal.info.name.find("DEVELOPMENT") != std::string::npos;
  report.signature_xml_matches = sig.tbs.data_hash == Sm3(xml_file.bytes);

  sign::X509Ptr signer = ParseCert(sig.signer_cert);
  sign::X509Ptr maker = ParseCert(seal.maker_cert);
  if (!signer) throw Error(ErrorKind::kInvalidInput, value_path + ": the signer's certificate is not X.509");
  if (!maker) throw Error(ErrorKind::kInvalidInput, value_path + ": the seal maker's certificate is not X.509");
  report.signer = sign::CertSubject(signer.get());
  PrepareCert(signer.get());
  PrepareCert(maker.get());
  EVP_PKEY* signer_key = X509_get0_pubkey(signer.get());
  EVP_PKEY* maker_key = X509_get0_pubkey(maker.get());
  report.signature_valid = sig.alg == kOidSm2WithSm3 && IsSm2Key(signer_key) &&
                           Sm2Verify(signer_key, sig.tbs_der, sig.signature);
  report.seal_signature_valid =
      seal.sign_alg == kOidSm2WithSm3 && IsSm2Key(maker_key) &&
      Sm2Verify(maker_key, MakerSignedBytes(seal.info_der, seal.maker_cert, seal.sign_alg), seal.signed_value);
  report.signer_listed = seal.info.signer_certs.empty();
  for (const std::string& der : seal.info.signer_certs) report.signer_listed |= der == sig.signer_cert;
  report.seal_valid_from = seal.info.valid_start;
  report.seal_valid_until = seal.info.valid_end;
  report.seal_valid_then = sig.tbs.time >= seal.info.valid_start && sig.tbs.time <= seal.info.valid_end;
  report.signer_trust_problem = trust.Check(signer.get(), sig.tbs.time);
  report.maker_trust_problem = trust.Check(maker.get(), sig.tbs.time);
  report.signer_trusted = report.signer_trust_problem.empty();
  report.maker_trusted = report.maker_trust_problem.empty();
}

}  // namespace

bool OfdSealReport::valid() const { return Problems().empty(); }

std::vector<Message> OfdSealReport::Problems() const {
  std::vector<Message> out;
  if (!unreadable.empty()) return {Message(Msg::kOfdNotReadable, {unreadable})};
  for (const std::string& f : changed) out.emplace_back(Msg::kOfdFileChanged, std::vector<MessageArg>{f});
  for (const std::string& f : missing) out.emplace_back(Msg::kOfdFileMissing, std::vector<MessageArg>{f});
  for (const std::string& f : outside) out.emplace_back(Msg::kOfdReferenceOutside, std::vector<MessageArg>{f});
  for (const std::string& f : added) out.emplace_back(Msg::kOfdFileAdded, std::vector<MessageArg>{f});
  if (!signature_xml_matches) out.emplace_back(Msg::kOfdSignatureXmlChanged, std::vector<MessageArg>{signature_path});
  if (!signature_valid) out.emplace_back(Msg::kOfdSignatureBad);
  if (!seal_signature_valid) out.emplace_back(Msg::kOfdSealSignatureBad);
  if (!signer_listed) out.emplace_back(Msg::kOfdSignerNotListed);
  if (!seal_valid_then) out.emplace_back(Msg::kOfdSealNotValidThen,
                                         std::vector<MessageArg>{Day(seal_valid_from), Day(seal_valid_until)});
  if (!signer_trusted)
    out.emplace_back(Msg::kOfdUntrusted,
                     std::vector<MessageArg>{MessageArg("signer's", "签章人"), signer_trust_problem});
  if (!maker_trusted)
    out.emplace_back(Msg::kOfdUntrusted,
                     std::vector<MessageArg>{MessageArg("seal maker's", "制章人"), maker_trust_problem});
  return out;
}

std::vector<OfdSealReport> VerifyOfd(const std::string& zip, const std::vector<std::string>& trust_pem) {
  ofd::Package package = ofd::ReadZip(zip);
  const ofd::PackageFile* ofd_xml = package.Find("OFD.xml");
  if (!ofd_xml) throw Error(ErrorKind::kInvalidInput, "not an OFD package: no OFD.xml");
  Poco::AutoPtr<Poco::XML::Document> ofd_doc = ParseOfdXml(ofd_xml->bytes, "OFD.xml", kMaxListXml);
  TrustStore trust(trust_pem);
  DigestCache digests;

  std::vector<OfdSealReport> reports;
  for (Poco::XML::Element* body : ChildrenNamed(ofd_doc->documentElement(), "DocBody")) {
    Poco::XML::Element* entry = ChildNamed(body, "Signatures");
    if (!entry) continue;
    const std::string list_path = ofd::ResolvePath("OFD.xml", TrimmedText(entry));
    const ofd::PackageFile& list = Need(package, list_path, "OFD.xml");
    Poco::AutoPtr<Poco::XML::Document> list_doc = ParseOfdXml(list.bytes, list_path, kMaxListXml);
    std::vector<Poco::XML::Element*> entries = ChildrenNamed(list_doc->documentElement(), "Signature");
    if (entries.size() > kMaxSeals)
      throw Error(ErrorKind::kInvalidInput, list_path + ": more than " + std::to_string(kMaxSeals) + " seals");
    // The signature parts themselves are not covered by References: Signatures.xml, each Signature.xml and the
    // SignedValue it names.
    std::set<std::string> parts{list_path};
    std::vector<std::string> paths;
    for (Poco::XML::Element* e : entries) {
      std::string p = ofd::ResolvePath(list_path, e->getAttribute("BaseLoc"));
      paths.push_back(p);
      if (p.empty()) continue;
      parts.insert(p);
      parts.insert(p.substr(0, p.rfind('/') + 1) + "SignedValue.dat");
    }
    for (const std::string& p : paths) {
      OfdSealReport report;
      report.signature_path = p;
      try {
        if (p.empty()) throw Error(ErrorKind::kInvalidInput, list_path + ": a BaseLoc outside the package");
        CheckSeal(package, trust, parts, digests, report);
      } catch (const Error& e) {
        report.unreadable = e.what();
      }
      reports.push_back(std::move(report));
    }
  }
  return reports;
}

}  // namespace zhiping::seal
