// Tests for seal/ofd_seal.h and seal/verify_ofd.h: a sealed package verifies; every kind of change after sealing
// is found and named; crafted packages are refused with a reason, never a crash. Also times the seal.
#include "seal/ofd_seal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "common/error.h"
#include "support/files.h"
#include "seal/ofd_xml.h"
#include "seal/ses.h"
#include "seal/sm2.h"
#include "seal/verify_ofd.h"
#include "test_ofd.h"

namespace zhiping::seal {
namespace {

using testing::DevSeal;

ofd::Package SealedPackage() {
  ofd::Package p = testing::MakeTestPackage();
  SealRequest r;
  r.identity = &DevSeal();
  r.page_id = "1";
  r.x_mm = 120;
  r.y_mm = 200;
  r.time = testing::SealTime();
  Seal(p, r);
  return p;
}

std::vector<std::string> Trust() { return {zhiping::testing::ReadAll(testing::DevSealCaPath())}; }

OfdSealReport VerifyOne(const ofd::Package& p, const std::vector<std::string>& trust = Trust()) {
  std::vector<OfdSealReport> reports = VerifyOfd(ofd::WriteZip(p), trust);
  EXPECT_EQ(reports.size(), 1u);
  return reports.empty() ? OfdSealReport() : reports[0];
}

std::string VerifyError(const std::string& zip) {
  try {
    VerifyOfd(zip, Trust());
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    return e.what();
  }
  return "";
}

TEST(seal_OfdSeal, AddsTheSignaturePartsAndTheDocBodyEntry) {
  ofd::Package p = SealedPackage();
  for (const char* path : {kSignaturesPath, kSignaturePath, kSealFilePath, kSignedValuePath})
    EXPECT_NE(p.Find(path), nullptr) << path;
  const std::string& ofd = p.Find("OFD.xml")->bytes;
  EXPECT_NE(ofd.find("<ofd:Signatures>/Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody>"),
            std::string::npos);
  const std::string& xml = p.Find(kSignaturePath)->bytes;
  EXPECT_NE(xml.find("<ofd:SignatureMethod>1.2.156.10197.1.501</ofd:SignatureMethod>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("CheckMethod=\"1.2.156.10197.1.401\""), std::string::npos);
  EXPECT_NE(xml.find("FileRef=\"/Doc_0/Pages/Page_0/Content.xml\""), std::string::npos);
  EXPECT_NE(xml.find("FileRef=\"/OFD.xml\""), std::string::npos);
  EXPECT_NE(xml.find("FileRef=\"/Doc_0/Signs/Sign_0/Seal.esl\""), std::string::npos);
  EXPECT_EQ(xml.find("Signatures.xml"), std::string::npos);
  EXPECT_NE(xml.find("<ofd:StampAnnot Boundary=\"120 200 42 42\" ID=\"1\" PageRef=\"1\"/>"), std::string::npos) << xml;
  // The CheckValue of Content.xml is its SM3, base64.
  EXPECT_NE(xml.find(Base64(Sm3(p.Find("Doc_0/Pages/Page_0/Content.xml")->bytes))), std::string::npos);
  // SignedValue.dat: dataHash is SM3(Signature.xml) and the signature verifies over TBS_Sign.
  SesSignature sig = DecodeSignature(p.Find(kSignedValuePath)->bytes);
  EXPECT_EQ(sig.tbs.data_hash, Sm3(xml));
  EXPECT_EQ(sig.tbs.property_info, "/Doc_0/Signs/Sign_0/Signature.xml");
  EXPECT_EQ(sig.tbs.seal.der, p.Find(kSealFilePath)->bytes);
  EXPECT_TRUE(Sm2Verify(DevSeal().key.get(), sig.tbs_der, sig.signature));
}

TEST(seal_OfdSeal, ASealedPackageVerifies) {
  OfdSealReport r = VerifyOne(SealedPackage());
  EXPECT_TRUE(r.valid());
  for (const Message& m : r.Problems()) ADD_FAILURE() << RenderMessage(m, Lang::kEn);
  EXPECT_EQ(r.files_checked, 5u);  // OFD.xml, Document.xml, PublicRes.xml, Content.xml, Seal.esl
  EXPECT_TRUE(r.development);
  EXPECT_NE(r.signer.find("DEVELOPMENT"), std::string::npos);
}

TEST(seal_OfdSeal, AChangedByteNamesTheFile) {
  ofd::Package p = SealedPackage();
  std::string& content = p.Find("Doc_0/Pages/Page_0/Content.xml")->bytes;
  content[content.find("Hello")] = 'J';
  OfdSealReport r = VerifyOne(p);
  EXPECT_FALSE(r.valid());
  EXPECT_EQ(r.changed, std::vector<std::string>{"Doc_0/Pages/Page_0/Content.xml"});
  EXPECT_TRUE(r.signature_valid);  // the signature itself is intact: only the content changed
  std::vector<Message> problems = r.Problems();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(RenderMessage(problems[0], Lang::kEn),
            "Doc_0/Pages/Page_0/Content.xml was changed after sealing (its SM3 digest does not match)");
}

TEST(seal_OfdSeal, AddedAndRemovedFilesAreNamed) {
  ofd::Package p = SealedPackage();
  p.Put("Doc_0/Res/extra.png", "x");
  p.files.erase(std::find_if(p.files.begin(), p.files.end(),
                             [](const ofd::PackageFile& f) { return f.path == "Doc_0/PublicRes.xml"; }));
  OfdSealReport r = VerifyOne(p);
  EXPECT_EQ(r.added, std::vector<std::string>{"Doc_0/Res/extra.png"});
  EXPECT_EQ(r.missing, std::vector<std::string>{"Doc_0/PublicRes.xml"});
  EXPECT_FALSE(r.valid());
}

TEST(seal_OfdSeal, AChangedSignatureXmlOrSignedValueIsFound) {
  ofd::Package p = SealedPackage();
  std::string& xml = p.Find(kSignaturePath)->bytes;
  xml.replace(xml.find("Boundary=\"120"), 13, "Boundary=\"121");
  OfdSealReport r = VerifyOne(p);
  EXPECT_FALSE(r.signature_xml_matches);
  EXPECT_TRUE(r.signature_valid);

  ofd::Package q = SealedPackage();
  std::string& value = q.Find(kSignedValuePath)->bytes;
  value[value.size() - 5] ^= 1;  // inside the signature
  OfdSealReport s = VerifyOne(q);
  EXPECT_FALSE(s.signature_valid);
  EXPECT_FALSE(s.valid());
}

TEST(seal_OfdSeal, ASealWhoseMakerSignatureDoesNotMatchIsInvalid) {
  // The development seal renamed after the maker signed it: sealing works (the signer's signature is fine), the
  // maker's signature over the seal is not.
  const SealIdentity& dev = DevSeal();
  SealIdentity forged;
  EVP_PKEY_up_ref(dev.key.get());
  forged.key.reset(dev.key.get());
  X509_up_ref(dev.cert.get());
  forged.cert.reset(dev.cert.get());
  forged.cert_der = dev.cert_der;
  SealInfo info = dev.seal.info;
  info.name = "伪造的印章";
  forged.seal = DecodeSeal(EncodeSeal(EncodeSealInfo(info), dev.seal.maker_cert, dev.seal.sign_alg,
                                      dev.seal.signed_value));
  ofd::Package p = testing::MakeTestPackage();
  SealRequest r;
  r.identity = &forged;
  r.page_id = "1";
  r.time = testing::SealTime();
  Seal(p, r);
  OfdSealReport report = VerifyOne(p);
  EXPECT_TRUE(report.signature_valid);
  EXPECT_FALSE(report.seal_signature_valid);
  EXPECT_EQ(report.seal_name, "伪造的印章");
  EXPECT_FALSE(report.valid());
}

TEST(seal_OfdSeal, ASigningTimeOutsideTheCertificatesIsNotTrusted) {
  ofd::Package p = testing::MakeTestPackage();
  SealRequest r;
  r.identity = &DevSeal();
  r.page_id = "1";
  r.time = testing::SealTime() - 30L * 24 * 3600;  // a month before the development certificates were made
  Seal(p, r);
  OfdSealReport report = VerifyOne(p);
  EXPECT_TRUE(report.signature_valid);
  EXPECT_FALSE(report.signer_trusted);
  EXPECT_NE(report.signer_trust_problem.find("not yet valid"), std::string::npos) << report.signer_trust_problem;
  EXPECT_FALSE(report.seal_valid_then);
  EXPECT_FALSE(report.valid());
}

TEST(seal_OfdSeal, WithoutTheTrustAnchorTheChainIsNotTrusted) {
  ofd::Package p = SealedPackage();
  OfdSealReport r = VerifyOne(p, std::vector<std::string>{});  // the system store does not know the dev CA
  EXPECT_FALSE(r.signer_trusted);
  EXPECT_FALSE(r.maker_trusted);
  EXPECT_FALSE(r.valid());
}

TEST(seal_OfdSeal, ASecondSealIsRefusedAndAPackageWithoutOfdXmlToo) {
  ofd::Package p = SealedPackage();
  SealRequest r;
  r.identity = &DevSeal();
  r.page_id = "1";
  try {
    Seal(p, r);
    ADD_FAILURE() << "sealed twice";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConflict);
  }
  ofd::Package empty;
  empty.Put("Doc_0/Document.xml", "<x/>");
  EXPECT_THROW(Seal(empty, r), Error);
}

TEST(seal_OfdSeal, CraftedPackagesAreRefusedOrReportedNeverACrash) {
  EXPECT_FALSE(VerifyError("PK\x03\x04 not really a zip").empty());
  {
    ofd::Package p;
    p.Put("Doc_0/Document.xml", "<x/>");
    EXPECT_NE(VerifyError(ofd::WriteZip(p)).find("no OFD.xml"), std::string::npos);
  }
  {
    ofd::Package p = testing::MakeTestPackage();
    p.Find("OFD.xml")->bytes = "<ofd:OFD";
    EXPECT_NE(VerifyError(ofd::WriteZip(p)).find("not well-formed"), std::string::npos);
  }
  {  // Signatures.xml named but absent: a report that says why, not an exception.
    ofd::Package p = SealedPackage();
    p.files.erase(std::find_if(p.files.begin(), p.files.end(),
                               [](const ofd::PackageFile& f) { return f.path == kSignaturesPath; }));
    EXPECT_NE(VerifyError(ofd::WriteZip(p)).find("not in the package"), std::string::npos);
  }
  {  // SignedValue.dat is not DER.
    ofd::Package p = SealedPackage();
    p.Find(kSignedValuePath)->bytes = "\x30\x84\x7f\xff\xff\xff";
    OfdSealReport r = VerifyOne(p);
    EXPECT_NE(r.unreadable.find("SES_Signature"), std::string::npos) << r.unreadable;
    EXPECT_FALSE(r.valid());
  }
  {  // A Reference and a SignedValue pointing outside the package.
    ofd::Package p = SealedPackage();
    std::string& xml = p.Find(kSignaturePath)->bytes;
    xml.replace(xml.find("FileRef=\"/OFD.xml\""), 18, "FileRef=\"../../../../etc/passwd\"");
    OfdSealReport r = VerifyOne(p);
    EXPECT_EQ(r.outside, std::vector<std::string>{"../../../../etc/passwd"});
    EXPECT_FALSE(r.valid());
    xml.replace(xml.find("<ofd:SignedValue>"), 17, "<ofd:SignedValue>../../../../");
    EXPECT_NE(VerifyOne(p).unreadable.find("outside the package"), std::string::npos);
  }
  {  // A huge Signature.xml is refused by size before it is parsed.
    ofd::Package p = SealedPackage();
    p.Find(kSignaturePath)->bytes += std::string(9u << 20, ' ');
    EXPECT_NE(VerifyOne(p).unreadable.find("at most"), std::string::npos);
  }
  {  // 150,000 References to one 8 MiB file: each file is hashed once, so this stays quick.
    ofd::Package p = SealedPackage();
    p.Put("Doc_0/Res/big.bin", std::string(8u << 20, 'b'));
    std::string refs;
    for (int i = 0; i < 150000; ++i) refs += "<ofd:Reference FileRef=\"/Doc_0/Res/big.bin\"/>";
    std::string& xml = p.Find(kSignaturePath)->bytes;
    xml.insert(xml.find("</ofd:References>"), refs);
    auto start = std::chrono::steady_clock::now();
    OfdSealReport r = VerifyOne(p);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
    EXPECT_EQ(r.unreadable, "");  // read whole (under the 8 MiB cap), not refused by size
    EXPECT_EQ(r.files_checked, 6u);  // the five sealed files and big.bin, once
    EXPECT_EQ(r.changed, std::vector<std::string>{"Doc_0/Res/big.bin"});
    EXPECT_FALSE(r.valid());
  }
  {  // An entity-expansion bomb in Signature.xml.
    ofd::Package p = SealedPackage();
    std::string lol = "<!DOCTYPE x [<!ENTITY l0 \"lol\">";
    for (int i = 1; i < 12; ++i) {
      lol += "<!ENTITY l" + std::to_string(i) + " \"";
      for (int k = 0; k < 10; ++k) lol += "&l" + std::to_string(i - 1) + ";";
      lol += "\">";
    }
    lol += "]><x>&l11;</x>";
    p.Find(kSignaturePath)->bytes = "<?xml version=\"1.0\"?>" + lol;
    EXPECT_FALSE(VerifyOne(p).unreadable.empty());
  }
}

TEST(seal_OfdSeal, SealingALetterSizedPackageIsFast) {
  // A one-page letter's package is a few hundred KB (the subset font is most of it): 300 KB of content here.
  const ofd::Package base = testing::MakeTestPackage("Hello OFD", 300 * 1024);
  SealRequest r;
  r.identity = &DevSeal();
  r.page_id = "1";
  r.time = testing::SealTime();
  std::vector<double> ms;
  for (int i = 0; i < 21; ++i) {
    ofd::Package p = base;
    auto start = std::chrono::steady_clock::now();
    Seal(p, r);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  std::cout << "seal of a 300 KB one-page package: median " << ms[ms.size() / 2] << " ms, min " << ms[0] << " ms\n";
  EXPECT_LT(ms[ms.size() / 2], 50.0);  // generous for a loaded 2-core machine; the target is < 5 ms
}

}  // namespace
}  // namespace zhiping::seal
