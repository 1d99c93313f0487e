#include "jobs/job_runner.h"

#include <openssl/rand.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "common/error.h"
#include "database/database.h"
#include "issuing/policy.h"

namespace zhiping::jobs {

namespace {

// `name` (service.instance; "" the host name) with the pid and random bits: a lease's owner must be this process
// alone, even when two processes share a name (two on one host, or one restarted while its old leases live on).
std::string LeaseOwnerName(const std::string& name) {
  char host[256] = {0};
  if (!name.empty())
    std::snprintf(host, sizeof host, "%s", name.c_str());
  else if (::gethostname(host, sizeof host - 1) != 0 || !host[0])
    std::snprintf(host, sizeof host, "zhiping");
  unsigned char r[3] = {0, 0, 0};
  RAND_bytes(r, sizeof r);
  char tail[32];
  std::snprintf(tail, sizeof tail, "-%d-%02x%02x%02x", static_cast<int>(::getpid()), r[0], r[1], r[2]);
  return std::string(host) + tail;
}

constexpr size_t kKeptContexts = 4;       // parsed bodies kept (a 10,000-item body is ~15 MB of text)
constexpr size_t kKeptLatencies = 10000;

}  // namespace

struct JobRunner::JobContext {
  BulkBody body;
  archive::User user;
  std::string message;
  issuing::IssueOptions issue;
};

JobRunner::JobRunner(JobStore& store, const issuing::Issuer& issuer, JobRunnerOptions options)
    : store_(store), issuer_(issuer), options_(std::move(options)) {
  options_.instance = LeaseOwnerName(options_.instance);
  unsigned workers = options_.workers ? options_.workers : std::max(2u, std::thread::hardware_concurrency() * 2);
  try {
    store_.database().Prepare(workers + 2);  // each worker's claim, the heartbeat, a request: sessions ready
  } catch (const std::exception&) {
    // The database is away at start: the workers pause until it is back.
  }
  for (unsigned i = 0; i < workers; ++i) workers_.emplace_back([this] { Work(); });
  heartbeat_ = std::thread([this] { Beat(); });
}

JobRunner::JobRunner(JobStore& store, const issuing::Issuer& issuer, size_t max_queued, unsigned threads_per_job)
    : JobRunner(store, issuer, [&] {
        JobRunnerOptions o;
        o.max_queued = max_queued;
        o.workers = threads_per_job;
        return o;
      }()) {}

JobRunner::~JobRunner() { Stop(); }

void JobRunner::Log(const std::string& line) const {
  if (options_.log)
    options_.log(line);
  else
    std::cerr << line + "\n" << std::flush;
}

std::string JobRunner::Submit(const std::string& user, const std::string& body_json, size_t total,
                              const std::string& message, const std::string& kind, bool ofd,
                              const std::string& callback_url) {
  if (stop_) throw Error(ErrorKind::kUnavailable, "the service is shutting down");
  if (!FindBulkKind(kind)) throw Error(ErrorKind::kNotFound, "no bulk kind '" + kind + "'");
  // One job runs; up to max_queued wait behind it — counted across every instance, as they share the queue.
  if (store_.CountUnfinished() >= options_.max_queued + 1)
    throw QueueFull(ErrorKind::kUnavailable, "the job queue is full (one running, " + std::to_string(options_.max_queued) +
                                             " waiting); try again when a job is done");
  std::string id = store_.Create(user, body_json, total, message, kind, ofd, callback_url);
  cv_.notify_all();  // this instance's idle workers claim it now rather than at their next poll
  return id;
}

std::optional<JobRecord> JobRunner::Cancel(const std::string& id) {
  const bool cancelled = store_.Cancel(id);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cancelled) cancelled_[id] = true;  // every worker of this instance stops before its next item
  }
  std::optional<JobRecord> job = store_.Get(id);
  if (cancelled && job) {
    Forget(id);
    if (options_.on_finished) options_.on_finished(*job);
  }
  return job;
}

