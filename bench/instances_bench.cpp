// Issue 14: several instances on one PostgreSQL. The same bulk job (N letters: render, PAdES sign, OCFL archive)
// issued by one `zhiping serve` alone and by three sharing the database and the archive folder, in alternating
// rounds so a busy machine slows both alike; letters per second from the job's submission to its end, and the
// claim latency each instance reports (/metrics zhiping_job_claim_seconds). A real PostgreSQL 15 is started here
// (tests/support/postgres_cluster.h), the instances are the built binary (tests/support/serve_process.h).
// Also the database's side alone: claims by 12 threads with no rendering beside them.
// Run by hand: build/bench/instances_bench [LETTERS=600] [ROUNDS=3] (ROUNDS 0: the database's claims only)
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "database/database.h"
#include "jobs/job_store.h"
#include "support/bulk_samples.h"
#include "support/files.h"
#include "support/http_client.h"
#include "support/json_edit.h"
#include "support/paths.h"
#include "support/postgres_cluster.h"
#include "support/run_command.h"
#include "support/samples.h"
#include "support/serve_process.h"
#include "support/temp_dir.h"

using namespace zhiping;

namespace {

const char kToken[] = "bench-token";


struct RoundResult {
  double letters_per_second = 0;
  double claim_p50 = 0, claim_p99 = 0, claim_max = 0;  // the worst instance's, seconds
};

double Gauge(const std::string& metrics, const std::string& quantile) {
  std::smatch m;
  const std::regex re("zhiping_job_claim_seconds\\{quantile=\"" + std::regex_replace(quantile, std::regex("\\."), "\\.") +
                      "\"\\} ([0-9.eE+-]+)");
  return std::regex_search(metrics, m, re) ? std::atof(m[1].str().c_str()) : -1;
}

RoundResult Round(testing::PostgresCluster& pg, size_t instances, unsigned workers, size_t letters, int round) {
  const std::string name = "bench_" + std::to_string(round) + "_" + std::to_string(instances);
  const std::string dir = testing::FreshDir(name);
  testing::WriteAll(dir + "/zhiping.conf", "store.backend = postgresql\nstore.database_url = " +
                                               pg.CreateDatabase(name) + "\narchive.dir = " + dir +
                                               "/archive\njobs.workers = " + std::to_string(workers) + "\n");
  testing::CliOptions options;
  options.env = {{"ZHIPING_ADMIN_TOKEN", kToken}};
  options.cache_home = testing::TestTmpRoot() + "/bench-xdg";
  std::vector<std::unique_ptr<testing::ServeProcess>> serve;
  for (size_t i = 0; i < instances; ++i)
    serve.push_back(std::make_unique<testing::ServeProcess>(std::vector<std::string>{"--config", dir + "/zhiping.conf"},
                                                            dir, options));
  const std::string body = testing::LettersBody(letters, "ZG2022-B");
  const auto start = std::chrono::steady_clock::now();
  testing::TestReply posted = testing::SendTestRequest(serve[0]->port(), "POST", "/v1/jobs/letters", kToken, body);
  if (posted.status != 202) {
    std::fprintf(stderr, "POST failed: %d %s\n", posted.status, posted.body.c_str());
    std::exit(1);
  }
  const std::string job = testing::ParseObject(posted.body)->getValue<std::string>("job");
  for (;;) {
    auto o = testing::ParseObject(testing::SendTestRequest(serve[0]->port(), "GET", "/v1/jobs/" + job, kToken).body);
    const std::string state = o->getValue<std::string>("state");
    if (state == "done") break;
    if (state != "queued" && state != "running") {
      std::fprintf(stderr, "job ended %s\n", state.c_str());
      std::exit(1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  RoundResult r;
  r.letters_per_second = letters / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const auto& s : serve) {
    const std::string metrics = testing::SendTestRequest(s->port(), "GET", "/metrics", kToken).body;
    r.claim_p50 = std::max(r.claim_p50, Gauge(metrics, "0.5"));
    r.claim_p99 = std::max(r.claim_p99, Gauge(metrics, "0.99"));
    r.claim_max = std::max(r.claim_max, Gauge(metrics, "1"));
  }
  for (auto& s : serve) s->Stop(SIGTERM);
  testing::RunCommand("rm -rf " + testing::Quote(dir));
  return r;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// The database's side alone: `claimers` threads (three instances' workers) claiming and finishing the chunks of a
// big job as fast as they can, with no rendering beside them. Seconds per claim, sorted.
std::vector<double> ClaimOnly(testing::PostgresCluster& pg, int claimers, size_t chunks) {
  database::DatabaseConfig config;
  config.backend = database::Backend::kPostgresql;
  config.postgresql_url = pg.CreateDatabase("bench_claims");
  jobs::JobStore store(std::shared_ptr<database::Database>(database::Database::Open(config)), testing::FreshDir("claims"));
  store.database().Prepare(static_cast<size_t>(claimers) + 1);
  store.Create("bench", "{}", chunks * jobs::JobStore::kChunkItems, "m");
  std::mutex mu;
  std::vector<double> seconds;
  std::vector<std::thread> threads;
  for (int t = 0; t < claimers; ++t)
    threads.emplace_back([&, t] {
      const std::string owner = "claimer-" + std::to_string(t);
      for (;;) {
        const auto a = std::chrono::steady_clock::now();
        std::optional<jobs::ChunkClaim> c = store.Claim(owner, 30000);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
        if (!c) return;
        {
          std::lock_guard<std::mutex> lock(mu);
          seconds.push_back(s);
        }
        store.CompleteChunk(*c, owner);
      }
    });
  for (auto& th : threads) th.join();
  std::sort(seconds.begin(), seconds.end());
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t letters = argc > 1 ? static_cast<size_t>(std::atoi(argv[1])) : 600;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  testing::PostgresCluster pg;
  std::vector<double> one, three, p50, p99, worst;
  // One instance with the default workers (twice the cores) against three with two each: on one 2-core machine
  // the three share the same cores, so they get about as many workers in all rather than three times as many.
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  for (int round = 0; round < rounds; ++round) {
    for (size_t instances : {size_t{1}, size_t{3}}) {
      RoundResult r = Round(pg, instances, instances == 1 ? cores * 2 : std::max(1u, cores * 2 / 3 + 1), letters, round);
      (instances == 1 ? one : three).push_back(r.letters_per_second);
      if (instances == 3) {
        p50.push_back(r.claim_p50);
        p99.push_back(r.claim_p99);
        worst.push_back(r.claim_max);
      }
      std::printf("round %d, %zu instance(s): %.1f letters/s; claims p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", round,
                  instances, r.letters_per_second, r.claim_p50 * 1e3, r.claim_p99 * 1e3, r.claim_max * 1e3);
      std::fflush(stdout);
    }
  }
  if (rounds > 0)
    std::printf("%zu letters, %u cores: one instance %.1f letters/s, three instances %.1f letters/s together "
              "(x%.2f, target >= 1.00); claim latency with three: p50 %.2f ms, p99 %.2f ms (target <= 5 ms), "
              "max %.2f ms\n",
              letters, std::thread::hardware_concurrency(), Median(one), Median(three), Median(three) / Median(one),
              Median(p50) * 1e3, Median(p99) * 1e3, Median(worst) * 1e3);
  const std::vector<double> claims = ClaimOnly(pg, 12, 2000);
  std::printf("the database alone, 12 claimers (three instances' workers) taking 2,000 chunks: p50 %.2f ms, p99 %.2f ms, "
              "max %.2f ms (target p99 <= 5 ms)\n",
              claims[claims.size() / 2] * 1e3, claims[claims.size() * 99 / 100] * 1e3, claims.back() * 1e3);
  return 0;
}
