#include "seal/ofd_seal.h"

#include <Poco/SAX/AttributesImpl.h>
#include <Poco/XML/XMLWriter.h>

#include <cstdio>
#include <sstream>

#include "common/error.h"
#include "seal/ofd_xml.h"
#include "seal/ses.h"
#include "seal/sm2.h"
#include "seal/utc_text.h"

namespace zhiping::seal {
namespace {

using Poco::XML::AttributesImpl;
using Poco::XML::XMLWriter;

std::string Number(double mm) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", mm);
  std::string s = text;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

// Writes OFD elements "ofd:NAME" in the OFD namespace.
class OfdXml {
 public:
  OfdXml() : writer_(out_, XMLWriter::WRITE_XML_DECLARATION) {
    writer_.startDocument();
    writer_.startPrefixMapping("ofd", kOfdNamespace);
  }
  void Start(const std::string& name, const std::vector<std::pair<std::string, std::string>>& attrs = {}) {
    AttributesImpl a;
    for (const auto& [k, v] : attrs) a.addAttribute("", k, k, "CDATA", v);
    writer_.startElement(kOfdNamespace, name, "ofd:" + name, a);
  }
  void End(const std::string& name) { writer_.endElement(kOfdNamespace, name, "ofd:" + name); }
  void Text(const std::string& name, const std::string& text,
            const std::vector<std::pair<std::string, std::string>>& attrs = {}) {
    Start(name, attrs);
    writer_.characters(text);
    End(name);
  }
  std::string Finish() {
    writer_.endPrefixMapping("ofd");
    writer_.endDocument();
    return out_.str();
  }

 private:
  std::ostringstream out_;
  XMLWriter writer_;
};

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
  OfdXml x;
  x.Start("Signature");
  x.Start("SignedInfo");
  x.Start("Provider", {{"ProviderName", "zhiping"}, {"Version", ZHIPING_VERSION}, {"Company", "zhiping"}});
  x.End("Provider");
  x.Text("SignatureMethod", kOidSm2WithSm3);
  x.Text("SignatureDateTime", UtcText(r.time, "%Y%m%d%H%M%SZ"));
  x.Start("References", {{"CheckMethod", kOidSm3}});
  for (const ofd::PackageFile& file : package.files) {
    if (file.path == kSignaturesPath) continue;
    x.Start("Reference", {{"FileRef", "/" + file.path}});
    x.Text("CheckValue", Base64(Sm3(file.bytes)));
    x.End("Reference");
  }
  x.End("References");
  x.Start("StampAnnot", {{"ID", "1"},
                         {"PageRef", r.page_id},
                         {"Boundary", Number(r.x_mm) + " " + Number(r.y_mm) + " " + Number(r.width_mm) + " " +
                                          Number(r.height_mm)}});
  x.End("StampAnnot");
  x.Start("Seal");
  x.Text("BaseLoc", std::string("/") + kSealFilePath);
  x.End("Seal");
  x.End("SignedInfo");
  x.Text("SignedValue", std::string("/") + kSignedValuePath);
  x.End("Signature");
  return x.Finish();
}

std::string SignaturesXml() {
  OfdXml x;
  x.Start("Signatures");
  x.Text("MaxSignId", "1");
  x.Start("Signature", {{"ID", "1"}, {"Type", "Seal"}, {"BaseLoc", std::string("/") + kSignaturePath}});
  x.End("Signature");
  x.End("Signatures");
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