size_t JobRunner::queue_depth() const {
  try {
    return store_.CountUnfinished();
  } catch (const std::exception&) {
    return 0;  // the database is away: /readyz says so
  }
}

std::vector<double> JobRunner::ClaimLatencies() const {
  std::lock_guard<std::mutex> lock(mu_);
  return latencies_;
}

void JobRunner::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_ && workers_.empty() && !heartbeat_.joinable()) return;
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
  if (heartbeat_.joinable()) heartbeat_.join();
  try {
    store_.ReleaseAll(options_.instance);  // the jobs go on elsewhere, or here after a restart
  } catch (const std::exception& e) {
    Log(std::string("jobs: could not give back this instance's chunks (their leases run out instead): ") + e.what());
  }
}

void JobRunner::Pause(const std::string& why) {
  std::lock_guard<std::mutex> lock(mu_);
  const bool first = !paused_;
  paused_ = true;
  pause_ = std::min<std::chrono::milliseconds>(std::max<std::chrono::milliseconds>(pause_ * 2, std::chrono::seconds(1)),
                                               std::chrono::seconds(30));
  resume_at_ = std::chrono::steady_clock::now() + pause_;
  if (first) Log("jobs: paused, will try again (" + why + ")");
}

void JobRunner::Work() {
  while (!stop_) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (paused_ && std::chrono::steady_clock::now() < resume_at_) {
        cv_.wait_until(lock, resume_at_, [&] { return stop_.load(); });
        continue;
      }
    }
    std::optional<ChunkClaim> claim;
    try {
      const auto t0 = std::chrono::steady_clock::now();
      claim = store_.Claim(options_.instance, options_.lease.count());
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::lock_guard<std::mutex> lock(mu_);
      if (latencies_.size() < kKeptLatencies)
        latencies_.push_back(seconds);
      else
        latencies_[latency_next_++ % kKeptLatencies] = seconds;
      if (paused_) {
        paused_ = false;
        pause_ = std::chrono::milliseconds(0);
        Log("jobs: resumed");
      }
    } catch (const std::exception& e) {
      Pause(e.what());
      continue;
    }
    if (!claim) {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, options_.poll);  // woken early by Submit and Stop
      continue;
    }
    ++active_;
    {
      std::lock_guard<std::mutex> lock(mu_);
      held_[{claim->job, claim->first}] = *claim;
    }
    RunChunk(*claim);
    {
      std::lock_guard<std::mutex> lock(mu_);
      held_.erase({claim->job, claim->first});
    }
    --active_;
  }
}

std::shared_ptr<const JobRunner::JobContext> JobRunner::Context(const std::string& job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = contexts_.find(job);
    if (it != contexts_.end()) return it->second;
  }
  std::optional<JobRecord> record = store_.Get(job);
  if (!record) return nullptr;
  std::shared_ptr<JobContext> context;
  try {
    const BulkKind* kind = FindBulkKind(record->kind);
    if (!kind) throw Error(ErrorKind::kInternal, "job of an unknown kind '" + record->kind + "'");
    context = std::make_shared<JobContext>(JobContext{BulkBody::Parse(store_.Body(job), *kind),
                                                      // Jobs are submitted over HTTP: the version records the token,
                                                      // as every other HTTP issue does.
                                                      issuing::TokenUser(record->user), record->message, {}});
    context->issue.ofd = record->ofd;
    if (context->message.empty()) context->message = "bulk " + std::string(kind->noun);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::kUnavailable) throw;
    if (store_.Fail(job, std::string("job failed: ") + e.what())) Finished(job);
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (contexts_.size() >= kKeptContexts) contexts_.erase(contexts_.begin());
  contexts_[job] = context;
  cancelled_.emplace(job, false);
  return context;
}

