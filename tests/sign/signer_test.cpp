// Signing tests: every signed file is checked by tools that are not ours (pdfsig/NSS, openssl cms, openssl ts,
// qpdf) as well as by VerifyPdf.
#include <gtest/gtest.h>
#include <openssl/cms.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <thread>

#include <Poco/Net/ServerSocket.h>

#include "common/error.h"
#include "sign/signer.h"
#include "support/repo_renderer.h"
#include "test_support.h"
#include "test_tsa_server.h"

namespace zhiping::sign {
namespace {

using testing::ByteRanges;
using testing::FreshDir;
using testing::Pdfsig;
using testing::Pki;
using testing::Quote;
using testing::ReadAll;
using testing::RunCommand;
using testing::WriteAll;

std::unique_ptr<Signer> TestSigner(const std::string& tsa_url = "") {
  SignerConfig config = testing::PkiSignerConfig();
  config.tsa_url = tsa_url;
  return Signer::Create(config);
}

SignRequest LetterRequest() {
  SignRequest request;
  request.reason = "评审结果通知书";
  request.location = "浙江省思想政治工作人员专业职务评定工作办公室";
  return request;
}

size_t CountOf(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

// The bytes a signature covers, per its ByteRange.
std::string SignedBytes(const std::string& pdf, const std::vector<long>& r) {
  return pdf.substr(r[0], r[1]) + pdf.substr(r[2], r[3]);
}

TEST(sign_Pades, PdfsigTrustsAndValidatesTheSignature) {
  std::string dir = FreshDir("bb");
  std::string signed_pdf = TestSigner()->Sign(testing::MakeHelloPdf(), LetterRequest());
  WriteAll(dir + "/signed.pdf", signed_pdf);

  std::string out = Pdfsig(dir + "/signed.pdf");
  EXPECT_NE(out.find("Signature is Valid."), std::string::npos) << out;
  EXPECT_NE(out.find("Certificate is Trusted."), std::string::npos) << out;
  EXPECT_NE(out.find("Test Signing Office"), std::string::npos) << out;
  EXPECT_NE(out.find("ETSI.CAdES.detached"), std::string::npos) << out;  // pdfsig prints "Signature Type"
  EXPECT_NE(out.find("Total document signed"), std::string::npos) << out;

  testing::CommandResult qpdf = RunCommand("qpdf --check " + Quote(dir + "/signed.pdf"));
  EXPECT_EQ(qpdf.exit_code, 0) << qpdf.output();
}

TEST(sign_Pades, SignatureDictionaryIsPadesAndAnIncrementalUpdate) {
  std::string original = testing::MakeHelloPdf();
  std::string signed_pdf = TestSigner()->Sign(original, LetterRequest());
  ASSERT_GT(signed_pdf.size(), original.size());
  EXPECT_EQ(signed_pdf.compare(0, original.size(), original), 0) << "original bytes must be kept as they were";
  EXPECT_EQ(CountOf(signed_pdf, "ETSI.CAdES.detached"), 1u);
  EXPECT_EQ(CountOf(signed_pdf, "adbe.pkcs7.detached"), 0u);
  EXPECT_NE(signed_pdf.find("Adobe.PPKLite"), std::string::npos);
  EXPECT_NE(signed_pdf.find("/M(D:"), std::string::npos);
  EXPECT_EQ(signed_pdf.find("PoDoFo"), std::string::npos) << "no library chatter or producer stamp";

  std::vector<std::vector<long>> ranges = ByteRanges(signed_pdf);
  ASSERT_EQ(ranges.size(), 1u);
  const std::vector<long>& r = ranges[0];
  EXPECT_EQ(r[0], 0);
  EXPECT_EQ(static_cast<size_t>(r[2] + r[3]), signed_pdf.size());
  // The hole is sized for this identity: its DER, at least 1 KiB of headroom, whole KiB, and no more.
  const std::string contents = signed_pdf.substr(r[1] + 1, r[2] - r[1] - 2);
  const size_t der_hex = contents.find_last_not_of('0') + 1;
  EXPECT_EQ(contents.size() % 2048, 0u) << contents.size();
  EXPECT_GE(contents.size(), der_hex + 2 * 1024) << "headroom for a longer ECDSA value";
  EXPECT_LT(contents.size(), der_hex + 2 * 2048) << "no more than the headroom rounded up";

  std::vector<SignatureReport> reports = VerifyPdf(signed_pdf, {Pki().ca_cert});
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].digest_valid) << reports[0].problem;
  EXPECT_TRUE(reports[0].trusted) << reports[0].problem;
  EXPECT_TRUE(reports[0].covers_whole_file);
  EXPECT_EQ(reports[0].sub_filter, "ETSI.CAdES.detached");
  EXPECT_NE(reports[0].signer.find("CN=Test Signing Office"), std::string::npos) << reports[0].signer;
  EXPECT_EQ(reports[0].signing_time.rfind("D:20", 0), 0u) << reports[0].signing_time;
  EXPECT_FALSE(reports[0].has_timestamp);
  EXPECT_EQ(reports[0].problem, "");
}

TEST(sign_Pades, OpensslCmsVerifiesTheByteRangesAndThereIsNoSigningTime) {
  std::string dir = FreshDir("cms");
  std::string pdf = dir + "/signed.pdf";
  std::string signed_pdf = TestSigner()->Sign(testing::MakeHelloPdf(), LetterRequest());
  WriteAll(pdf, signed_pdf);
  std::string dump = Pdfsig(pdf, "-dump");
  ASSERT_TRUE(std::ifstream(pdf + ".sig0").good()) << dump;
  WriteAll(dir + "/signed-bytes.bin", SignedBytes(signed_pdf, ByteRanges(signed_pdf).at(0)));

  testing::CommandResult verify =
      RunCommand("openssl cms -verify -binary -inform DER -in " + Quote(pdf + ".sig0") + " -content " +
          Quote(dir + "/signed-bytes.bin") + " -CAfile " + Quote(Pki().ca_cert) +
          " -purpose any -cades -out /dev/null");
  EXPECT_EQ(verify.exit_code, 0) << verify.output();
  EXPECT_NE(verify.output().find("Verification successful"), std::string::npos) << verify.output();

  testing::CommandResult print = RunCommand("openssl cms -cmsout -print -inform DER -in " + Quote(pdf + ".sig0"));
  ASSERT_EQ(print.exit_code, 0) << print.output();
  EXPECT_EQ(print.output().find("signingTime"), std::string::npos) << "B-B forbids signing-time\n" << print.output();
  EXPECT_NE(print.output().find("contentType"), std::string::npos);
  EXPECT_NE(print.output().find("messageDigest"), std::string::npos);
  EXPECT_NE(print.output().find("id-smime-aa-signingCertificateV2"), std::string::npos) << print.output();
  EXPECT_NE(print.output().find("CN=Test Root CA"), std::string::npos) << "chain included";
  EXPECT_EQ(CountOf(print.output(), "signerInfos:"), 1u);
  EXPECT_NE(print.output().find("eContent: <ABSENT>"), std::string::npos) << "detached";
}

TEST(sign_Pades, FlippedByteInSignedRangeIsReportedInvalid) {
  std::string dir = FreshDir("tamper");
  std::string signed_pdf = TestSigner()->Sign(testing::MakeHelloPdf(), LetterRequest());
  size_t pos = signed_pdf.find("Hello zhiping");
  ASSERT_NE(pos, std::string::npos);
  signed_pdf[pos] = 'J';  // "Jello zhiping": same length, so every offset stays right
  WriteAll(dir + "/tampered.pdf", signed_pdf);

  std::vector<SignatureReport> reports = VerifyPdf(signed_pdf, {Pki().ca_cert});
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_FALSE(reports[0].digest_valid);
  EXPECT_NE(reports[0].problem, "");

  std::string out = Pdfsig(dir + "/tampered.pdf");
  EXPECT_EQ(out.find("Signature is Valid."), std::string::npos) << out;
  EXPECT_NE(out.find("Digest Mismatch"), std::string::npos) << out;
}

TEST(sign_Pades, CountersignatureKeepsTheFirstValid) {
  std::string dir = FreshDir("twice");
  std::string once = TestSigner()->Sign(testing::MakeHelloPdf(), LetterRequest());
  SignerConfig dev_config;  // a second, different signer: the development identity
  dev_config.dev_identity_dir = dir + "/dev-identity";
  auto dev = Signer::Create(dev_config);
  std::string twice = dev->Sign(once, SignRequest{"countersignature", "Hangzhou", {}, "", "", 0});
  EXPECT_EQ(twice.compare(0, once.size(), once), 0);
  WriteAll(dir + "/twice.pdf", twice);

  std::string nss = FreshDir("twice-nss");
  ASSERT_EQ(RunCommand("cp -r " + Quote(Pki().nssdb) + "/. " + Quote(nss) + " && certutil -A -d sql:" + Quote(nss) +
                       " -n dev -t CT,C,C -i " + Quote(dev->ca_certificate_path())).exit_code, 0);
  std::string out = RunCommand("pdfsig -nssdir sql:" + Quote(nss) + " " + Quote(dir + "/twice.pdf")).output();
  EXPECT_EQ(CountOf(out, "Signature is Valid."), 2u) << out;
  EXPECT_EQ(CountOf(out, "Certificate is Trusted."), 2u) << out;
  EXPECT_EQ(CountOf(out, "Not total document signed"), 1u) << out;

  std::vector<SignatureReport> reports = VerifyPdf(twice, {Pki().ca_cert, dev->ca_certificate_path()});
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_TRUE(reports[0].digest_valid && reports[0].trusted) << reports[0].problem;
  EXPECT_FALSE(reports[0].covers_whole_file) << "the first signature covers its own revision only";
  EXPECT_EQ(reports[0].signer, "CN=Test Signing Office");
  EXPECT_TRUE(reports[1].digest_valid && reports[1].trusted) << reports[1].problem;
  EXPECT_TRUE(reports[1].covers_whole_file);
  EXPECT_EQ(RunCommand("qpdf --check " + Quote(dir + "/twice.pdf")).exit_code, 0);
}

// The same signer twice. poppler 22.12 (Debian 12) reports "Unknown issue with Certificate" for the second of two
// signatures by one certificate in a file — podofosign's output shows the same — so NSS trust is asserted for the
// first only, and both signatures are checked with openssl cms.
TEST(sign_Pades, SameSignerTwiceKeepsBothValid) {
  std::string dir = FreshDir("same-twice");
  auto signer = TestSigner();
  std::string twice = signer->Sign(signer->Sign(testing::MakeHelloPdf(), LetterRequest()), LetterRequest());
  std::string pdf = dir + "/twice.pdf";
  WriteAll(pdf, twice);
  std::string out = Pdfsig(pdf);
  EXPECT_EQ(CountOf(out, "Signature is Valid."), 2u) << out;
  EXPECT_GE(CountOf(out, "Certificate is Trusted."), 1u) << out;
  Pdfsig(pdf, "-dump");
  std::vector<std::vector<long>> ranges = ByteRanges(twice);
  ASSERT_EQ(ranges.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    std::string bytes = dir + "/signed-bytes-" + std::to_string(i);
    WriteAll(bytes, SignedBytes(twice, ranges[i]));
    testing::CommandResult verify =
        RunCommand("openssl cms -verify -binary -inform DER -in " + Quote(pdf + ".sig" + std::to_string(i)) +
                   " -content " + Quote(bytes) + " -CAfile " + Quote(Pki().ca_cert) +
                   " -purpose any -cades -out /dev/null");
    EXPECT_EQ(verify.exit_code, 0) << i << ": " << verify.output();
  }
  for (const SignatureReport& r : VerifyPdf(twice, {Pki().ca_cert}))
    EXPECT_TRUE(r.digest_valid && r.trusted && r.problem.empty()) << r.problem;
}

TEST(sign_Pades, VisibleAppearanceShowsSignerAndTimeInAnEmbeddedChineseFace) {
  std::string dir = FreshDir("visible");
  SignerConfig config = testing::PkiSignerConfig();
  config.fonts = [] { return zhiping::testing::SharedRenderer().font_set(); };
  auto signer = Signer::Create(config);
  SignRequest request = LetterRequest();
  request.appearance = {true, 0, 350, 60, 220, 70};
  std::string signed_pdf = signer->Sign(testing::MakeHelloPdf(), request);
  WriteAll(dir + "/visible.pdf", signed_pdf);
  EXPECT_NE(signed_pdf.find("/Rect[ 350 60 570 130]"), std::string::npos)
      << signed_pdf.substr(signed_pdf.size() - 1500);
  testing::CommandResult text = RunCommand("pdftotext " + Quote(dir + "/visible.pdf") + " -");
  EXPECT_NE(text.out.find("数字签名：Test Signing Office"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("时间：20"), std::string::npos) << text.out;
  EXPECT_TRUE(text.err.empty()) << text.err;
  // The appearance's font is an embedded subset (the test page itself is in Helvetica: not ours).
  testing::CommandResult fonts = RunCommand("pdffonts " + Quote(dir + "/visible.pdf"));
  EXPECT_NE(fonts.out.find("ZPSIGN+"), std::string::npos) << fonts.out;
  EXPECT_NE(fonts.out.find("CID TrueType      Identity-H       yes yes yes"), std::string::npos) << fonts.out;

  std::string out = Pdfsig(dir + "/visible.pdf");
  EXPECT_NE(out.find("Signature is Valid."), std::string::npos) << out;
  EXPECT_EQ(RunCommand("qpdf --check " + Quote(dir + "/visible.pdf")).exit_code, 0);
  // The page renders with the widget (poppler draws the appearance stream).
  EXPECT_EQ(RunCommand("pdftoppm -r 20 -png " + Quote(dir + "/visible.pdf") + " " + Quote(dir + "/page")).exit_code, 0);

  // Without fonts a visible signature cannot be drawn: said, not drawn in Helvetica.
  config.fonts = nullptr;
  EXPECT_THROW(Signer::Create(config)->Sign(testing::MakeHelloPdf(), request), Error);
}

TEST(sign_Pades, BadInputIsAnInvalidInputErrorNotACrash) {
  auto signer = TestSigner();
  for (std::string bad : {std::string(""), std::string("not a pdf"), std::string("%PDF-1.4\ngarbage\n%%EOF"),
                          testing::MakeHelloPdf().substr(0, 300)}) {
    auto e = testing::ErrorFrom([&] { signer->Sign(bad, LetterRequest()); });
    ASSERT_TRUE(e) << "signed garbage: " << bad.substr(0, 20);
    EXPECT_EQ(e->kind(), ErrorKind::kInvalidInput) << e->what();
  }
  SignRequest request = LetterRequest();
  request.appearance = {true, 3, 10, 10, 100, 40};
  auto e = testing::ErrorFrom([&] { signer->Sign(testing::MakeHelloPdf(), request); });
  ASSERT_TRUE(e) << "page 3 of a one-page PDF";
  EXPECT_EQ(e->kind(), ErrorKind::kInvalidInput);
  ASSERT_EQ(e->problems().size(), 1u);
  EXPECT_EQ(e->problems()[0].pointer, "/appearance/page");
}

// Damaged copies of a signed file (truncated, flipped bytes, cut-out spans): VerifyPdf either throws
// zhiping::Error or reports, and no signature of a damaged copy is valid (intact digest, trusted and covering the
// whole file); signing one either works or throws zhiping::Error. No crash, no other exception. Seeded, so a
// failure reproduces; every variant is checked and named on its own.
TEST(sign_Pades, DamagedPdfsNeverVerifyAndNeverCrash) {
  auto signer = TestSigner();
  const std::string original = signer->Sign(testing::MakeHelloPdf(), LetterRequest());
  {  // the control: the undamaged file verifies, so "not valid" below is the damage's doing
    std::vector<SignatureReport> reports = VerifyPdf(original, {Pki().ca_cert});
    ASSERT_EQ(reports.size(), 1u);
    ASSERT_TRUE(reports[0].digest_valid && reports[0].trusted && reports[0].covers_whole_file) << reports[0].problem;
  }
  std::mt19937 rng(20221120);
  int damaged = 0, refused = 0;
  for (int i = 0; i < 150; ++i) {
    std::string pdf = original;
    std::string what;
    switch (i % 3) {
      case 0: {
        const size_t keep = rng() % pdf.size();
        pdf.resize(keep);
        what = "truncated to " + std::to_string(keep) + " bytes";
        break;
      }
      case 1:
        what = "bytes flipped at";
        for (int k = 0; k < 8; ++k) {
          const size_t at = rng() % pdf.size();
          pdf[at] = static_cast<char>(rng());
          what += " " + std::to_string(at);
        }
        break;
      default: {
        const size_t at = rng() % pdf.size(), length = rng() % 300;
        pdf.erase(at, length);
        what = std::to_string(length) + " bytes cut at " + std::to_string(at);
        break;
      }
    }
    SCOPED_TRACE("variant " + std::to_string(i) + ": " + what);
    if (pdf == original) continue;  // a flip to the same byte, or a cut of length 0: not damaged
    ++damaged;
    std::vector<SignatureReport> reports;
    auto error = testing::ErrorFrom([&] { reports = VerifyPdf(pdf, {Pki().ca_cert}); });  // anything else escapes
    if (error) ++refused;
    for (const SignatureReport& r : reports)
      EXPECT_FALSE(r.digest_valid && r.trusted && r.covers_whole_file) << "a damaged file verifies as valid";
    testing::ErrorFrom([&] { signer->Sign(pdf, LetterRequest()); });
  }
  EXPECT_GE(damaged, 140) << "the variants must really be damaged";
  std::printf("%d damaged variants: %d refused with an error, %d reported invalid\n", damaged, refused,
              damaged - refused);
}

TEST(sign_Pades, ConcurrentSignsShareOneSigner) {
  auto signer = TestSigner();
  std::string pdf = testing::MakeHelloPdf();
  std::vector<std::string> results(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2; ++i) results[t * 2 + i] = signer->Sign(pdf, LetterRequest());
    });
  for (auto& t : threads) t.join();
  for (const std::string& r : results) {
    std::vector<SignatureReport> reports = VerifyPdf(r, {Pki().ca_cert});
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_TRUE(reports[0].digest_valid && reports[0].trusted && reports[0].covers_whole_file)
        << reports[0].problem;
  }
}

