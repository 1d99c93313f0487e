// A second organ's GB/T 38540 seal on a sealed OFD package (seal/ofd_seal.h AddSeal): both seals verify, the first
// does not count the second's parts as added files, a change is found by every seal covering it, the same
// certificate is refused.
#include <gtest/gtest.h>

#include "common/error.h"
#include "seal/ofd_seal.h"
#include "seal/verify_ofd.h"
#include "support/files.h"
#include "support/temp_dir.h"
#include "test_ofd.h"

namespace zhiping::seal {
namespace {

using testing::DevSeal;
using testing::SecondSeal;

std::vector<std::string> BothCas() {
  return {zhiping::testing::ReadAll(testing::DevSealCaPath()), zhiping::testing::ReadAll(SecondSeal().dev_ca_path)};
}

SealRequest At(const SealIdentity& identity, double x) {
  SealRequest r;
  r.identity = &identity;
  r.page_id = "1";
  r.x_mm = x;
  r.y_mm = 200;
  r.time = testing::SealTime();
  return r;
}

ofd::Package DoublySealed() {
  ofd::Package p = testing::MakeTestPackage();
  Seal(p, At(DevSeal(), 30));
  AddSeal(p, At(SecondSeal(), 120));
  return p;
}

TEST(seal_Countersign, BothSealsVerifyAndTheListNamesBoth) {
  ofd::Package p = DoublySealed();
  const std::string& list = p.Find(kSignaturesPath)->bytes;
  EXPECT_NE(list.find("<ofd:MaxSignId>2</ofd:MaxSignId>"), std::string::npos) << list;
  EXPECT_NE(list.find("BaseLoc=\"/Doc_0/Signs/Sign_1/Signature.xml\""), std::string::npos) << list;
  // OFD.xml still names the one list, once.
  const std::string& ofd = p.Find("OFD.xml")->bytes;
  EXPECT_EQ(ofd.find("<ofd:Signatures>"), ofd.rfind("<ofd:Signatures>")) << ofd;
  // The second seal covers the first seal's parts.
  const std::string& second = p.Find("Doc_0/Signs/Sign_1/Signature.xml")->bytes;
  EXPECT_NE(second.find("FileRef=\"/Doc_0/Signs/Sign_0/SignedValue.dat\""), std::string::npos);
  EXPECT_NE(second.find("FileRef=\"/Doc_0/Signs/Sign_1/Seal.esl\""), std::string::npos);

  std::vector<OfdSealReport> reports = VerifyOfd(ofd::WriteZip(p), BothCas());
  ASSERT_EQ(reports.size(), 2u);
  for (const OfdSealReport& r : reports) {
    EXPECT_TRUE(r.valid()) << r.signature_path;
    for (const Message& m : r.Problems()) ADD_FAILURE() << r.signature_path << ": " << RenderMessage(m, Lang::kEn);
  }
  EXPECT_EQ(reports[0].signature_path, "Doc_0/Signs/Sign_0/Signature.xml");
  EXPECT_EQ(reports[1].signature_path, "Doc_0/Signs/Sign_1/Signature.xml");
  EXPECT_NE(reports[0].seal_id, reports[1].seal_id);
}

TEST(seal_Countersign, AChangedPageInvalidatesBothAFileAddedInTheSecondSealsFolderOnlyIt) {
  ofd::Package p = DoublySealed();
  std::string& content = p.Find("Doc_0/Pages/Page_0/Content.xml")->bytes;
  content[content.find("Hello")] = 'J';
  std::vector<OfdSealReport> reports = VerifyOfd(ofd::WriteZip(p), BothCas());
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_FALSE(reports[0].valid());
  EXPECT_FALSE(reports[1].valid());
  EXPECT_EQ(reports[1].changed, std::vector<std::string>{"Doc_0/Pages/Page_0/Content.xml"});

  // A file added into the second seal's folder after it sealed: the second seal names it; the first does not
  // look into a later seal's folder.
  ofd::Package q = DoublySealed();
  q.Put("Doc_0/Signs/Sign_1/extra.xml", "<x/>");
  reports = VerifyOfd(ofd::WriteZip(q), BothCas());
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_TRUE(reports[0].valid());
  EXPECT_EQ(reports[1].added, std::vector<std::string>{"Doc_0/Signs/Sign_1/extra.xml"});
}

TEST(seal_Countersign, TheSameCertificateIsRefused) {
  ofd::Package p = DoublySealed();
  for (const SealIdentity* id : {&DevSeal(), &SecondSeal()}) {
    try {
      AddSeal(p, At(*id, 60));
      ADD_FAILURE() << "sealed twice by one certificate";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kConflict) << e.what();
    }
  }
  // Seal() still makes only the first seal.
  try {
    Seal(p, At(SecondSeal(), 60));
    ADD_FAILURE() << "Seal() on a sealed package";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConflict);
  }
}

}  // namespace
}  // namespace zhiping::seal
