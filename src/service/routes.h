// service/routes.h — the routes this version serves, grouped so later groups (documents, applicants, jobs,
// metrics) are one more Add...Routes() call in MakeRouter().
//
//   GET  /healthz                  open         200 {"status":"ok","version":"0.1.0"}
//   GET  /v1/templates             render|issue 200 [{name, title, output}]
//   POST /v1/render/{template}     render       200 the PDF or XLSX (draft, nothing stored)
//   POST /v1/documents/{template}  issue        201 {object, version, created, files, ...} signed and archived
//                                               (200 with created=false when the head already holds it)
//   GET  /v1/applicants/{id}/documents[?version=vN]         read  200 [{path, digest, size, version}]
//   GET  /v1/applicants/{id}/documents/{path...}[?version=vN] read 200 the stored bytes
//   GET  /v1/applicants/{id}/versions                        read  200 [{version, created, user, message, files}]
//   GET  /v1/batches/{id}/...                                the same three for a round's object
// Ids in the path must be archive keys (1-64 of [A-Za-z0-9._-]): anything else is 422 before the archive is touched.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "render/renderer.h"
#include "service/router.h"

namespace zhiping::archive {
class Store;
}
namespace zhiping::issuing {
class Issuer;
}
namespace zhiping::jobs {
class JobRunner;
class JobStore;
}

namespace zhiping::service {

struct JobsParts;

void AddHealthRoutes(Router* router);
// GET /readyz (no credentials): 200 {status: "ready", checks} when every part this service has can do its work now —
// fonts loaded, the archive writable (a file made and removed in its workspace), the job database answering —,
// otherwise 503 {status: "not-ready", checks: {part: why}} with Retry-After, for a load balancer to route around.
void AddReadinessRoutes(Router* router, const render::Renderer& renderer, const issuing::Issuer* issuer,
                        const JobsParts* jobs);
// `renderer` must outlive the router.
void AddRenderRoutes(Router* router, const render::Renderer& renderer);

// `issuer` must outlive the router. The archive's user is the token's name (address urn:zhiping:token:NAME).
void AddDocumentRoutes(Router* router, const issuing::Issuer& issuer);
// `store` must outlive the router.
void AddArchiveRoutes(Router* router, const archive::Store& store);

// Bulk jobs: POST /v1/jobs/letters (issue) -> 202 {job, state, total}; GET /v1/jobs/{job} (issue|read) -> {job,
// state, done, total, failed:[{index, reason}]}; GET /v1/jobs/{job}/letters.zip -> the zip, streamed (409 until done).
struct JobsParts {
  jobs::JobRunner* runner = nullptr;
  jobs::JobStore* store = nullptr;
  size_t max_items = issuing::kDefaultBulkMaxItems;
};
void AddJobRoutes(Router* router, const JobsParts& jobs, const issuing::Issuer& issuer);
// GET /metrics (admin|read): Prometheus text (service/metrics.h).
void AddMetricsRoutes(Router* router);
// What the issuer should report to the metrics (IssuerConfig::observe): stage latencies and documents issued.
std::function<void(const std::string&, const std::string&, double)> IssuerMetricsObserver();

// Every route of this version; without an issuer only health, metrics and render routes (drafts).
Router MakeRouter(const render::Renderer& renderer, const issuing::Issuer* issuer = nullptr,
                  const JobsParts* jobs = nullptr);

}  // namespace zhiping::service
