// service/routes.h — the routes this version serves, grouped so later groups (documents, applicants, jobs,
// metrics) are one more Add...Routes() call in MakeRouter().
//
//   GET  /healthz                  open         200 {"status":"ok","version":"0.1.0"}
//   GET  /v1/templates             render|issue 200 [{name, title, output}]
//   POST /v1/render/{template}     render       200 the PDF or XLSX (draft, nothing stored)
#pragma once

#include "render/renderer.h"
#include "service/router.h"

namespace zhiping::service {

void AddHealthRoutes(Router* router);
// `renderer` must outlive the router.
void AddRenderRoutes(Router* router, const render::Renderer& renderer);

// Every route of this version.
Router MakeRouter(const render::Renderer& renderer);

}  // namespace zhiping::service
