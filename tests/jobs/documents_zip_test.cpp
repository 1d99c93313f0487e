// jobs/documents_zip.h: the zip written while a run goes on is, byte for byte, the zip written after it — whatever
// order the items arrive in, from however many threads — and a feed that fails or is dropped says so or stops.
#include "jobs/documents_zip.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "common/error.h"
#include "issuing/issuer.h"
#include "issuing/policy.h"
#include "jobs/bulk_letters.h"
#include "support/repo_renderer.h"
#include "support/samples.h"
#include "support/temp_dir.h"

namespace zhiping::jobs {
namespace {

// Letters of samples/bulk-letters.json issued once into a fresh archive, shared by the tests below.
class jobs_DocumentsZip : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(testing::FreshDir("documents-zip"));
    issuing::IssuerConfig c;
    c.archive_root = *dir_ + "/archive";
    c.signer.dev_identity_dir = *dir_ + "/.zhiping/dev-identity";
    issuer_ = new issuing::Issuer(c, testing::SharedRenderer());
    const BulkBody body = BulkBody::Parse(testing::Sample("bulk-letters"));
    issued_ = new std::vector<ItemIssued>(
        RunBulk(*issuer_, body, issuing::LocalUser("clerk"), "zip test", BulkOptions()).issued);
  }
  static void TearDownTestSuite() {
    delete issued_;
    delete issuer_;
    delete dir_;
  }
  static std::string ZipAfterwards(const std::vector<ItemIssued>& items) {
    std::ostringstream out;
    WriteDocumentsZip(issuer_->store(), items, out);
    return out.str();
  }

  static std::string* dir_;
  static issuing::Issuer* issuer_;
  static std::vector<ItemIssued>* issued_;
};
std::string* jobs_DocumentsZip::dir_ = nullptr;
issuing::Issuer* jobs_DocumentsZip::issuer_ = nullptr;
std::vector<ItemIssued>* jobs_DocumentsZip::issued_ = nullptr;

TEST_F(jobs_DocumentsZip, ItemsInAnyOrderFromManyThreadsGiveTheZipWrittenAfterwards) {
  ASSERT_GE(issued_->size(), 6u);
  // Item 2 "failed": the run reports it as such, and the zip written afterwards lists the others.
  std::vector<ItemIssued> kept;
  for (const ItemIssued& item : *issued_)
    if (item.index != 2) kept.push_back(item);
  const std::string expected = ZipAfterwards(kept);

  for (unsigned seed = 1; seed <= 3; ++seed) {
    std::vector<ItemIssued> shuffled = kept;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(seed));
    std::ostringstream out;
    DocumentsZipFeed feed(issuer_->store(), out, false);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < 3; ++t) {
      threads.emplace_back([&, t] {
        for (size_t i = t; i < shuffled.size(); i += 3) feed.Issued(shuffled[i]);
        if (t == 1) feed.Failed(2);
      });
    }
    for (auto& t : threads) t.join();
    feed.Finish();
    EXPECT_EQ(out.str().size(), expected.size()) << "seed " << seed;
    EXPECT_TRUE(out.str() == expected) << "seed " << seed;
  }
}

TEST_F(jobs_DocumentsZip, ItemsAStoppedRunNeverStartedAreSkipped) {
  // A stopped run issued items 0, 1 and 4: nothing ever comes for 2 and 3, and Finish must not wait for them.
  std::vector<ItemIssued> some;
  for (const ItemIssued& item : *issued_)
    if (item.index == 0 || item.index == 1 || item.index == 4) some.push_back(item);
  ASSERT_EQ(some.size(), 3u);
  std::ostringstream out;
  DocumentsZipFeed feed(issuer_->store(), out, false);
  feed.Issued(some[2]);
  feed.Issued(some[0]);
  feed.Issued(some[1]);
  feed.Finish();
  EXPECT_TRUE(out.str() == ZipAfterwards(some));
}

TEST_F(jobs_DocumentsZip, AnArchiveErrorOnTheFeedsThreadReachesFinish) {
  std::ostringstream out;
  DocumentsZipFeed feed(issuer_->store(), out, false);
  ItemIssued missing = (*issued_)[0];
  missing.version = "v9";  // no such version
  feed.Issued(missing);
  feed.Issued((*issued_)[1]);  // after the error: never written
  EXPECT_THROW(feed.Finish(), Error);
}

// Items handed over with the bytes just archived are zipped from those bytes: these items' versions are in no
// archive, so reading them back would fail. Item 0, the one they all wait for, comes last.
std::vector<ItemIssued> HeldItems(size_t n) {
  std::vector<ItemIssued> items;
  for (size_t i = 1; i <= n; ++i) {
    const std::string held = "%PDF held document " + std::to_string(i);
    items.push_back(ItemIssued{i, "HELD-" + std::to_string(i), "v9", true, "", "",
                               std::make_shared<const ArchivedBytes>(ArchivedBytes{held, ""})});
  }
  return items;
}

TEST_F(jobs_DocumentsZip, HeldBytesAreZippedWithoutReadingTheArchive) {
  std::ostringstream out;
  DocumentsZipFeed feed(issuer_->store(), out, false);
  const std::vector<ItemIssued> held = HeldItems(DocumentsZipFeed::kMaxHeldDocuments);
  for (const ItemIssued& item : held) feed.Issued(item);
  feed.Issued((*issued_)[0]);  // no bytes held: read from the archive
  ASSERT_NO_THROW(feed.Finish());
  for (const ItemIssued& item : held) {
    EXPECT_NE(out.str().find(item.bytes->document), std::string::npos) << item.index;
    EXPECT_NE(out.str().find(item.applicant_id + ".pdf"), std::string::npos) << item.index;
  }
  EXPECT_NE(out.str().find((*issued_)[0].applicant_id + ".pdf"), std::string::npos);
}

TEST_F(jobs_DocumentsZip, PastItsLimitAWaitingItemIsReadBackNotHeld) {
  // One more item than the feed holds while item 0 is slow: that one keeps only its names, and reading it back
  // fails here, as it is in no archive. Memory stays bounded however long the wait.
  std::ostringstream out;
  DocumentsZipFeed feed(issuer_->store(), out, false);
  for (const ItemIssued& item : HeldItems(DocumentsZipFeed::kMaxHeldDocuments + 1)) feed.Issued(item);
  feed.Issued((*issued_)[0]);
  EXPECT_THROW(feed.Finish(), Error);
}

TEST_F(jobs_DocumentsZip, AFeedDroppedWithoutFinishStopsItsThread) {
  std::ostringstream out;
  {
    DocumentsZipFeed feed(issuer_->store(), out, false, 1);
    feed.Issued((*issued_)[3]);  // waits for item 1, which never comes
  }  // the destructor returns: the thread was stopped, not left waiting
  SUCCEED();
}

}  // namespace
}  // namespace zhiping::jobs
