// The Issuer in-process: render + sign + archive against a real archive folder and a real development identity.
#include <gtest/gtest.h>

#include <Poco/File.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "archive/archive.h"
#include "common/error.h"
#include "common/json.h"
#include "issuing/issuer.h"
#include "ofd/package.h"
#include "seal/verify_ofd.h"
#include "sign/signer.h"
#include "support/files.h"
#include "test_util.h"

namespace zhiping::issuing {
namespace {

using namespace issuing_test;

class issuing_Issuer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // A configured identity in the environment would replace the development identity these tests check.
    unsetenv("ZHIPING_SIGN_KEY");
    unsetenv("ZHIPING_SIGN_CERT");
    unsetenv("ZHIPING_SIGN_CHAIN");
    for (const char* v : {"ZHIPING_SEAL_KEY", "ZHIPING_SEAL_CERT", "ZHIPING_SEAL_FILE", "ZHIPING_SEAL_CHAIN"}) unsetenv(v);
    renderer_ = new render::Renderer(RepoRendererConfig());
  }
  static void TearDownTestSuite() { delete renderer_; }

  void SetUp() override {
    dir_ = FreshDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    IssuerConfig config;
    config.archive_root = dir_ + "/archive";
    issuer_ = std::make_unique<Issuer>(config, *renderer_);
  }

  static const archive::User& Alice() {
    static const archive::User user{"alice", "urn:zhiping:user:alice"};
    return user;
  }

  static render::Renderer* renderer_;
  std::string dir_;
  std::unique_ptr<Issuer> issuer_;
};

render::Renderer* issuing_Issuer::renderer_ = nullptr;

// The rectangle of the widget the signature appended (after the rendered bytes), or all zeros.
std::vector<double> AppendedRect(const std::string& signed_pdf, size_t original_size) {
  std::string tail = signed_pdf.substr(original_size);
  size_t at = tail.find("/Rect[");
  if (at == std::string::npos) return {0, 0, 0, 0};
  std::vector<double> r(4);
  const char* p = tail.c_str() + at + 6;
  for (double& v : r) v = std::strtod(p, const_cast<char**>(&p));
  return r;
}

TEST_F(issuing_Issuer, SignsAndArchivesALetterWithItsBodyAndIssueRecord) {
  const std::string body = Sample("letter.json");
  IssueResult r = issuer_->Issue("letter", body, Alice(), "first letter");
  EXPECT_EQ(r.object_id, "urn:zhiping:applicant:ZG2022-000123");
  EXPECT_EQ(r.key, "ZG2022-000123");
  EXPECT_TRUE(r.applicant);
  EXPECT_EQ(r.version, "v1");
  EXPECT_TRUE(r.created);
  EXPECT_TRUE(r.development_identity);
  EXPECT_EQ(r.document_path, "letter.pdf");
  EXPECT_EQ(r.media_type, "application/pdf");
  ASSERT_EQ(r.files.size(), 3u);
  EXPECT_EQ(r.files[0].path, "letter.pdf");
  EXPECT_EQ(r.files[1].path, "letter.json");
  EXPECT_EQ(r.files[2].path, "letter.issue.json");
  EXPECT_EQ(r.files[0].digest, Sha512Hex(r.document));
  EXPECT_EQ(r.files[0].size, r.document.size());

  // Stored bytes are the signed document; the body is stored as sent.
  const archive::Store& store = issuer_->store();
  EXPECT_EQ(store.Read(r.object_id, "letter.pdf"), r.document);
  EXPECT_EQ(store.Read(r.object_id, "letter.json"), body);
  auto versions = store.Versions(r.object_id);
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions[0].user.name, "alice");
  EXPECT_EQ(versions[0].message, "first letter");

  // The signature: valid, trusted by the development CA that sits beside the archive folder, whole file.
  const std::string ca = dir_ + "/.zhiping/dev-identity/dev-ca.pem";
  EXPECT_EQ(issuer_->dev_ca_path(), ca);
  ASSERT_TRUE(Poco::File(ca).exists());
  auto reports = sign::VerifyPdf(r.document, {ca});
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].digest_valid) << reports[0].problem;
  EXPECT_TRUE(reports[0].trusted) << reports[0].problem;
  EXPECT_TRUE(reports[0].covers_whole_file);
  EXPECT_FALSE(sign::VerifyPdf(r.document, {})[0].trusted);  // the development CA is trusted by nobody else

  // What produced it.
  render::RenderedDocument rendered = renderer_->Render("letter", body);
  EXPECT_EQ(r.document.compare(0, rendered.bytes.size(), rendered.bytes), 0) << "signing must append only";
  Poco::Dynamic::Var record = ParseJson(store.Read(r.object_id, "letter.issue.json"));
  EXPECT_EQ(StringAt(record, "/template"), "letter");
  EXPECT_EQ(StringAt(record, "/template_digest"), rendered.template_digest);
  EXPECT_EQ(StringAt(record, "/template_digest").size(), 64u);
  EXPECT_EQ(StringAt(record, "/zhiping_version"), ZHIPING_VERSION);
  EXPECT_EQ(StringAt(record, "/unsigned_sha256"), Sha256Hex(rendered.bytes));
  EXPECT_EQ(StringAt(record, "/user/name"), "alice");
  EXPECT_TRUE(AtPointer(record, "/development_identity").convert<bool>());

  // Visible at the template's seal rectangle when it has one.
  std::vector<double> rect = AppendedRect(r.document, rendered.bytes.size());
  if (rendered.seal_page >= 0) {
    EXPECT_NEAR(rect[0], rendered.seal_x, 0.01);
    EXPECT_NEAR(rect[1], rendered.seal_y, 0.01);
    EXPECT_NEAR(rect[2] - rect[0], rendered.seal_w, 0.01);
    EXPECT_NEAR(rect[3] - rect[1], rendered.seal_h, 0.01);
  }
}