TEST(sign_PadesBT, TimestampFromLoopbackTsaVerifiesWithOpensslTs) {
  std::string dir = FreshDir("bt");
  testing::LoopbackTsa tsa(Pki().tsa_key, Pki().tsa_cert, Pki().ca_cert);
  std::string signed_pdf = TestSigner(tsa.url())->Sign(testing::MakeHelloPdf(), LetterRequest());
  EXPECT_EQ(tsa.requests(), 1);
  std::string pdf = dir + "/bt.pdf";
  WriteAll(pdf, signed_pdf);

  std::vector<SignatureReport> reports = VerifyPdf(signed_pdf, {Pki().ca_cert});
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].digest_valid && reports[0].trusted) << reports[0].problem;
  EXPECT_TRUE(reports[0].has_timestamp) << reports[0].problem;

  std::string out = Pdfsig(pdf);
  EXPECT_NE(out.find("Signature is Valid."), std::string::npos) << out;
  EXPECT_NE(out.find("Certificate is Trusted."), std::string::npos) << out;
  Pdfsig(pdf, "-dump");

  // Take the token out of the CMS and let `openssl ts -verify` check it against the signature value's digest.
  std::string cms_der = ReadAll(pdf + ".sig0");
  const unsigned char* p = reinterpret_cast<const unsigned char*>(cms_der.data());
  CMS_ContentInfo* cms = d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(cms_der.size()));
  ASSERT_NE(cms, nullptr);
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
  int index = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
  ASSERT_GE(index, 0);
  ASN1_TYPE* token = X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, index), 0);
  ASSERT_EQ(token->type, V_ASN1_SEQUENCE);
  WriteAll(dir + "/token.der",
           std::string(reinterpret_cast<const char*>(token->value.sequence->data), token->value.sequence->length));
  ASN1_OCTET_STRING* sig = CMS_SignerInfo_get0_signature(si);
  WriteAll(dir + "/signature-value.bin",
           std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(sig)), ASN1_STRING_length(sig)));
  CMS_ContentInfo_free(cms);

  testing::CommandResult ts = RunCommand("openssl ts -verify -data " + Quote(dir + "/signature-value.bin") + " -in " +
                                  Quote(dir + "/token.der") + " -token_in -CAfile " + Quote(Pki().ca_cert));
  EXPECT_EQ(ts.exit_code, 0) << ts.output();
  EXPECT_NE(ts.output().find("Verification: OK"), std::string::npos) << ts.output();
}

