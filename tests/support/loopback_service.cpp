#include "support/loopback_service.h"

#include <signal.h>

#include "support/repo_renderer.h"
#include "support/temp_dir.h"

namespace zhiping::testing {

LoopbackService::LoopbackService(const LoopbackServiceOptions& options) {
  signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not end the test process
  dir_ = FreshDir(options.scratch_name);
  renderer_ = std::make_unique<render::Renderer>(RepoRendererConfig());
  issuing::IssuerConfig ic;
  ic.archive_root = dir_ + "/archive";
  if (options.issuer) options.issuer(ic);
  issuer_ = std::make_unique<issuing::Issuer>(ic, *renderer_);
  if (options.jobs) {
    job_store_ = std::make_unique<jobs::JobStore>(dir_ + "/jobs");
    runner_ = std::make_unique<jobs::JobRunner>(*job_store_, *issuer_, options.job_max_queued, options.job_threads);
    parts_ = std::make_unique<service::JobsParts>(service::JobsParts{runner_.get(), job_store_.get(), options.job_max_items});
  }
  service::ServiceConfig config;
  config.bind = "127.0.0.1";
  config.port = 0;
  if (options.service) options.service(config);
  http_ = std::make_unique<service::HttpService>(config, service::MakeRouter(*renderer_, issuer_.get(), parts_.get()));
  http_->Start();
}

LoopbackService::~LoopbackService() {
  http_.reset();
  if (runner_) runner_->Stop();
  runner_.reset();
  parts_.reset();
  job_store_.reset();
  issuer_.reset();
  renderer_.reset();
}

}  // namespace zhiping::testing
