// service/router.h — the service's route table: {method, path pattern, roles, handler}.
//
// A pattern is a path whose segments are literals or `{name}` (one non-empty segment, percent-decoded) and whose
// last segment may be `{name...}` (the rest of the path, slashes included: /v1/applicants/{id}/documents/{path...}).
// Resolve() answers which route serves a request, or why none does: no pattern matches the path (404) or patterns
// match but not with this method (405, with the methods that would). Adding a route is one Add() call; the
// dispatcher (http_server.cpp) does authentication, errors and logging for all of them.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "service/config.h"

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace zhiping::service {

class RequestBody;

struct RequestContext {
  Poco::Net::HTTPServerRequest& request;
  Poco::Net::HTTPServerResponse& response;
  RequestBody& body;                          // reads the body within the configured limit
  std::map<std::string, std::string> params;  // {name} -> decoded segment
  const TokenEntry* token = nullptr;          // the caller; nullptr on open routes
  const struct Route* route = nullptr;        // the route serving the request (metrics); nullptr when none
};

// Sends the response itself, or throws HttpError / zhiping::Error for the dispatcher to answer.
using Handler = std::function<void(RequestContext& ctx)>;

struct Route {
  std::string method;  // "GET", "POST", ...
  std::string pattern;
  RoleSet roles = 0;  // the caller needs one of these; 0: open, no credentials needed (only /healthz)
  Handler handler;
  // Heavy routes (render, issue, jobs) take one of server.max_busy slots once their body is read, waiting at most
  // server.queue_wait_ms; then the dispatcher answers 429 with Retry-After instead of letting work pile up.
  bool heavy = false;
};

class Router {
 public:
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;               // nullptr: see allowed
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed;           // path matched with other methods: 405 with Allow; empty: 404
  };
  // `path` without the query string, still percent-encoded.
  Match Resolve(const std::string& method, const std::string& path) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace zhiping::service
