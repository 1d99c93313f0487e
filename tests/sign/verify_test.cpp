// `zhiping verify` as a user runs it: output and exit status.
#include <gtest/gtest.h>

#include <sstream>

#include "sign/signer.h"
#include "sign/verify_command.h"
#include "test_support.h"

namespace zhiping::sign {
namespace {

using testing::FreshDir;
using testing::Pki;
using testing::WriteAll;

struct CommandOutput {
  int code;
  std::string out, err;
};

CommandOutput Verify(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  int code = RunVerifyCommand(args, out, err);
  return {code, out.str(), err.str()};
}

std::string SignedFile(const std::string& dir, int times = 1) {
  SignerConfig config;
  config.key_path = Pki().signer_key;
  config.cert_path = Pki().signer_cert;
  config.chain_path = Pki().ca_cert;
  auto signer = Signer::Create(config);
  std::string pdf = testing::MakeHelloPdf();
  for (int i = 0; i < times; ++i) pdf = signer->Sign(pdf, SignRequest{"评审结果通知书", "杭州", {}, "", "", 0});
  WriteAll(dir + "/signed.pdf", pdf);
  return dir + "/signed.pdf";
}

TEST(sign_VerifyCommand, ValidSignatureExitsZero) {
  std::string file = SignedFile(FreshDir("cmd-ok"), 2);
  CommandOutput r = Verify({file, "--trust", Pki().ca_cert});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("signature 1 of 2: VALID"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("signature 2 of 2: VALID"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("signer:     CN=Test Signing Office"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("coverage:   whole file"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("later revisions were appended"), std::string::npos) << r.out;
}

TEST(sign_VerifyCommand, UntrustedOrTamperedExitsOne) {
  std::string dir = FreshDir("cmd-bad");
  std::string file = SignedFile(dir);
  CommandOutput untrusted = Verify({file});  // the test CA is not in the system store
  EXPECT_EQ(untrusted.code, 1) << untrusted.out;
  EXPECT_NE(untrusted.out.find("NOT trusted"), std::string::npos) << untrusted.out;

  std::string pdf = testing::ReadAll(file);
  pdf[pdf.find("Hello zhiping")] = 'Y';
  WriteAll(dir + "/tampered.pdf", pdf);
  CommandOutput tampered = Verify({dir + "/tampered.pdf", "--trust=" + Pki().ca_cert});
  EXPECT_EQ(tampered.code, 1);
  EXPECT_NE(tampered.out.find("INVALID"), std::string::npos) << tampered.out;
  EXPECT_NE(tampered.out.find("DOES NOT MATCH"), std::string::npos) << tampered.out;

  // Unsigned bytes appended after the signature: the newest signature no longer covers the file.
  WriteAll(dir + "/appended.pdf", testing::ReadAll(file) + "\n% appended\n");
  CommandOutput appended = Verify({dir + "/appended.pdf", "--trust", Pki().ca_cert});
  EXPECT_EQ(appended.code, 1) << appended.out;
  EXPECT_NE(appended.out.find("NOT the whole file"), std::string::npos) << appended.out;

  WriteAll(dir + "/unsigned.pdf", testing::MakeHelloPdf());
  CommandOutput unsigned_pdf = Verify({dir + "/unsigned.pdf"});
  EXPECT_EQ(unsigned_pdf.code, 1);
  EXPECT_NE(unsigned_pdf.out.find("no signatures"), std::string::npos);
}

// Changed bytes that also break the structure PoDoFo parses (here the page tree's "/Kids [ 4 0 R ]" made
// "/Kids [ 4 0 r ]", inside the signed range): still a signature whose digest does not match — exit 1 — not an unreadable
// file (exit 2), which stays reserved for files with no PDF structure and no signature in them.
TEST(sign_VerifyCommand, TamperingThatBreaksTheStructureIsADigestMismatch) {
  std::string dir = FreshDir("cmd-broken");
  std::string pdf = testing::ReadAll(SignedFile(dir));
  size_t ref = pdf.find(" 0 R", pdf.find("/Kids ["));
  ASSERT_NE(ref, std::string::npos);
  ASSERT_LT(ref, pdf.find("/ByteRange"));  // inside the first signed range
  pdf[ref + 3] = 'r';
  WriteAll(dir + "/broken.pdf", pdf);
  CommandOutput r = Verify({dir + "/broken.pdf", "--trust", Pki().ca_cert});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_EQ(r.err.find("cannot read"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("signature 1 of 1: INVALID"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("digest:     DOES NOT MATCH"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("signer:     CN=Test Signing Office"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("structure is damaged"), std::string::npos) << r.out;  // PoDoFo did refuse it

  std::vector<SignatureReport> reports = VerifyPdf(pdf, {Pki().ca_cert});
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_FALSE(reports[0].digest_valid);
  EXPECT_TRUE(reports[0].trusted);
  EXPECT_EQ(reports[0].sub_filter, "ETSI.CAdES.detached");
}

TEST(sign_VerifyCommand, UsageAndUnreadableFiles) {
  EXPECT_EQ(Verify({}).code, 2);
  CommandOutput help = Verify({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("usage: zhiping verify FILE.pdf"), std::string::npos);
  EXPECT_EQ(Verify({"a.pdf", "--trust"}).code, 2);
  EXPECT_EQ(Verify({"a.pdf", "--frobnicate"}).code, 2);
  EXPECT_EQ(Verify({"a.pdf", "b.pdf"}).code, 2);
  CommandOutput missing = Verify({"/nonexistent/x.pdf"});
  EXPECT_EQ(missing.code, 2);  // a missing input file is a usage error, as for every command
  EXPECT_NE(missing.err.find("/nonexistent/x.pdf"), std::string::npos);
  std::string dir = FreshDir("cmd-usage");
  WriteAll(dir + "/junk.pdf", "this is not a PDF at all");
  EXPECT_EQ(Verify({dir + "/junk.pdf"}).code, 2);
}

}  // namespace
}  // namespace zhiping::sign