TEST_F(issuing_Issuer, SameOutputMakesNoVersionAChangedBodyMakesTheNext) {
  const std::string body = Sample("letter.json");
  IssueResult first = issuer_->Issue("letter", body, Alice(), "");
  IssueResult again = issuer_->Issue("letter", body, {"bob", ""}, "again");
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.version, "v1");
  EXPECT_EQ(again.document, first.document);  // the stored one, not signed anew
  ASSERT_EQ(again.files.size(), 3u);
  EXPECT_EQ(again.files[0].digest, first.files[0].digest);
  EXPECT_EQ(issuer_->store().Versions(first.object_id).size(), 1u);
  EXPECT_EQ(issuer_->store().Versions(first.object_id)[0].message, "issue letter");  // the default message

  const std::string changed = WithString(body, "/letter/no", "浙政职评通〔2022〕019号");
  IssueResult second = issuer_->Issue("letter", changed, Alice(), "number corrected");
  EXPECT_TRUE(second.created);
  EXPECT_EQ(second.version, "v2");
  EXPECT_NE(second.files[0].digest, first.files[0].digest);
  // v1 stays readable, byte for byte.
  EXPECT_EQ(issuer_->store().Read(first.object_id, "letter.pdf", "v1"), first.document);
  EXPECT_EQ(issuer_->store().Read(first.object_id, "letter.json", "v1"), body);
  EXPECT_EQ(issuer_->store().Read(first.object_id, "letter.json"), changed);

  // Same output from a body that differs only in bytes (whitespace) is still a new version: the body is evidence.
  IssueResult spaced = issuer_->Issue("letter", changed + "\n", Alice(), "");
  EXPECT_TRUE(spaced.created);
  EXPECT_EQ(spaced.version, "v3");
  // Back to the first body: differs from the head, so a new version again.
  IssueResult back = issuer_->Issue("letter", body, Alice(), "");
  EXPECT_TRUE(back.created);
  EXPECT_EQ(back.version, "v4");
  EXPECT_TRUE(archive::VerifyStore(issuer_->store().root())[1].valid());
}

