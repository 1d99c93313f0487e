#include "seal/ofd_seal.h"

#include <cstdio>
#include <sstream>

#include "common/error.h"
#include "common/messages.h"
#include "ofd/ofd_xml.h"
#include "seal/ofd_xml.h"
#include "seal/ses.h"
#include "seal/sm2.h"
#include "seal/utc_text.h"

namespace zhiping::seal {
namespace {

// OFD.xml with <ofd:Signatures> appended to its (single) DocBody, the other bytes unchanged.
std::string WithSignaturesEntry(const std::string& ofd_xml) {
  Poco::AutoPtr<Poco::XML::Document> doc = ParseOfdXml(ofd_xml, "OFD.xml", 4u << 20);
  std::vector<Poco::XML::Element*> bodies = ChildrenNamed(doc->documentElement(), "DocBody");
  if (bodies.size() != 1)
    throw Error(ErrorKind::kInvalidInput, "OFD.xml: sealing needs exactly one DocBody (has " +
                                              std::to_string(bodies.size()) + ")");
  const std::string qname = bodies[0]->nodeName();  // "ofd:DocBody" as written
  const std::string prefix = qname.find(':') == std::string::npos ? "" : qname.substr(0, qname.find(':') + 1);
  const std::string close = "</" + qname + ">";
  size_t at = ofd_xml.find(close);
  if (at == std::string::npos || ofd_xml.find(close, at + 1) != std::string::npos)
    throw Error(ErrorKind::kInvalidInput, "OFD.xml: cannot find the end of DocBody (" + close + ")");
  return ofd_xml.substr(0, at) + "<" + prefix + "Signatures>/" + kSignaturesPath + "</" + prefix + "Signatures>" +
         ofd_xml.substr(at);
}

// The folder of seal number `n` (0-based): Doc_0/Signs/Sign_n/.
std::string SignFolder(size_t n) { return "Doc_0/Signs/Sign_" + std::to_string(n) + "/"; }

std::string SignatureXml(const ofd::Package& package, const SealRequest& r, const std::string& folder) {
  ofd::OfdXmlWriter x;
  x.Open("Signature");
  x.Open("SignedInfo");
  x.Open("Provider", {{"ProviderName", "zhiping"}, {"Version", ZHIPING_VERSION}, {"Company", "zhiping"}});
  x.Close("Provider");
  x.Element("SignatureMethod", kOidSm2WithSm3);
  x.Element("SignatureDateTime", UtcText(r.time, "%Y%m%d%H%M%SZ"));
  x.Open("References", {{"CheckMethod", kOidSm3}});
  // Every file then in the package, the earlier seals' parts included (a later seal covers them), except the
  // list every seal extends.
  for (const ofd::PackageFile& file : package.files) {
    if (file.path == kSignaturesPath) continue;
    x.Open("Reference", {{"FileRef", "/" + file.path}});
    x.Element("CheckValue", Base64(Sm3(file.bytes)));
    x.Close("Reference");
  }
  x.Close("References");
  x.Open("StampAnnot", {{"ID", "1"},
                         {"PageRef", r.page_id},
                         {"Boundary", ofd::OfdNumber(r.x_mm) + " " + ofd::OfdNumber(r.y_mm) + " " + ofd::OfdNumber(r.width_mm) + " " +
                                          ofd::OfdNumber(r.height_mm)}});
  x.Close("StampAnnot");
  x.Open("Seal");
  x.Element("BaseLoc", "/" + folder + "Seal.esl");
  x.Close("Seal");
  x.Close("SignedInfo");
  x.Element("SignedValue", "/" + folder + "SignedValue.dat");
  x.Close("Signature");
  return x.Finish();
}

// Signatures.xml listing seals 1..count, seal k's Signature.xml in Sign_{k-1}/.
std::string SignaturesXml(size_t count) {
  ofd::OfdXmlWriter x;
  x.Open("Signatures");
  x.Element("MaxSignId", std::to_string(count));
  for (size_t k = 1; k <= count; ++k) {
    x.Open("Signature", {{"ID", std::to_string(k)}, {"Type", "Seal"}, {"BaseLoc", "/" + SignFolder(k - 1) + "Signature.xml"}});
    x.Close("Signature");
  }
  x.Close("Signatures");
  return x.Finish();
}

// The seals already in a package sealed by Seal()/AddSeal(): Sign_0, Sign_1, … while their SignedValue.dat is
// there. Their signers' certificates (DER) go to `signers`.
size_t ExistingSeals(const ofd::Package& package, std::vector<std::string>* signers) {
  size_t n = 0;
  while (const ofd::PackageFile* value = package.Find(SignFolder(n) + "SignedValue.dat")) {
    signers->push_back(DecodeSignature(value->bytes).signer_cert);
    ++n;
  }
  return n;
}

}  // namespace

void Seal(ofd::Package& package, const SealRequest& request) {
  if (package.Find(kSignaturesPath)) throw Error(ErrorKind::kConflict, "the package is already sealed");
  AddSeal(package, request);
}

void AddSeal(ofd::Package& package, const SealRequest& request) {
  if (!request.identity) throw Error(ErrorKind::kInternal, "Seal: no identity");
  const SealIdentity& id = *request.identity;
  ofd::PackageFile* ofd_xml = package.Find("OFD.xml");
  if (!ofd_xml) throw Error(ErrorKind::kInvalidInput, "not an OFD package: no OFD.xml");
  std::vector<std::string> signers;
  const size_t n = package.Find(kSignaturesPath) ? ExistingSeals(package, &signers) : 0;
  if (package.Find(kSignaturesPath) && n == 0)
    throw Error(ErrorKind::kInvalidInput, "the package's seals are not laid out as zhiping seals them (no " +
                                              SignFolder(0) + "SignedValue.dat)");
  for (const std::string& der : signers)
    if (der == id.cert_der)
      throw Error(ErrorKind::kConflict, RenderMessage(Msg::kCountersignAlreadySigned,
                                                      {sign::CertSubject(id.cert.get())}, ProcessLanguage()));

  if (n == 0) ofd_xml->bytes = WithSignaturesEntry(ofd_xml->bytes);
  const std::string folder = SignFolder(n);
  package.Put(folder + "Seal.esl", id.seal.der, false);
  std::string signature_xml = SignatureXml(package, request, folder);
  package.Put(kSignaturesPath, SignaturesXml(n + 1));
  std::string tbs = EncodeTbsSign(id.seal.der, request.time, Sm3(signature_xml), "/" + folder + "Signature.xml");
  std::string value = EncodeSignature(tbs, id.cert_der, kOidSm2WithSm3, Sm2Sign(id.key.get(), tbs));
  package.Put(folder + "Signature.xml", std::move(signature_xml));
  package.Put(folder + "SignedValue.dat", std::move(value), false);
}

}  // namespace zhiping::seal