// sign.tsa_url may be https:// (it was once accepted by the configuration and then refused at every issue).
TEST(sign_PadesBT, HttpsTsaTrustedThroughTsaCaGivesATimestamp) {
  testing::LoopbackTsa tsa(Pki().tsa_key, Pki().tsa_cert, Pki().ca_cert, Pki().tls_key, Pki().tls_cert);
  ASSERT_EQ(tsa.url().rfind("https://", 0), 0u) << tsa.url();
  SignerConfig config;
  config.key_path = Pki().signer_key;
  config.cert_path = Pki().signer_cert;
  config.chain_path = Pki().ca_cert;
  config.tsa_url = tsa.url();
  config.tsa_ca_path = Pki().ca_cert;
  std::string signed_pdf = Signer::Create(config)->Sign(testing::MakeHelloPdf(), LetterRequest());
  EXPECT_EQ(tsa.requests(), 1);
  std::vector<SignatureReport> reports = VerifyPdf(signed_pdf, {Pki().ca_cert});
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].digest_valid && reports[0].trusted) << reports[0].problem;
  EXPECT_TRUE(reports[0].has_timestamp) << reports[0].problem;
}

TEST(sign_PadesBT, HttpsTsaWithAnUntrustedCertificateIsUnavailable) {
  testing::LoopbackTsa tsa(Pki().tsa_key, Pki().tsa_cert, Pki().ca_cert, Pki().tls_key, Pki().tls_cert);
  // The system's trust store does not know the test CA: the TLS handshake must fail, and nothing is signed.
  auto signer = TestSigner(tsa.url());
  auto e = testing::ErrorFrom([&] { signer->Sign(testing::MakeHelloPdf(), LetterRequest()); });
  ASSERT_TRUE(e) << "signed through a TSA whose certificate nobody trusts";
  EXPECT_EQ(e->kind(), ErrorKind::kUnavailable) << e->what();
  EXPECT_EQ(tsa.requests(), 0);
}

