// service/http_server.h — the HTTP service: a Poco::Net::HTTPServer that serves a Router's routes.
//
// For every request the dispatcher: resolves the route (404 unknown path, 405 wrong method with Allow), checks
// credentials for every route with roles (401 + WWW-Authenticate: Bearer when missing or unknown, 403 without the
// role), runs the handler, turns thrown HttpError / zhiping::Error / anything else into application/problem+json,
// and writes one log line (service_log.h: text or JSON, to config.log_sink or stderr). Unexpected exceptions
// answer 500 "internal error" and are logged; their text is not sent to the client.
//
// Hostile or slow clients: connection threads are many (server.threads, cheap: they mostly wait on sockets) and
// every connection has a deadline for its headers and body (connection_watchdog.h), so slow senders are cut off
// and cannot hold every thread. Heavy routes are admitted through server.max_busy slots with a bounded wait
// (admission.h): past it 429 + Retry-After, so admitted requests keep a bounded latency. An answer sent over a
// body we did not read (413, early refusals) says Connection: close and is followed by a lingering close (stop
// writing, drop what the client still sends for up to 30 s / 256 MiB), so a client that sends everything before
// reading still reads the answer instead of a connection reset. An absolute-form target (`GET http://host/path`)
// is served like `GET /path`.
//
// Start() binds (refusing a port another socket listens on: no SO_REUSEPORT) and returns; Stop() stops
// accepting, lets requests in flight finish (up to `grace`) and returns.
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
  uint64_t connections_cut_off() const;  // connections shut down for missing their header/body deadline

  struct State;  // opaque; shared with the request handlers, which may outlive a Stop() that timed out

 private:
  std::shared_ptr<State> state_;
};

}  // namespace zhiping::service