// IssueOptions::ofd: the same pages as a sealed OFD beside the PDF in one version; the seal verifies against the
// development seal's CA; the package names the office as its author; an OFD asked for again
// from the same body is the stored one; a changed body issued as PDF alone drops the old OFD from the head.
TEST_F(issuing_Issuer, AnOfdIsSealedAndStoredBesideThePdf) {
  const std::string body = Sample("letter.json");
  IssueOptions ofd;
  ofd.ofd = true;
  IssueResult r = issuer_->Issue("letter", body, Alice(), "", ofd);
  ASSERT_TRUE(r.created);
  EXPECT_EQ(r.document_path, "letter.pdf");
  EXPECT_EQ(r.ofd_path, "letter.ofd");
  EXPECT_TRUE(r.development_seal);
  ASSERT_EQ(r.files.size(), 4u);
  EXPECT_EQ(r.files[1].path, "letter.ofd");
  EXPECT_EQ(r.files[1].digest, Sha512Hex(r.ofd));
  EXPECT_EQ(issuer_->store().Read(r.object_id, "letter.ofd"), r.ofd);
  const std::string ca = issuer_->seal_identity().dev_ca_path;
  ASSERT_FALSE(ca.empty());
  const auto reports = seal::VerifyOfd(r.ofd, {zhiping::testing::ReadAll(ca)});
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].valid()) << reports[0].signer_trust_problem << reports[0].maker_trust_problem;
  EXPECT_TRUE(reports[0].development);
  // The OFD says what the PDF says: the office as its author, the letter's words in its pages.
  const ofd::Package package = ofd::ReadZip(r.ofd);
  ASSERT_NE(package.Find("OFD.xml"), nullptr);
  EXPECT_NE(package.Find("OFD.xml")->bytes.find("浙江省思想政治工作人员专业职务评定工作办公室"), std::string::npos);
  ASSERT_NE(package.Find("Doc_0/Pages/Page_0/Content.xml"), nullptr);
  EXPECT_NE(package.Find("Doc_0/Pages/Page_0/Content.xml")->bytes.find("通"), std::string::npos);
  const auto record = ParseJson(issuer_->store().Read(r.object_id, "letter.issue.json"));
  EXPECT_EQ(StringAt(record, "/ofd/path"), "letter.ofd");
  EXPECT_EQ(StringAt(record, "/ofd/sealed_by"), issuer_->seal_identity().seal.info.name);

  IssueResult again = issuer_->Issue("letter", body, Alice(), "", ofd);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.ofd, r.ofd);  // the stored one, not sealed anew
  IssueResult pdf_only = issuer_->Issue("letter", body, Alice(), "");
  EXPECT_FALSE(pdf_only.created);  // the same body: its OFD may stay
  EXPECT_TRUE(pdf_only.ofd_path.empty());

  const std::string changed = WithString(body, "/letter/no", "浙政职评通〔2022〕019号");
  IssueResult second = issuer_->Issue("letter", changed, Alice(), "");
  ASSERT_TRUE(second.created);
  for (const auto& f : issuer_->store().Files(r.object_id)) EXPECT_NE(f.logical_path, "letter.ofd");
  EXPECT_EQ(issuer_->store().Read(r.object_id, "letter.ofd", "v1"), r.ofd);
  EXPECT_TRUE(archive::VerifyStore(issuer_->store().root())[1].valid());
}

