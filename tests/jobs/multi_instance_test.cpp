// Several `zhiping serve` instances on one PostgreSQL and one archive folder, as docs/deploy.md lays them out: a
// real PostgreSQL 15 started by the test (tests/support/postgres_cluster.h) and real child processes
// (tests/support/serve_process.h). What only separate processes show: an instance killed with SIGKILL mid-job,
// concurrent commits to one applicant from different processes, the database going away and coming back.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "archive/archive.h"
#include "support/bulk_samples.h"
#include "support/files.h"
#include "support/http_client.h"
#include "support/json_edit.h"
#include "support/paths.h"
#include "support/postgres_cluster.h"
#include "support/run_cli.h"
#include "support/samples.h"
#include "support/serve_process.h"
#include "support/temp_dir.h"
#include "support/webhook_receiver.h"
#include "../archive/test_util.h"

namespace zhiping {
namespace {

using archive::testing::Describe;
using testing::TestReply;

const char kToken[] = "admin-token-multi";

// `instances` `zhiping serve` processes sharing `<dir>/archive` and one PostgreSQL database; leases of 3 s, so a
// killed instance's work is taken over quickly.
struct Deployment {
  testing::PostgresCluster pg;
  std::string dir, url;
  std::vector<std::unique_ptr<testing::ServeProcess>> instances;
  testing::CliOptions options;

