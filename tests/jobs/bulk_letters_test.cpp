// Bulk letters against the real pipeline: real renderer, real development signing identity, real OCFL archive.
#include <gtest/gtest.h>

#include <algorithm>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Zip/ZipArchive.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "archive/archive.h"
#include "common/error.h"
#include "common/json.h"
#include "issuing/issuer.h"
#include "jobs/bulk_letters.h"
#include "jobs/job_runner.h"
#include "jobs/job_store.h"
#include "render/renderer.h"
#include "support/repo_renderer.h"
#include "support/samples.h"
#include "support/temp_dir.h"

namespace zhiping::jobs {
namespace {

using testing::FreshDir;
using testing::SharedRenderer;

struct Rig {
  std::string dir;
  std::unique_ptr<issuing::Issuer> issuer;
  explicit Rig(const std::string& tag) : dir(FreshDir(tag)) {
    issuing::IssuerConfig c;
    c.archive_root = dir + "/archive";
    c.signer.dev_identity_dir = dir + "/.zhiping/dev-identity";
    issuer = std::make_unique<issuing::Issuer>(c, SharedRenderer());
  }
};

// samples/bulk-letters.json, cut to `count` items, with items `broken` made invalid in different ways.
std::string MakeBulkBody(size_t count, const std::set<size_t>& broken) {
  Poco::Dynamic::Var body = testing::SampleJson("bulk-letters");
  auto root = body.extract<Poco::JSON::Object::Ptr>();
  auto items = root->getArray("items");
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  int kind = 0;
  for (size_t i = 0; i < count && i < items->size(); ++i) {
    auto item = items->getObject(static_cast<unsigned>(i));
    if (broken.count(i)) {
      auto applicant = item->getObject("applicant");
      switch (kind++ % 3) {
        case 0: applicant->remove("name"); break;
        case 1: applicant->set("gender", std::string("未知")); break;
        case 2: applicant->set("id", std::string("../etc")); break;
      }
    }
    out->add(item);
  }
  root->set("items", out);
  std::ostringstream ss;
  Poco::JSON::Stringifier::stringify(root, ss);
  return ss.str();
}

TEST(jobs_BulkLetters, BadItemsFailAloneAndRerunMakesNoVersions) {
  Rig rig("bulk");
  const std::string body_text = MakeBulkBody(20, {2, 9, 15});
  const BulkBody body = BulkBody::Parse(body_text);
  EXPECT_TRUE(body.EnvelopeProblems(1000).empty());
  archive::User user{"clerk", "urn:zhiping:user:clerk"};
  size_t last_done = 0;
  BulkOptions options;
  options.threads = 4;
  options.on_progress = [&](const BulkProgress& p) {
    EXPECT_GT(p.done, last_done);  // progress only advances
    last_done = p.done;
    EXPECT_EQ(p.total, 20u);
  };
  BulkResult r = RunBulk(*rig.issuer, body, user, "round letters", options);
  EXPECT_EQ(last_done, 20u);
  ASSERT_EQ(r.failed.size(), 3u);
  EXPECT_EQ(r.failed[0].index, 2u);
  EXPECT_NE(r.failed[0].reason.find("/applicant/name"), std::string::npos) << r.failed[0].reason;
  EXPECT_EQ(r.failed[1].index, 9u);
  EXPECT_NE(r.failed[1].reason.find("/applicant/gender"), std::string::npos) << r.failed[1].reason;
  EXPECT_EQ(r.failed[2].index, 15u);
  EXPECT_NE(r.failed[2].reason.find("/applicant/id"), std::string::npos) << r.failed[2].reason;
  ASSERT_EQ(r.issued.size(), 17u);
  for (const ItemIssued& i : r.issued) {
    EXPECT_TRUE(i.created);
    EXPECT_EQ(i.version, "v1");
  }
  // The same body again: every letter is already there, nothing new is written.
  BulkResult again = RunBulk(*rig.issuer, body, user, "round letters", BulkOptions());
  ASSERT_EQ(again.issued.size(), 17u);
  for (const ItemIssued& i : again.issued) {
    EXPECT_FALSE(i.created);
    EXPECT_EQ(i.version, "v1");
  }
  EXPECT_EQ(rig.issuer->store().Versions(archive::ApplicantObjectId(r.issued[0].applicant_id)).size(), 1u);
  // The zip holds every issued letter, each a PDF, read back from the archive.
  const std::string zip_path = rig.dir + "/letters.zip";
  {
    std::ofstream out(zip_path, std::ios::binary);
    WriteDocumentsZip(rig.issuer->store(), r.issued, out);
  }
  std::ifstream in(zip_path, std::ios::binary);
  Poco::Zip::ZipArchive zip(in);
  size_t entries = 0;
  for (auto it = zip.headerBegin(); it != zip.headerEnd(); ++it) {
    ++entries;
    EXPECT_NE(it->first.find(".pdf"), std::string::npos);
  }
  EXPECT_EQ(entries, 17u);
  for (const auto& v : archive::VerifyStore(rig.dir + "/archive")) EXPECT_TRUE(v.valid()) << v.object_root;
}

TEST(jobs_BulkLetters, EnvelopeProblemsFailTheWholeJob) {
  // The batch is the envelope's: its problems are the job's, not every item's.
  Problems p = BulkBody::Parse(R"({"batch": {}, "letter": {}, "items": []})").EnvelopeProblems(10);
  std::vector<std::string> pointers;
  for (const Problem& problem : p) pointers.push_back(problem.pointer);
  EXPECT_EQ(pointers, (std::vector<std::string>{"/batch/id", "/batch/year", "/batch/title", "/batch/office",
                                                "/letter/issued", "/items"}));
  Problems too_many = BulkBody::Parse(MakeBulkBody(5, {})).EnvelopeProblems(4);
  ASSERT_EQ(too_many.size(), 1u);
  EXPECT_NE(too_many[0].rule.find("at most 4"), std::string::npos);
}

TEST(jobs_BulkBody, ItemsAreLocatedWithoutParsingTheWholeList) {
  // Strings with brackets, commas and escaped quotes inside items must not confuse the scanner.
  BulkBody b = BulkBody::Parse(R"({"letter": {"issued": "2022-12-30"},
    "items": [ {"applicant": {"name": "a,]}\"b"}}, {"applicant": {"name": "[c]"}, "x": [1, {"y": "}"}]}, 7 ],
    "batch": {"id": "zj-zgs-2022", "items": [1, 2, 3]}})");
  ASSERT_EQ(b.size(), 3u);
  // Each item parses on its own as the letter it stands for: a name full of brackets is a name (the item lacks
  // its id, not its syntax), and 7 is an item that is not an object.
  auto pointers_of = [&](size_t index) {
    std::vector<std::string> out;
    for (const Problem& p : b.Letter(index, model::ValidationContext()).TakeProblems()) out.push_back(p.pointer);
    return out;
  };
  const std::vector<std::string> first = pointers_of(0);
  EXPECT_NE(std::find(first.begin(), first.end(), "/applicant/id"), first.end());
  EXPECT_EQ(std::find(first.begin(), first.end(), "/applicant/name"), first.end()) << "the name was read whole";
  const std::vector<std::string> seventh = pointers_of(2);
  EXPECT_NE(std::find(seventh.begin(), seventh.end(), "/applicant"), seventh.end());
  // The envelope keeps everything else: the batch's own "items" is not the list of items.
  for (const Problem& p : b.EnvelopeProblems(10)) EXPECT_EQ(p.pointer.rfind("/items", 0), std::string::npos) << p.pointer;
  // An item is checked as the letter it stands for: its applicant, the envelope's batch and issue date.
  model::Parsed<model::LetterRequest> letter = b.Letter(1, model::ValidationContext());
  ASSERT_FALSE(letter.ok());
  const Problems lp = letter.TakeProblems();
  auto has = [&](const std::string& pointer) {
    for (const Problem& p : lp)
      if (p.pointer == pointer) return true;
    return false;
  };
  EXPECT_TRUE(has("/applicant/id"));
  EXPECT_TRUE(has("/batch/year"));
  EXPECT_FALSE(has("/batch/id"));       // the envelope's, valid
  EXPECT_FALSE(has("/letter/issued"));  // the envelope's issue date reached the letter
  try {
    BulkBody::Parse(R"({"items": [1, 2)");
    FAIL() << "malformed JSON accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    ASSERT_FALSE(e.problems().empty());
    EXPECT_EQ(e.problems()[0].rule.rfind("malformed JSON", 0), 0u);
  }
}

// A job database as the first version made it: no kinds, no chunks, bodies on disk.
Poco::Data::Session FirstVersionJobDatabase(const std::string& dir) {
  Poco::Data::SQLite::Connector::registerConnector();
  Poco::Data::Session old("SQLite", dir + "/jobs.sqlite");
  using namespace Poco::Data::Keywords;
  old << "CREATE TABLE jobs (id TEXT PRIMARY KEY, state TEXT, user TEXT, created TEXT, message TEXT,"
         " done INTEGER, failed INTEGER, total INTEGER)", now;
  old << "CREATE TABLE failures (job TEXT, idx INTEGER, reason TEXT)", now;
  old << "CREATE TABLE issued (job TEXT, idx INTEGER, applicant TEXT, version TEXT, created INTEGER)", now;
  return old;
}

// A job of an earlier version (no chunks: it ran in one process) left unfinished cannot be resumed: opening marks it
// interrupted, keeps what it recorded, and says how many there were.
TEST(jobs_JobStore, AnEarlierVersionsUnfinishedJobIsMarkedInterrupted) {
  const std::string dir = FreshDir("store");
  const std::string running(32, 'b'), done(32, 'c');
  {
    Poco::Data::Session old = FirstVersionJobDatabase(dir);
    using namespace Poco::Data::Keywords;
    old << "INSERT INTO jobs VALUES ('" << running << "', 'running', 'clerk', 'then', 'm', 4, 1, 10)", now;
    old << "INSERT INTO jobs VALUES ('" << done << "', 'done', 'clerk', 'then', 'm', 10, 0, 10)", now;
    old << "INSERT INTO failures VALUES ('" << running << "', 3, 'bad')", now;
    for (int i : {0, 1, 2})
      old << "INSERT INTO issued VALUES ('" << running << "', " << i << ", 'ZG2022-00012" << i << "', 'v1', 1)", now;
  }
  JobStore again(dir);
  EXPECT_EQ(again.interrupted_at_open(), 1u);
  auto r = again.Get(running);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->state, "interrupted");
  EXPECT_EQ(r->done, 4u);  // counted from what it recorded: 3 issued, 1 failed
  EXPECT_EQ(r->failed_count, 1u);
  ASSERT_EQ(r->failures.size(), 1u);
  EXPECT_EQ(r->failures[0].index, 3u);
  EXPECT_EQ(again.Get(done)->state, "done");
  EXPECT_FALSE(again.Get("../../etc/passwd").has_value());
  EXPECT_FALSE(again.Get(std::string(32, 'f')).has_value());
  JobStore third(dir);
  EXPECT_EQ(third.interrupted_at_open(), 0u);
}