void JobRunner::Forget(const std::string& job) {
  std::lock_guard<std::mutex> lock(mu_);
  contexts_.erase(job);
  // A cancelled job keeps its mark: other workers may still hold its chunks and must see it before their next
  // item (erasing it here let them finish whole chunks after a DELETE).
  auto it = cancelled_.find(job);
  if (it != cancelled_.end() && !it->second) cancelled_.erase(it);
}

bool JobRunner::Cancelled(const std::string& job) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cancelled_.find(job);
  return it != cancelled_.end() && it->second;
}

void JobRunner::Finished(const std::string& job) {
  try {
    std::optional<JobRecord> record = store_.Get(job);
    Forget(job);
    if (record && options_.on_finished) options_.on_finished(*record);
  } catch (const std::exception& e) {
    Log("jobs: job " + job + " finished, but its callback could not be prepared: " + e.what());
  }
}

void JobRunner::RunChunk(const ChunkClaim& chunk) {
  auto give_back = [&] {
    try {
      store_.Release(chunk, options_.instance);
    } catch (const std::exception&) {
      // The database is away: the heartbeat gives it back when it returns (or its lease runs out first).
      std::lock_guard<std::mutex> lock(mu_);
      to_give_back_.push_back(chunk);
    }
  };
  try {
    std::shared_ptr<const JobContext> context = Context(chunk.job);
    if (!context) return;
    const std::set<size_t> recorded = store_.Recorded(chunk.job, chunk.first, chunk.last);
    for (size_t i = chunk.first; i < chunk.last; ++i) {
      if (recorded.count(i)) continue;
      if (stop_) return give_back();
      if (Cancelled(chunk.job)) return Forget(chunk.job);  // nobody claims a cancelled job's chunks again
      ItemOutcome outcome = IssueBulkItem(issuer_, context->body, i, context->user, context->message, context->issue);
      if (outcome.failed && outcome.error_kind == ErrorKind::kUnavailable) {
        give_back();
        return Pause(outcome.failure.reason);
      }
      if (outcome.failed)
        store_.AddFailure(chunk.job, outcome.failure);
      else
        store_.AddIssued(chunk.job, outcome.issued);
    }
    if (store_.CompleteChunk(chunk, options_.instance)) Finished(chunk.job);
  } catch (const std::exception& e) {
    // The database went away mid-chunk: what was recorded stays; the rest is done when it is back.
    give_back();
    Pause(e.what());
  }
}

void JobRunner::Beat() {
  const auto interval = std::min<std::chrono::milliseconds>(options_.lease / 3, std::chrono::seconds(1));
  while (!stop_) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, interval, [&] { return stop_.load(); });
    }
    if (stop_) return;
    try {
      std::vector<ChunkClaim> held, give_back;
      std::vector<std::string> ids;
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (const auto& [key, chunk] : held_) held.push_back(chunk);
        give_back.swap(to_give_back_);
        for (const auto& [id, cancelled] : cancelled_)
          if (!cancelled) ids.push_back(id);  // a job seen to end stays ended
      }
      store_.Heartbeat(options_.instance, held, options_.lease.count());
      for (size_t i = 0; i < give_back.size(); ++i) {
        try {
          store_.Release(give_back[i], options_.instance);
        } catch (...) {
          std::lock_guard<std::mutex> lock(mu_);
          to_give_back_.insert(to_give_back_.end(), give_back.begin() + static_cast<long>(i), give_back.end());
          throw;
        }
      }
      const std::map<std::string, std::string> states = store_.States(ids);
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& [id, state] : states) {
        auto it = cancelled_.find(id);
        // Any end but the chunks running out (cancelled here or elsewhere, failed elsewhere) stops the work.
        if (it != cancelled_.end()) it->second = state == "cancelled" || state == "interrupted";
      }
    } catch (const std::exception&) {
      // The workers notice the database is away on their own and pause; leases run out if it stays away.
    }
  }
}

}  // namespace zhiping::jobs
