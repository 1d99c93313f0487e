// service/http_server.h — the HTTP service: a Poco::Net::HTTPServer that serves a Router's routes.
//
// For every request the dispatcher: resolves the route (404 unknown path, 405 wrong method with Allow), checks
// credentials for every route with roles (401 + WWW-Authenticate: Bearer when missing or unknown, 403 without the
// role), runs the handler, turns thrown HttpError / zhiping::Error / anything else into application/problem+json,
// and writes one log line (request_log.h). Unexpected exceptions answer 500 "internal error" and are logged;
// their text is not sent to the client.
//
// Start() binds and returns; Stop() stops accepting, lets requests in flight finish (up to `grace`) and returns.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "service/config.h"
#include "service/router.h"

namespace zhiping::service {

class HttpService {
 public:
  HttpService(const ServiceConfig& config, Router router);
  ~HttpService();  // Stop()s if running
  HttpService(const HttpService&) = delete;
  HttpService& operator=(const HttpService&) = delete;

  // Throws zhiping::Error kUnavailable when the address cannot be bound.
  void Start();
  void Stop(std::chrono::milliseconds grace = std::chrono::seconds(30));

  uint16_t port() const;    // the bound port (the ephemeral one when configured as 0)
  std::string url() const;  // "http://127.0.0.1:8080/"
  int in_flight() const;    // requests being answered right now

  struct State;  // opaque; shared with the request handlers, which may outlive a Stop() that timed out

 private:
  std::shared_ptr<State> state_;
};

}  // namespace zhiping::service