// A template without a seal place (the review form) is sealed with an invisible stamp; a roster is never an OFD.
TEST_F(issuing_Issuer, AReviewFormIsSealedWithoutAStampAndARosterIsNoOfd) {
  IssueOptions ofd;
  ofd.ofd = true;
  IssueResult form = issuer_->Issue("review-form", Sample("review-form.json"), Alice(), "", ofd);
  const auto reports = seal::VerifyOfd(form.ofd, {zhiping::testing::ReadAll(issuer_->seal_identity().dev_ca_path)});
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_TRUE(reports[0].valid());
  try {
    issuer_->Issue("roster-summary", Sample("roster-summary.json"), Alice(), "", ofd);
    ADD_FAILURE() << "a roster was issued as OFD";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("roster-summary"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(issuer_->store().Exists(archive::BatchObjectId("zj-zgs-2022")));
}

TEST_F(issuing_Issuer, RoundDocumentsGoToTheBatchObjectAndXlsxAreNotSigned) {
  IssueResult roster = issuer_->Issue("roster-summary", Sample("roster-summary.json"), Alice(), "");
  EXPECT_EQ(roster.object_id, "urn:zhiping:batch:zj-zgs-2022");
  EXPECT_FALSE(roster.applicant);
  EXPECT_EQ(roster.document_path, "roster-summary.xlsx");
  EXPECT_EQ(roster.document.substr(0, 2), "PK");
  EXPECT_FALSE(roster.development_identity);
  Poco::Dynamic::Var record = ParseJson(issuer_->store().Read(roster.object_id, "roster-summary.issue.json"));
  EXPECT_FALSE(AtPointer(record, "/signed").convert<bool>());

  // libxlsxwriter stamps the writing time into the workbook; the same content a second later is the same output.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  IssueResult again = issuer_->Issue("roster-summary", Sample("roster-summary.json"), Alice(), "");
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.version, "v1");

  IssueResult notice = issuer_->Issue("notice", Sample("notice.json"), Alice(), "");
  EXPECT_EQ(notice.object_id, roster.object_id);
  EXPECT_EQ(notice.version, "v2");
  EXPECT_EQ(notice.document_path, "notice.pdf");
  EXPECT_TRUE(notice.development_identity);
  // The round's object keeps both documents.
  std::set<std::string> paths;
  for (const auto& f : issuer_->store().Files(notice.object_id)) paths.insert(f.logical_path);
  EXPECT_EQ(paths, (std::set<std::string>{"notice.issue.json", "notice.json", "notice.pdf",
                                          "roster-summary.issue.json", "roster-summary.json",
                                          "roster-summary.xlsx"}));
}

TEST_F(issuing_Issuer, BadKeysAndBadDataStoreNothing) {
  for (const std::string& id : {std::string("../etc"), std::string("a b"), std::string(65, 'x')}) {
    try {
      issuer_->Issue("letter", LetterFor(id), Alice(), "");
      ADD_FAILURE() << id << " was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput) << e.what();
      bool named = false;
      for (const auto& p : e.problems()) named |= p.pointer == "/applicant/id";
      EXPECT_TRUE(named) << id << ": " << e.what();
    }
  }
  try {
    issuer_->Issue("notice", WithString(Sample("notice.json"), "/batch/id", "a/b"), Alice(), "");
    ADD_FAILURE() << "batch id a/b was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  }
  try {
    issuer_->Issue("no-such-template", Sample("letter.json"), Alice(), "");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  }
  auto reports = archive::VerifyStore(issuer_->store().root());
  EXPECT_EQ(reports.size(), 1u);  // the storage root only: no object was made
}

TEST_F(issuing_Issuer, ConcurrentIdenticalIssuesMakeOneVersion) {
  const std::string body = LetterFor("ZG2022-CONC01");
  std::atomic<int> created{0}, failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      try {
        if (issuer_->Issue("letter", body, Alice(), "").created) ++created;
      } catch (const std::exception&) {
        ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(issuer_->store().Versions(archive::ApplicantObjectId("ZG2022-CONC01")).size(), 1u);
}

TEST(issuing_DevIdentityDir, SitsBesideTheArchiveFolder) {
  namespace sfs = std::filesystem;
  std::string cwd = sfs::current_path().string();
  EXPECT_EQ(DefaultDevIdentityDir("/srv/zhiping/archive"), "/srv/zhiping/.zhiping/dev-identity");
  EXPECT_EQ(DefaultDevIdentityDir("/srv/zhiping/archive/"), "/srv/zhiping/.zhiping/dev-identity");
  EXPECT_EQ(DefaultDevIdentityDir("archive"), cwd + "/.zhiping/dev-identity");
  EXPECT_EQ(DefaultDevIdentityDir("data/./archive"), cwd + "/data/.zhiping/dev-identity");
}

}  // namespace
}  // namespace zhiping::issuing