  Deployment(const std::string& name, size_t count) : dir(testing::FreshDir(name)) {
    url = pg.CreateDatabase("zhiping");
    testing::WriteAll(dir + "/zhiping.conf", "store.backend = postgresql\nstore.database_url = " + url +
                                                 "\narchive.dir = " + dir + "/archive\njobs.lease_seconds = 3\n"
                                                 "jobs.max_queued = 10\n");
    options.env = {{"ZHIPING_ADMIN_TOKEN", kToken}};
    options.cache_home = testing::TestTmpRoot() + "/multi-xdg";
    // One at a time: the first makes the development identity and seal the others then find.
    for (size_t i = 0; i < count; ++i) Start();
  }
  void Start() {
    instances.push_back(
        std::make_unique<testing::ServeProcess>(std::vector<std::string>{"--config", dir + "/zhiping.conf"}, dir, options));
  }
  uint16_t port(size_t i) const { return instances.at(i)->port(); }
  // A request to instance `i`. When it cannot be made (the instance has died), the test fails here with how each
  // instance ended and their logs, and the reply has status 0.
  TestReply Send(size_t i, const std::string& method, const std::string& path, const std::string& body = "") const {
    testing::RequestOptions o;
    o.timeout_seconds = 60;
    try {
      return testing::SendTestRequest(port(i), method, path, kToken, body, o);
    } catch (const std::exception& e) {
      std::string states;
      for (size_t k = 0; k < instances.size(); ++k) states += " " + std::to_string(k) + ": " + instances[k]->Describe() + ";";
      ADD_FAILURE() << method << " " << path << " to instance " << i << ": " << e.what() << "; instances" << states
                    << "\n" << Logs();
      return TestReply{};
    }
  }
  Poco::JSON::Object::Ptr Job(size_t i, const std::string& job) const {
    TestReply r = Send(i, "GET", "/v1/jobs/" + job);
    if (r.status != 0) {  // 0: Send has said why already
      EXPECT_EQ(r.status, 200) << r.body;
    }
    return testing::ParseObject(r.status == 200 ? r.body
                                : r.status == 0 ? "{\"done\":0,\"state\":\"unreachable\"}"
                                                : "{\"done\":0,\"state\":\"?\"}");
  }
  // Polls instance `i` until the job has `at_least` items done or has ended (at most `seconds`).
  // Waits until `at_least` items are done — and, when that is every item (`ended`), until the job has ended too:
  // the last item is recorded a moment before its chunk completes the job.
  Poco::JSON::Object::Ptr WaitFor(size_t i, const std::string& job, size_t at_least, bool ended = false,
                                  int seconds = 300) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    Poco::JSON::Object::Ptr o;
    do {
      o = Job(i, job);
      const std::string state = o->getValue<std::string>("state");
      if (state == "done" || state == "interrupted" || state == "unreachable") return o;
      if (o->getValue<size_t>("done") >= at_least && !ended) return o;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } while (std::chrono::steady_clock::now() < deadline);
    return o;
  }
  std::string Logs() const {
    std::string all;
    for (const auto& s : instances) all += s->log() + "\n----\n";
    return all;
  }
};


// Every applicant `prefix`0 … has exactly one version: nothing issued twice, nothing lost.
void ExpectEachOnce(const std::string& archive_root, const std::string& prefix, size_t n) {
  archive::Store store(archive_root);
  size_t missing = 0, twice = 0;
  for (size_t i = 0; i < n; ++i) {
    const std::string object = archive::ApplicantObjectId(prefix + std::to_string(i));
    if (!store.Exists(object))
      ++missing;
    else if (store.Versions(object).size() != 1)
      ++twice;
  }
  EXPECT_EQ(missing, 0u);
  EXPECT_EQ(twice, 0u);
}

void ExpectArchiveValid(const std::string& root) {
  for (const auto& report : archive::VerifyStore(root)) EXPECT_TRUE(report.valid()) << Describe(report);
}

// A bulk job of 3,000 letters posted to A, its progress read from B, C killed with SIGKILL midway: A and B take
// over C's chunks when their leases run out and finish the job; every letter is archived exactly once.
TEST(jobs_MultiInstance, AJobFinishesOnTheOthersWhenAnInstanceIsKilled) {
  Deployment d("multi-kill", 3);
  constexpr size_t kLetters = 3000;
  TestReply posted = d.Send(0, "POST", "/v1/jobs/letters", testing::LettersBody(kLetters, "ZG2022-K"));
  ASSERT_EQ(posted.status, 202) << posted.body;
  const std::string job = testing::ParseObject(posted.body)->getValue<std::string>("job");
  auto midway = d.WaitFor(1, job, kLetters / 5);
  ASSERT_EQ(midway->getValue<std::string>("state"), "running") << d.Logs();
  d.instances[2]->Stop(SIGKILL);
  auto done = d.WaitFor(1, job, kLetters, /*ended=*/true);
  EXPECT_EQ(done->getValue<std::string>("state"), "done") << d.Logs();
  EXPECT_EQ(done->getValue<size_t>("done"), kLetters);
  EXPECT_EQ(done->getArray("failed")->size(), 0u);
  // Every instance answers the same.
  auto from_a = d.Job(0, job);
  EXPECT_EQ(from_a->getValue<std::string>("state"), "done");
  EXPECT_EQ(from_a->getValue<size_t>("done"), kLetters);
  ExpectEachOnce(d.dir + "/archive", "ZG2022-K", kLetters);
  ExpectArchiveValid(d.dir + "/archive");
  // The object index in PostgreSQL equals the objects: rebuilding it from the archive changes nothing.
  testing::CliResult reindex =
      testing::RunCli({"archive", "reindex", "--lang", "en", "--config", d.dir + "/zhiping.conf"}, d.dir, "", d.options);
  EXPECT_EQ(reindex.status, 0) << reindex.err;
  EXPECT_NE(reindex.out.find("indexed " + std::to_string(kLetters) + " object(s)"), std::string::npos) << reindex.out;
  EXPECT_NE(reindex.out.find("nothing changed"), std::string::npos) << reindex.out;
  // The job is listed the same from B, and its print file's first bytes come from A.
  TestReply list = d.Send(1, "GET", "/v1/jobs?limit=1");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(testing::ParseObject(list.body)->getArray("jobs")->getObject(0)->getValue<std::string>("job"), job);
}

// 16 issues for one applicant at once, spread over three instances: 16 versions, none lost (the letters differ in
// their number, so no two are byte-identical).
TEST(jobs_MultiInstance, SixteenConcurrentIssuesForOneApplicantMakeSixteenVersions) {
  Deployment d("multi-versions", 3);
  const std::string sample = testing::Sample("letter");
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  std::vector<std::string> errors(16);
  for (int i = 0; i < 16; ++i)
    threads.emplace_back([&, i] {
      const std::string body = testing::WithString(sample, "/letter/no", "浙政职评通〔2022〕" + std::to_string(100 + i) + "号");
      // As a well-behaved client does: a 429 (the instance's issuing slots are busy) is tried again after its
      // Retry-After.
      TestReply r;
      for (int attempt = 0; attempt < 60; ++attempt) {
        r = d.Send(static_cast<size_t>(i % 3), "POST", "/v1/documents/letter", body);
        if (r.status != 429) break;
        std::this_thread::sleep_for(std::chrono::seconds(std::max(1, std::atoi(r.headers.get("Retry-After", "1").c_str()))));
      }
      if (r.status == 201)
        ++created;
      else
        errors[i] = std::to_string(r.status) + " " + r.body;
    });
  for (auto& t : threads) t.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  EXPECT_EQ(created.load(), 16);
  archive::Store store(d.dir + "/archive");
  const auto versions = store.Versions(archive::ApplicantObjectId("ZG2022-000123"));
  EXPECT_EQ(versions.size(), 16u);
  TestReply listed = d.Send(2, "GET", "/v1/applicants/ZG2022-000123/versions");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ExpectArchiveValid(d.dir + "/archive");
}

// PostgreSQL stopped for 10 s during a job: what needs it answers 503 with Retry-After and /readyz names the
// database; the workers pause, and when it is back the job finishes with every letter issued once.
TEST(jobs_MultiInstance, ADatabaseOutagePausesTheJobAndNothingIsLost) {
  Deployment d("multi-outage", 2);
  constexpr size_t kLetters = 400;
  testing::WebhookReceiver receiver({204});  // the job's end is POSTed here by the instance where it ended
  TestReply posted = d.Send(0, "POST", "/v1/jobs/letters?callback_url=" + receiver.url("/done"),
                            testing::LettersBody(kLetters, "ZG2022-O"));
  ASSERT_EQ(posted.status, 202) << posted.body;
  const std::string job = testing::ParseObject(posted.body)->getValue<std::string>("job");
  d.WaitFor(1, job, 40);
  d.pg.Stop();
  TestReply during = d.Send(1, "GET", "/v1/jobs/" + job);
  EXPECT_EQ(during.status, 503) << during.body;
  EXPECT_NE(during.headers.get("Retry-After", ""), "");
  TestReply ready = d.Send(0, "GET", "/readyz");
  EXPECT_EQ(ready.status, 503) << ready.body;
  EXPECT_NE(ready.body.find("\"database\""), std::string::npos) << ready.body;
  EXPECT_NE(ready.headers.get("Retry-After", ""), "");
  std::this_thread::sleep_for(std::chrono::seconds(10));
  d.pg.Start();
  auto done = d.WaitFor(0, job, kLetters, /*ended=*/true);
  EXPECT_EQ(done->getValue<std::string>("state"), "done") << d.Logs();
  EXPECT_EQ(done->getValue<size_t>("done"), kLetters);
  EXPECT_EQ(done->getArray("failed")->size(), 0u) << testing::ToJson(done);
  EXPECT_NE(d.Logs().find("jobs: paused"), std::string::npos) << d.Logs();
  EXPECT_NE(d.Logs().find("jobs: resumed"), std::string::npos) << d.Logs();
  ExpectEachOnce(d.dir + "/archive", "ZG2022-O", kLetters);
  ExpectArchiveValid(d.dir + "/archive");
  TestReply ready_again = d.Send(1, "GET", "/readyz");
  EXPECT_EQ(ready_again.status, 200) << ready_again.body;
  // The callback: once, with the job as GET /v1/jobs/{job} shows it.
  for (int i = 0; i < 300 && receiver.received().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto calls = receiver.received();
  ASSERT_EQ(calls.size(), 1u) << d.Logs();
  EXPECT_EQ(calls[0].job, job);
  EXPECT_EQ(calls[0].attempt, "1");
  EXPECT_EQ(calls[0].content_type, "application/json");
  auto told = testing::ParseObject(calls[0].body);
  EXPECT_EQ(told->getValue<std::string>("state"), "done");
  EXPECT_EQ(told->getValue<size_t>("done"), kLetters);
}

}  // namespace
}  // namespace zhiping
