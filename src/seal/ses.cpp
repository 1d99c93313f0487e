#include "seal/ses.h"

#include "common/error.h"
#include "seal/der.h"

namespace zhiping::seal {
namespace {

using der::Element;
using der::Reader;

SealInfo DecodeSealInfo(Reader r) {
  SealInfo info;
  Reader header = r.Enter(r.Next(der::kSequence, "header"), "header");
  if (header.Next(der::kIa5String, "header.ID").content != "ES")
    throw Error(ErrorKind::kInvalidInput, "SES_SealInfo: header.ID is not \"ES\"");
  int64_t version = Reader::Integer(header.Next(der::kInteger, "header.version"), "SES_SealInfo header.version");
  if (version != 4)
    throw Error(ErrorKind::kInvalidInput, "SES_SealInfo: version " + std::to_string(version) + " (only 4 is read)");
  info.vid = std::string(header.Next(der::kIa5String, "header.Vid").content);
  header.ExpectEnd();
  info.es_id = std::string(r.Next(der::kIa5String, "esID").content);

  Reader prop = r.Enter(r.Next(der::kSequence, "property"), "property");
  info.type = Reader::Integer(prop.Next(der::kInteger, "property.type"), "SES_SealInfo property.type");
  info.name = std::string(prop.Next(der::kUtf8String, "property.name").content);
  int64_t list_type = Reader::Integer(prop.Next(der::kInteger, "property.certListType"), "property.certListType");
  Reader list = prop.Enter(prop.Next(der::kSequence, "property.certList"), "property.certList");
  while (!list.AtEnd()) {
    Element e = list.Next(der::kOctetString, "property.certList entry");
    if (list_type == 1) info.signer_certs.emplace_back(e.content);
  }
  auto time = [&](const char* field) {
    std::optional<Element> e = prop.NextIf(der::kGeneralizedTime);
    if (!e) e = prop.Next(der::kUtcTime, field);
    return Reader::Time(*e, field);
  };
  info.create_date = time("property.createDate");
  info.valid_start = time("property.validStart");
  info.valid_end = time("property.validEnd");

  Reader pic = r.Enter(r.Next(der::kSequence, "picture"), "picture");
  info.picture.type = std::string(pic.Next(der::kIa5String, "picture.type").content);
  info.picture.data = std::string(pic.Next(der::kOctetString, "picture.data").content);
  info.picture.width_mm = Reader::Integer(pic.Next(der::kInteger, "picture.width"), "picture.width");
  info.picture.height_mm = Reader::Integer(pic.Next(der::kInteger, "picture.height"), "picture.height");
  // extDatas (OPTIONAL) and anything a later revision adds after it are not read.
  return info;
}

SESeal DecodeSealFrom(const Element& whole) {
  SESeal seal;
  seal.der = std::string(whole.whole);
  Reader r(whole.content, "SESeal", 1);
  Element info = r.Next(der::kSequence, "eSealInfo");
  seal.info_der = std::string(info.whole);
  seal.info = DecodeSealInfo(r.Enter(info, "eSealInfo"));
  seal.maker_cert = std::string(r.Next(der::kOctetString, "cert").content);
  seal.sign_alg = Reader::Oid(r.Next(der::kOid, "signAlgID"), "SESeal signAlgID");
  seal.signed_value = Reader::Bits(r.Next(der::kBitString, "signedValue"), "SESeal signedValue");
  r.ExpectEnd();
  return seal;
}

}  // namespace

std::string EncodeSealInfo(const SealInfo& info) {
  der::Writer w;
  w.Sequence([&](der::Writer& s) {
    s.Sequence([&](der::Writer& h) { h.Ia5("ES").Integer(4).Ia5(info.vid); });
    s.Ia5(info.es_id);
    s.Sequence([&](der::Writer& p) {
      p.Integer(info.type).Utf8(info.name).Integer(1);
      p.Sequence([&](der::Writer& list) {
        for (const std::string& cert : info.signer_certs) list.Octets(cert);
      });
      p.GeneralizedTime(info.create_date).GeneralizedTime(info.valid_start).GeneralizedTime(info.valid_end);
    });
    s.Sequence([&](der::Writer& p) {
      p.Ia5(info.picture.type).Octets(info.picture.data).Integer(info.picture.width_mm).Integer(info.picture.height_mm);
    });
  });
  return w.bytes();
}

std::string MakerSignedBytes(std::string_view info_der, std::string_view maker_cert, const std::string& alg) {
  der::Writer w;
  w.Sequence([&](der::Writer& s) { s.Raw(info_der).Octets(maker_cert).Oid(alg); });
  return w.bytes();
}

std::string EncodeSeal(std::string_view info_der, std::string_view maker_cert, const std::string& alg,
                       std::string_view signed_value) {
  der::Writer w;
  w.Sequence([&](der::Writer& s) { s.Raw(info_der).Octets(maker_cert).Oid(alg).Bits(signed_value); });
  return w.bytes();
}

SESeal DecodeSeal(std::string_view bytes) { return DecodeSealFrom(der::ReadOnly(bytes, der::kSequence, "SESeal")); }

std::string EncodeTbsSign(std::string_view seal_der, std::time_t time, std::string_view data_hash,
                          const std::string& property_info) {
  der::Writer w;
  w.Sequence([&](der::Writer& s) {
    s.Integer(4).Raw(seal_der).GeneralizedTime(time).Bits(data_hash).Ia5(property_info);
  });
  return w.bytes();
}

std::string EncodeSignature(std::string_view tbs_der, std::string_view signer_cert, const std::string& alg,
                            std::string_view signature) {
  der::Writer w;
  w.Sequence([&](der::Writer& s) { s.Raw(tbs_der).Octets(signer_cert).Oid(alg).Bits(signature); });
  return w.bytes();
}

SesSignature DecodeSignature(std::string_view bytes) {
  SesSignature sig;
  Element whole = der::ReadOnly(bytes, der::kSequence, "SES_Signature");
  Reader r(whole.content, "SES_Signature");
  Element tbs = r.Next(der::kSequence, "toSign");
  sig.tbs_der = std::string(tbs.whole);
  {
    Reader t = r.Enter(tbs, "toSign");
    sig.tbs.version = Reader::Integer(t.Next(der::kInteger, "toSign.version"), "TBS_Sign version");
    if (sig.tbs.version != 4)
      throw Error(ErrorKind::kInvalidInput,
                  "TBS_Sign: version " + std::to_string(sig.tbs.version) + " (only SES v4 is read)");
    sig.tbs.seal = DecodeSealFrom(t.Next(der::kSequence, "toSign.eseal"));
    std::optional<Element> time = t.NextIf(der::kGeneralizedTime);
    if (!time) time = t.Next(der::kUtcTime, "toSign.timeInfo");
    sig.tbs.time = Reader::Time(*time, "TBS_Sign timeInfo");
    sig.tbs.data_hash = Reader::Bits(t.Next(der::kBitString, "toSign.dataHash"), "TBS_Sign dataHash");
    sig.tbs.property_info = std::string(t.Next(der::kIa5String, "toSign.propertyInfo").content);
  }
  sig.signer_cert = std::string(r.Next(der::kOctetString, "cert").content);
  sig.alg = Reader::Oid(r.Next(der::kOid, "signatureAlgID"), "SES_Signature signatureAlgID");
  sig.signature = Reader::Bits(r.Next(der::kBitString, "signature"), "SES_Signature signature");
  r.NextIf(der::ContextTag(0));  // timeStamp: not checked here
  r.ExpectEnd();
  return sig;
}

}  // namespace zhiping::seal
