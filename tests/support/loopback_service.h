// tests/support/loopback_service.h — the whole service on 127.0.0.1 for a test: a Renderer over the repository's
// templates and fonts, an Issuer on a fresh archive, a job store and runner, and the HttpService on a free port,
// built in that order and torn down in reverse (the server first, so no request reaches a part being destroyed).
//
// Library zhiping_test_service (tests/support/CMakeLists.txt), linked only by the tests that serve HTTP with an
// issuer; the render-only HTTP tests build their HttpService themselves. Not thread-safe to build or destroy; the
// parts are thread-safe as the service uses them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "issuing/issuer.h"
#include "jobs/job_runner.h"
#include "jobs/job_store.h"
#include "render/renderer.h"
#include "service/config.h"
#include "service/http_server.h"
#include "service/routes.h"

namespace zhiping::testing {

struct LoopbackServiceOptions {
  std::string scratch_name = "http";  // the fresh folder (FreshDir) holding archive/ and jobs/
  bool jobs = true;                   // a job store and runner behind /v1/jobs
  size_t job_max_queued = 0;         // JobRunner: jobs that may wait behind the running one (0: none, the 429 case)
  unsigned job_threads = 4;           // … and the threads a job issues with
  size_t job_max_items = 1000;        // items a bulk body may hold
  // Called on the issuer's and the service's configuration before they are built (tokens, limits, observers).
  std::function<void(issuing::IssuerConfig&)> issuer;
  std::function<void(service::ServiceConfig&)> service;
};

class LoopbackService {
 public:
  explicit LoopbackService(const LoopbackServiceOptions& options = LoopbackServiceOptions());
  ~LoopbackService();
  LoopbackService(const LoopbackService&) = delete;
  LoopbackService& operator=(const LoopbackService&) = delete;

  uint16_t port() const { return http_->port(); }
  const std::string& dir() const { return dir_; }  // the scratch folder
  const render::Renderer& renderer() const { return *renderer_; }
  const issuing::Issuer& issuer() const { return *issuer_; }
  jobs::JobStore& job_store() const { return *job_store_; }  // requires options.jobs

 private:
  std::string dir_;
  std::unique_ptr<render::Renderer> renderer_;
  std::unique_ptr<issuing::Issuer> issuer_;
  std::unique_ptr<jobs::JobStore> job_store_;
  std::unique_ptr<jobs::JobRunner> runner_;
  std::unique_ptr<service::JobsParts> parts_;
  std::unique_ptr<service::HttpService> http_;
};

}  // namespace zhiping::testing
