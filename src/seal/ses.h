// seal/ses.h — the GB/T 38540-2020 (SES v4) structures: the seal (SESeal) and the signature made with it
// (SES_Signature over TBS_Sign), encoded to DER and decoded from bytes that may be hostile.
//
//   SESeal        ::= SEQUENCE { eSealInfo SES_SealInfo, cert OCTET STRING (the seal maker's X.509),
//                                signAlgID OID, signedValue BIT STRING }
//   SES_SealInfo  ::= SEQUENCE { header SEQUENCE { ID IA5 "ES", version INTEGER 4, Vid IA5 }, esID IA5,
//                                property SEQUENCE { type INTEGER, name UTF8, certListType INTEGER 1,
//                                  certList SEQUENCE OF OCTET STRING,
//                                  createDate, validStart, validEnd GeneralizedTime },
//                                picture SEQUENCE { type IA5, data OCTET STRING, width INTEGER, height INTEGER (mm) },
//                                extDatas OPTIONAL (not written; skipped when read) }
//   TBS_Sign      ::= SEQUENCE { version INTEGER 4, eseal SESeal, timeInfo GeneralizedTime, dataHash BIT STRING,
//                                propertyInfo IA5String, extDatas OPTIONAL }
//   SES_Signature ::= SEQUENCE { toSign TBS_Sign, cert OCTET STRING (the signer's X.509), signatureAlgID OID,
//                                signature BIT STRING, timeStamp [0] EXPLICIT BIT STRING OPTIONAL }
//
// The maker signs DER(SEQUENCE { eSealInfo, cert, signAlgID }) (GB/T 38540 §8.1 "签名原文"); the signer signs
// DER(TBS_Sign). Decoding keeps each signed part's exact bytes (they are what a verifier checks, never a
// re-encoding). Errors: Decode* throw zhiping::Error kInvalidInput naming the structure and field.
#pragma once

#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace zhiping::seal {

struct SealPicture {
  std::string type = "png";  // "png" or "jpg"
  std::string data;
  int64_t width_mm = 0, height_mm = 0;
};

struct SealInfo {
  std::string vid;        // the maker's vendor ID
  std::string es_id;      // the seal's code
  int64_t type = 1;       // 1: an organisation's seal (单位印章)
  std::string name;       // the seal's name (UTF-8)
  std::vector<std::string> signer_certs;  // DER certificates allowed to seal with it (certListType 1)
  std::time_t create_date = 0, valid_start = 0, valid_end = 0;
  SealPicture picture;
};

struct SESeal {
  SealInfo info;
  std::string info_der;     // exact bytes of eSealInfo
  std::string maker_cert;   // DER
  std::string sign_alg;     // dotted OID
  std::string signed_value; // the maker's signature
  std::string der;          // the whole SESeal
};

// DER of SES_SealInfo, and of what the maker signs over it.
std::string EncodeSealInfo(const SealInfo& info);
std::string MakerSignedBytes(std::string_view info_der, std::string_view maker_cert, const std::string& alg);
std::string EncodeSeal(std::string_view info_der, std::string_view maker_cert, const std::string& alg,
                       std::string_view signed_value);
SESeal DecodeSeal(std::string_view der);

struct TbsSign {
  int64_t version = 4;
  SESeal seal;             // decoded; seal.der is what is encoded
  std::time_t time = 0;
  std::string data_hash;   // SM3 of Signature.xml
  std::string property_info;  // "/Doc_0/Signs/Sign_0/Signature.xml"
};

struct SesSignature {
  TbsSign tbs;
  std::string tbs_der;     // exact bytes of toSign
  std::string signer_cert; // DER
  std::string alg;
  std::string signature;
};

std::string EncodeTbsSign(std::string_view seal_der, std::time_t time, std::string_view data_hash,
                          const std::string& property_info);
std::string EncodeSignature(std::string_view tbs_der, std::string_view signer_cert, const std::string& alg,
                            std::string_view signature);
SesSignature DecodeSignature(std::string_view der);

}  // namespace zhiping::seal
