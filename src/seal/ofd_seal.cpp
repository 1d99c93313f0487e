#include "seal/ofd_seal.h"

#include <cstdio>
#include <sstream>

#include "common/error.h"
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

std::string SignatureXml(const ofd::Package& package, const SealRequest& r) {
  ofd::OfdXmlWriter x;
  x.Open("Signature");
  x.Open("SignedInfo");
  x.Open("Provider", {{"ProviderName", "zhiping"}, {"Version", ZHIPING_VERSION}, {"Company", "zhiping"}});
  x.Close("Provider");
  x.Element("SignatureMethod", kOidSm2WithSm3);
  x.Element("SignatureDateTime", UtcText(r.time, "%Y%m%d%H%M%SZ"));
  x.Open("References", {{"CheckMethod", kOidSm3}});
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
  x.Element("BaseLoc", std::string("/") + kSealFilePath);
  x.Close("Seal");
  x.Close("SignedInfo");
  x.Element("SignedValue", std::string("/") + kSignedValuePath);
  x.Close("Signature");
  return x.Finish();
}

std::string SignaturesXml() {
  ofd::OfdXmlWriter x;
  x.Open("Signatures");
  x.Element("MaxSignId", "1");
  x.Open("Signature", {{"ID", "1"}, {"Type", "Seal"}, {"BaseLoc", std::string("/") + kSignaturePath}});
  x.Close("Signature");
  x.Close("Signatures");
  return x.Finish();
}

}  // namespace

void Seal(ofd::Package& package, const SealRequest& request) {
  if (!request.identity) throw Error(ErrorKind::kInternal, "Seal: no identity");
  const SealIdentity& id = *request.identity;
  ofd::PackageFile* ofd_xml = package.Find("OFD.xml");
  if (!ofd_xml) throw Error(ErrorKind::kInvalidInput, "not an OFD package: no OFD.xml");
  if (package.Find(kSignaturesPath)) throw Error(ErrorKind::kConflict, "the package is already sealed");

  ofd_xml->bytes = WithSignaturesEntry(ofd_xml->bytes);
  package.Put(kSealFilePath, id.seal.der, false);
  std::string signature_xml = SignatureXml(package, request);
  package.Put(kSignaturesPath, SignaturesXml());
  std::string tbs = EncodeTbsSign(id.seal.der, request.time, Sm3(signature_xml), std::string("/") + kSignaturePath);
  std::string value = EncodeSignature(tbs, id.cert_der, kOidSm2WithSm3, Sm2Sign(id.key.get(), tbs));
  package.Put(kSignaturePath, std::move(signature_xml));
  package.Put(kSignedValuePath, std::move(value), false);
}

}  // namespace zhiping::seal
