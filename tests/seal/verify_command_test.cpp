// `zhiping verify FILE.ofd` as a user runs it (sign/verify_command.h → seal/verify_ofd_command.h): output in
// either language and the exit status.
#include <gtest/gtest.h>

#include <sstream>

#include "common/messages.h"
#include "support/files.h"
#include "seal/ofd_seal.h"
#include "sign/verify_command.h"
#include "support/temp_dir.h"
#include "test_ofd.h"

namespace zhiping::seal {
namespace {

struct CommandOutput {
  int code;
  std::string out, err;
};

CommandOutput Verify(const std::vector<std::string>& args, Lang lang) {
  Lang saved = ProcessLanguage();
  SetProcessLanguage(lang);
  std::ostringstream out, err;
  int code = sign::RunVerifyCommand(args, out, err);
  SetProcessLanguage(saved);
  return {code, out.str(), err.str()};
}

// Sealed by the development seal; with `countersigned` also by a second organ's (seal/ofd_seal.h AddSeal).
std::string SealedFile(const std::string& dir, bool tamper, bool countersigned = false) {
  ofd::Package p = testing::MakeTestPackage("评审结果通知书");
  SealRequest r;
  r.identity = &testing::DevSeal();
  r.page_id = "1";
  r.time = testing::SealTime();
  Seal(p, r);
  if (countersigned) {
    r.identity = &testing::SecondSeal();
    AddSeal(p, r);
  }
  if (tamper) p.Find("Doc_0/Pages/Page_0/Content.xml")->bytes += " ";
  zhiping::testing::WriteAll(dir + "/letter.ofd", ofd::WriteZip(p));
  return dir + "/letter.ofd";
}

TEST(seal_VerifyCommand, ASealedOfdIsValidWithTheDevelopmentCa) {
  const std::string file = SealedFile(zhiping::testing::FreshDir("verify-ofd"), false);
  CommandOutput en = Verify({file, "--trust", testing::DevSealCaPath()}, Lang::kEn);
  EXPECT_EQ(en.code, 0) << en.out << en.err;
  EXPECT_NE(en.out.find("seal 1 of 1: VALID"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("the SM3 digests of all 5 files match"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("this is a DEVELOPMENT seal"), std::string::npos) << en.out;
  CommandOutput zh = Verify({file, "--trust", testing::DevSealCaPath()}, Lang::kZh);
  EXPECT_EQ(zh.code, 0);
  EXPECT_NE(zh.out.find("电子印章 1/1：有效"), std::string::npos) << zh.out;
}

TEST(seal_VerifyCommand, BothSealsOfACountersignedOfdAreReported) {
  const std::string file = SealedFile(zhiping::testing::FreshDir("verify-ofd-two"), false, true);
  const std::vector<std::string> args = {file, "--trust", testing::DevSealCaPath(), "--trust",
                                         testing::SecondSeal().dev_ca_path};
  CommandOutput zh = Verify(args, Lang::kZh);
  EXPECT_EQ(zh.code, 0) << zh.out << zh.err;
  EXPECT_NE(zh.out.find("电子印章 1/2：有效"), std::string::npos) << zh.out;
  EXPECT_NE(zh.out.find("电子印章 2/2：有效"), std::string::npos) << zh.out;
  // Trusting only the first organ's CA: the second seal is not trusted, the command exits 1.
  CommandOutput one = Verify({file, "--trust", testing::DevSealCaPath()}, Lang::kEn);
  EXPECT_EQ(one.code, 1) << one.out;
  EXPECT_NE(one.out.find("seal 1 of 2: VALID"), std::string::npos) << one.out;
  EXPECT_NE(one.out.find("seal 2 of 2: INVALID"), std::string::npos) << one.out;
}

TEST(seal_VerifyCommand, AChangedFileIsNamedAndExitsOne) {
  const std::string file = SealedFile(zhiping::testing::FreshDir("verify-ofd-changed"), true);
  CommandOutput zh = Verify({file, "--trust", testing::DevSealCaPath()}, Lang::kZh);
  EXPECT_EQ(zh.code, 1);
  EXPECT_NE(zh.out.find("电子印章 1/1：无效"), std::string::npos) << zh.out;
  EXPECT_NE(zh.out.find("文件 Doc_0/Pages/Page_0/Content.xml 在签章后被改动"), std::string::npos) << zh.out;
}

TEST(seal_VerifyCommand, UntrustedWithoutTrustAndUnsealedAndBrokenFiles) {
  const std::string dir = zhiping::testing::FreshDir("verify-ofd-other");
  CommandOutput untrusted = Verify({SealedFile(dir, false)}, Lang::kEn);
  EXPECT_EQ(untrusted.code, 1);
  EXPECT_NE(untrusted.out.find("does not chain to a trusted CA"), std::string::npos) << untrusted.out;

  zhiping::testing::WriteAll(dir + "/plain.ofd", ofd::WriteZip(testing::MakeTestPackage()));
  CommandOutput plain = Verify({dir + "/plain.ofd"}, Lang::kEn);
  EXPECT_EQ(plain.code, 1);
  EXPECT_NE(plain.out.find("no electronic seal"), std::string::npos);

  zhiping::testing::WriteAll(dir + "/broken.ofd", std::string("PK\x03\x04", 4) + "garbage");
  CommandOutput broken = Verify({dir + "/broken.ofd"}, Lang::kEn);
  EXPECT_EQ(broken.code, 2) << broken.err;
  EXPECT_FALSE(broken.err.empty());
}

}  // namespace
}  // namespace zhiping::seal
