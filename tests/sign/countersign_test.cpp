// Countersigning (sign/signer.h Signer::Countersign): a second organ's PAdES signature on a PDF the first organ
// signed, checked by pdfsig/NSS and by our verifier; a change after either signature invalidates that one and the
// later; the same certificate is refused.
#include <gtest/gtest.h>

#include "sign/signer.h"
#include "test_support.h"

namespace zhiping::sign {
namespace {

using testing::ErrorFrom;
using testing::FreshDir;
using testing::Pdfsig;
using testing::WriteAll;

size_t CountOf(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

// The lead organ (the test PKI's signer) signs; a second organ (a development identity in its own folder)
// countersigns. Reasons in ASCII so a test can find them in the bytes.
struct Countersigned {
  std::string original, first, second;
  std::unique_ptr<Signer> lead, other;
};

Countersigned MakeCountersigned(const std::string& name) {
  Countersigned c;
  c.lead = Signer::Create(testing::PkiSignerConfig());
  SignerConfig other;
  other.dev_identity_dir = FreshDir(name) + "/dev-identity";
  other.use_environment = false;
  c.other = Signer::Create(other);
  c.original = testing::MakeHelloPdf(3);
  SignRequest first;
  first.reason = "LEADORGAN";
  c.first = c.lead->Sign(c.original, first);
  SignRequest second;
  second.reason = "SECONDORGAN";
  c.second = c.other->Countersign(c.first, second);
  return c;
}

TEST(sign_Countersign, PdfsigListsTwoValidSignaturesWithBothCertificates) {
  Countersigned c = MakeCountersigned("cs-pdfsig");
  // An incremental update: the signed file is kept byte for byte.
  ASSERT_GT(c.second.size(), c.first.size());
  EXPECT_EQ(c.second.compare(0, c.first.size(), c.first), 0);
  EXPECT_EQ(CountOf(c.second, "ETSI.CAdES.detached"), 2u);

  const std::string dir = FreshDir("cs-pdfsig-out");
  WriteAll(dir + "/two.pdf", c.second);
  const std::string out = Pdfsig(dir + "/two.pdf");
  EXPECT_EQ(CountOf(out, "Signature is Valid."), 2u) << out;
  EXPECT_NE(out.find("Signature #1"), std::string::npos) << out;
  EXPECT_NE(out.find("Signature #2"), std::string::npos) << out;
  const size_t lead = out.find("Test Signing Office"), other = out.find("zhiping development signer");
  ASSERT_NE(lead, std::string::npos) << out;
  ASSERT_NE(other, std::string::npos) << out;
  EXPECT_LT(lead, other) << "the lead organ signs first";
  EXPECT_NE(out.find("Total document signed"), std::string::npos) << out;  // the countersignature covers it all

  const std::vector<SignatureReport> reports = VerifyPdf(c.second, {c.other->ca_certificate_path(),
                                                                   testing::Pki().ca_cert});
  ASSERT_EQ(reports.size(), 2u);
  for (const SignatureReport& r : reports) EXPECT_TRUE(r.digest_valid && r.trusted) << r.problem;
  EXPECT_FALSE(reports[0].covers_whole_file);
  EXPECT_TRUE(reports[1].covers_whole_file);
  EXPECT_EQ(reports[0].signer_certificate_sha256, c.lead->certificate_sha256());
  EXPECT_EQ(reports[1].signer_certificate_sha256, c.other->certificate_sha256());

  testing::CommandResult qpdf = testing::RunCommand("qpdf --check " + testing::Quote(dir + "/two.pdf"));
  EXPECT_EQ(qpdf.exit_code, 0) << qpdf.output();
}

TEST(sign_Countersign, AChangeInTheFirstRevisionInvalidatesBothSignatures) {
  Countersigned c = MakeCountersigned("cs-tamper-first");
  std::string bad = c.second;
  const size_t at = bad.find("Hello zhiping");
  ASSERT_NE(at, std::string::npos);
  ASSERT_LT(at, c.original.size());
  bad[at] = 'J';
  const std::vector<SignatureReport> reports = VerifyPdf(bad, {});
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_FALSE(reports[0].digest_valid);
  EXPECT_FALSE(reports[1].digest_valid);
}

TEST(sign_Countersign, AChangeInTheCountersignaturesRevisionInvalidatesOnlyIt) {
  Countersigned c = MakeCountersigned("cs-tamper-second");
  std::string bad = c.second;
  // The revision's XMP packet is stored unfiltered (PDF/A), so its text is in the bytes as written.
  const size_t at = bad.find("xmpmeta", c.first.size());
  ASSERT_NE(at, std::string::npos);
  bad[at] = 'X';
  const std::vector<SignatureReport> reports = VerifyPdf(bad, {});
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_TRUE(reports[0].digest_valid) << reports[0].problem;  // it never covered these bytes
  EXPECT_FALSE(reports[1].digest_valid);

  const std::string dir = FreshDir("cs-tamper-second-out");
  WriteAll(dir + "/bad.pdf", bad);
  const std::string out = Pdfsig(dir + "/bad.pdf");
  EXPECT_EQ(CountOf(out, "Signature is Valid."), 1u) << out;
  EXPECT_EQ(CountOf(out, "Digest Mismatch."), 1u) << out;
}

TEST(sign_Countersign, TheSameCertificateIsRefused) {
  Countersigned c = MakeCountersigned("cs-twice");
  auto again = ErrorFrom([&] { c.other->Countersign(c.second, SignRequest{}); });
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->kind(), ErrorKind::kConflict);
  auto lead_again = ErrorFrom([&] { c.lead->Countersign(c.second, SignRequest{}); });
  ASSERT_TRUE(lead_again.has_value());
  EXPECT_EQ(lead_again->kind(), ErrorKind::kConflict);
  EXPECT_NE(std::string(lead_again->what()).find("Test Signing Office"), std::string::npos) << lead_again->what();
}

}  // namespace
}  // namespace zhiping::sign