TEST(sign_PadesBT, UnreachableTsaIsUnavailable) {
  // A port nobody listens on: bind, note the port, close.
  int port;
  {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port = socket.address().port();
  }
  auto signer = TestSigner("http://127.0.0.1:" + std::to_string(port) + "/tsa");
  auto e = testing::ErrorFrom([&] { signer->Sign(testing::MakeHelloPdf(), LetterRequest()); });
  ASSERT_TRUE(e) << "signed without the configured time stamp";
  EXPECT_EQ(e->kind(), ErrorKind::kUnavailable) << e->what();
}

// Not a pass/fail benchmark: prints the median so the figure can be quoted; fails only if signing is absurdly slow.
TEST(sign_PadesTiming, MedianSignOfSixtyKilobytePage) {
  std::string pdf = testing::MakeHelloPdf(900);
  auto signer = TestSigner();
  std::vector<double> ms;
  for (int i = 0; i < 15; ++i) {
    auto start = std::chrono::steady_clock::now();
    std::string out = signer->Sign(pdf, LetterRequest());
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  std::cout << "[ timing ] input " << pdf.size() << " bytes, median sign " << ms[ms.size() / 2] << " ms (min "
            << ms.front() << ", max " << ms.back() << ")\n";
  EXPECT_GT(pdf.size(), 50000u);
  EXPECT_LT(ms[ms.size() / 2], 2000.0);
}

}  // namespace
}  // namespace zhiping::sign