// A job database from before jobs had kinds: its jobs read as letters, its issued items as letters of their
// applicants; new jobs keep their kind and their documents' objects and paths.
TEST(jobs_JobStore, ADatabaseFromBeforeKindsReadsAsLettersAndGainsThem) {
  const std::string dir = FreshDir("store-old");
  {
    Poco::Data::Session old = FirstVersionJobDatabase(dir);
    using namespace Poco::Data::Keywords;
    old << "INSERT INTO jobs VALUES ('" << std::string(32, 'a') << "', 'done', 'clerk', 'then', 'm', 1, 0, 1)", now;
    old << "INSERT INTO issued VALUES ('" << std::string(32, 'a') << "', 0, 'ZG2022-000123', 'v1', 1)", now;
  }
  JobStore store(dir);
  auto job = store.Get(std::string(32, 'a'));
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->kind, "letters");
  std::vector<ItemIssued> issued = store.Issued(job->id);
  ASSERT_EQ(issued.size(), 1u);
  EXPECT_EQ(IssuedObjectId(issued[0]), "urn:zhiping:applicant:ZG2022-000123");
  EXPECT_EQ(IssuedPath(issued[0]), "letter.pdf");

  const std::string reports = store.Create("clerk", "{}", 1, "m", "reports");
  store.AddIssued(reports, ItemIssued{0, "2022-zj", "v3", true, "urn:zhiping:batch:2022-zj", "report-c0.pdf", nullptr});
  JobStore again(dir);  // and the columns stay across reopening
  EXPECT_EQ(again.Get(reports)->kind, "reports");
  issued = again.Issued(reports);
  ASSERT_EQ(issued.size(), 1u);
  EXPECT_EQ(IssuedObjectId(issued[0]), "urn:zhiping:batch:2022-zj");
  EXPECT_EQ(IssuedPath(issued[0]), "report-c0.pdf");
}

