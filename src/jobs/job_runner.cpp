#include "jobs/job_runner.h"

#include "common/error.h"
#include "common/json.h"
#include "issuing/policy.h"

namespace zhiping::jobs {

JobRunner::JobRunner(JobStore& store, const issuing::Issuer& issuer, size_t max_queued, unsigned threads_per_job)
    : store_(store), issuer_(issuer), max_queued_(max_queued), threads_(threads_per_job), thread_([this] { Loop(); }) {}

JobRunner::~JobRunner() { Stop(); }

std::string JobRunner::Submit(const std::string& user, const std::string& body_json, size_t total,
                              const std::string& message, const std::string& kind, bool ofd) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stop_) throw Error(ErrorKind::kUnavailable, "the service is shutting down");
  // One job runs; up to max_queued_ wait behind it.
  if (queue_.size() + (running_ ? 1 : 0) >= max_queued_ + 1)
    throw Error(ErrorKind::kUnavailable, "the job queue is full (one running, " + std::to_string(max_queued_) +
                                             " waiting); try again when a job is done");
  if (!FindBulkKind(kind)) throw Error(ErrorKind::kNotFound, "no bulk kind '" + kind + "'");
  std::string id = store_.Create(user, body_json, total, message, kind, ofd);
  queue_.push_back(id);
  cv_.notify_one();
  return id;
}

size_t JobRunner::queue_depth() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size() + (running_ ? 1 : 0);
}

void JobRunner::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_ && !thread_.joinable()) return;
    stop_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  for (const std::string& id : queue_) store_.SetState(id, "interrupted");
  queue_.clear();
}

void JobRunner::Loop() {
  for (;;) {
    std::string id;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      id = queue_.front();
      queue_.pop_front();
      running_ = true;
    }
    std::string final_state = "done";
    try {
      store_.SetState(id, "running");
      auto record = store_.Get(id);
      const BulkKind* kind = FindBulkKind(record ? record->kind : "letters");
      if (!kind) throw Error(ErrorKind::kInternal, "job of an unknown kind '" + record->kind + "'");
      const BulkBody body = BulkBody::Parse(store_.Body(id), *kind);
      BulkOptions options;
      options.threads = threads_;
      options.stop = &stop_;
      options.issue.ofd = record && record->ofd;
      options.on_issued = [&](const ItemIssued& item) { store_.AddIssued(id, item); };
      options.on_failed = [&](const ItemFailed& f) { store_.AddFailure(id, f); };
      options.on_progress = [&](const BulkProgress& p) { store_.Progress(id, p.done, p.failed); };
      // Jobs are submitted over HTTP: the version records the token, as every other HTTP issue does.
      const archive::User user = issuing::TokenUser(record ? record->user : "zhiping");
      BulkResult r =
          RunBulk(issuer_, body, user, record ? record->message : "bulk " + std::string(kind->noun), options);
      if (r.stopped) final_state = "interrupted";
    } catch (const std::exception& e) {
      store_.AddFailure(id, ItemFailed{static_cast<size_t>(-1), std::string("job failed: ") + e.what()});
      final_state = "interrupted";
    }
    store_.SetState(id, final_state);
    running_ = false;
  }
}

}  // namespace zhiping::jobs
