#include "service/routes.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <sstream>

#include "service/problem_json.h"
#include "service/request_body.h"

namespace zhiping::service {

namespace {

void SendJson(Poco::Net::HTTPServerResponse& response, const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out);
  std::string text = out.str();
  response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
  response.setContentType("application/json");
  response.setContentLength(static_cast<std::streamsize>(text.size()));
  response.sendBuffer(text.data(), text.size());
}

}  // namespace

void AddHealthRoutes(Router* router) {
  router->Add({"GET", "/healthz", 0, [](RequestContext& ctx) {
                 Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                 body->set("status", "ok");
                 body->set("version", ZHIPING_VERSION);
                 ctx.response.set("Cache-Control", "no-store");
                 SendJson(ctx.response, body);
               }});
}

void AddRenderRoutes(Router* router, const render::Renderer& renderer) {
  router->Add({"GET", "/v1/templates", kRoleRender | kRoleIssue, [&renderer](RequestContext& ctx) {
                 Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
                 for (const auto& t : renderer.Templates()) {
                   // The file path stays on the server: it says nothing a client can use.
                   Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                   item->set("name", t.name);
                   item->set("title", t.title);
                   item->set("output", t.output);
                   list->add(item);
                 }
                 SendJson(ctx.response, list);
               }});

  router->Add({"POST", "/v1/render/{template}", kRoleRender, [&renderer](RequestContext& ctx) {
                 const std::string& name = ctx.params["template"];
                 // Before reading the body: an unknown template is the cheaper and clearer answer.
                 if (!renderer.HasTemplate(name)) {
                   throw HttpError(404, "unknown-template",
                                   "no template named '" + name + "'; GET /v1/templates lists them");
                 }
                 std::string body = ctx.body.ReadJson();
                 render::RenderedDocument doc = renderer.Render(name, body);
                 auto& r = ctx.response;
                 r.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
                 r.setContentType(doc.media_type);
                 r.set("Content-Disposition", "inline; filename=\"" + name + "." + doc.extension + "\"");
                 // A draft holds personal data; no cache should keep it.
                 r.set("Cache-Control", "no-store");
                 if (doc.pages > 0) r.set("X-Zhiping-Pages", std::to_string(doc.pages));
                 r.setContentLength(static_cast<std::streamsize>(doc.bytes.size()));
                 r.sendBuffer(doc.bytes.data(), doc.bytes.size());
               }});
}

Router MakeRouter(const render::Renderer& renderer) {
  Router router;
  AddHealthRoutes(&router);
  AddRenderRoutes(&router, renderer);
  return router;
}

}  // namespace zhiping::service