TEST(jobs_JobRunner, RunsJobsAndRefusesWhenTheQueueIsFull) {
  Rig rig("runner");
  JobStore store(rig.dir + "/state");
  JobRunner runner(store, *rig.issuer, 1, 2);
  const std::string body = MakeBulkBody(6, {1});
  std::string first = runner.Submit("clerk", body, 6, "m");
  // Fill the queue while the first job runs: one waiting job is allowed, the next is refused.
  std::string second;
  bool refused = false;
  for (int i = 0; i < 3 && !refused; ++i) {
    try {
      std::string id = runner.Submit("clerk", body, 6, "m");
      if (second.empty()) second = id;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUnavailable);
      refused = true;
    }
  }
  EXPECT_TRUE(refused);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline && (store.Get(first)->state != "done" ||
                                                         (!second.empty() && store.Get(second)->state != "done")))
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto r = store.Get(first);
  EXPECT_EQ(r->state, "done");
  EXPECT_EQ(r->done, 6u);
  EXPECT_EQ(r->failed_count, 1u);
  ASSERT_EQ(r->failures.size(), 1u);
  EXPECT_EQ(r->failures[0].index, 1u);
  EXPECT_EQ(store.Issued(first).size(), 5u);
}

}  // namespace
}  // namespace zhiping::jobs
