#include "service/http_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>

#include <atomic>
#include <thread>

#include "common/error.h"
#include "service/auth.h"
#include "service/problem_json.h"
#include "service/metrics.h"
#include "service/request_body.h"
#include "service/request_log.h"

namespace zhiping::service {

struct HttpService::State {
  ServiceConfig config;
  Router router;
  TokenStore tokens;
  std::unique_ptr<Poco::ThreadPool> pool;  // ours, not Poco's default pool of 16, so server.threads is honoured
  std::unique_ptr<Poco::Net::HTTPServer> server;
  uint16_t port = 0;
  std::atomic<int> busy{0};       // heavy requests at work (server.max_busy)
  std::atomic<int> in_flight{0};  // every request being answered

  State(const ServiceConfig& c, Router r) : config(c), router(std::move(r)), tokens(c.tokens) {}
};

namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

std::string PathOf(const std::string& uri) {
  size_t q = uri.find_first_of("?#");
  std::string path = q == std::string::npos ? uri : uri.substr(0, q);
  return path.empty() ? "/" : path;
}

class DispatchHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit DispatchHandler(std::shared_ptr<HttpService::State> state) : state_(std::move(state)) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    Poco::Timestamp started;
    ++state_->in_flight;
    std::string path = PathOf(request.getURI());
    RequestBody body(request, state_->config.body_limit, state_->config.roster_body_limit);
    RequestContext ctx{request, response, body, {}, nullptr};
    int status = 0;
    try {
      Serve(ctx, path);
      status = response.getStatus();
    } catch (const HttpError& e) {
      status = Answer(ctx, e.problem());
    } catch (const Error& e) {
      HttpProblem p = ProblemFor(e);
      if (p.status >= 500) WriteLogLine("error: " + MaskIdNumbers(e.what()));
      status = Answer(ctx, p);
    } catch (const std::exception& e) {
      WriteLogLine("error: unexpected exception: " + MaskIdNumbers(e.what()));
      status = Answer(ctx, HttpProblem{500, "internal", "", "internal error; the service log has the details", {}, {}});
    } catch (...) {
      WriteLogLine("error: unexpected non-standard exception");
      status = Answer(ctx, HttpProblem{500, "internal", "", "internal error; the service log has the details", {}, {}});
    }
    long ms = static_cast<long>(started.elapsed() / 1000);
    WriteLogLine(FormatRequestLine(request.getMethod(), path, status, ms, ctx.token ? ctx.token->name : ""));
    // Metrics by route pattern, never by raw path: ids must not become label values.
    Metrics::Global().Request(request.getMethod(), ctx.route ? ctx.route->pattern : "(no route)", status,
                              static_cast<double>(started.elapsed()) / 1e6);
    --state_->in_flight;
  }

 private:
  void Serve(RequestContext& ctx, const std::string& path) {
    Router::Match m = state_->router.Resolve(ctx.request.getMethod(), path);
    if (m.route == nullptr) {
      if (m.allowed.empty()) throw HttpError(404, "not-found", "no route " + MaskIdNumbers(path));
      std::string allow;
      for (const auto& method : m.allowed) allow += (allow.empty() ? "" : ", ") + method;
      HttpProblem p{405, "method-not-allowed", "", ctx.request.getMethod() + " is not allowed here; use " + allow,
                    {}, {{"Allow", allow}}};
      throw HttpError(p);
    }
    ctx.params = m.params;
    ctx.route = m.route;
    if (m.route->roles != 0) {
      std::optional<std::string> token;
      if (ctx.request.has("Authorization")) token = BearerToken(ctx.request.get("Authorization"));
      const TokenEntry* entry = token ? state_->tokens.Find(*token) : nullptr;
      if (entry == nullptr) {
        HttpProblem p{401, "unauthorized", "", token ? "the bearer token is not valid"
                                                      : "credentials are required: Authorization: Bearer TOKEN",
                      {}, {{"WWW-Authenticate", token ? "Bearer error=\"invalid_token\"" : "Bearer"}}};
        throw HttpError(p);
      }
      ctx.token = entry;
      if ((entry->roles & m.route->roles) == 0) {
        throw HttpError(403, "forbidden",
                        "token '" + entry->name + "' lacks the role for this route (needs one of: " +
                            FormatRoles(m.route->roles) + ")");
      }
    }
    // Routes that take no body still must not leave one on the connection.
    if (m.route->method != "POST" && m.route->method != "PUT" && !ctx.body.Discard()) {
      ctx.response.setKeepAlive(false);
    }
    if (!m.route->heavy) {
      m.route->handler(ctx);
      return;
    }
    const int max_busy = state_->config.max_busy > 0 ? state_->config.max_busy : state_->config.threads;
    if (++state_->busy > max_busy) {
      --state_->busy;
      throw HttpError(HttpProblem{429, "busy", "", "the service is busy (" + std::to_string(max_busy) +
                                  " documents at work); try again shortly", {}, {{"Retry-After", "1"}}});
    }
    struct Release {
      std::atomic<int>& busy;
      ~Release() { --busy; }
    } release{state_->busy};
    m.route->handler(ctx);
  }

  // Sends a problem unless the handler already started its answer; returns the status that went out.
  int Answer(RequestContext& ctx, const HttpProblem& problem) {
    if (ctx.response.sent()) return ctx.response.getStatus();
    // An unread body would be taken for the next request on this connection; one we cannot drain closes it.
    try {
      if (!ctx.body.Discard()) ctx.response.setKeepAlive(false);
    } catch (const std::exception&) {
      ctx.response.setKeepAlive(false);
    }
    try {
      SendProblem(ctx.response, problem);
    } catch (const std::exception&) {
      // The client went away; nothing left to tell it.
    }
    return problem.status;
  }

  std::shared_ptr<HttpService::State> state_;
};

class DispatchFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit DispatchFactory(std::shared_ptr<HttpService::State> state) : state_(std::move(state)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new DispatchHandler(state_);
  }

 private:
  std::shared_ptr<HttpService::State> state_;
};

}  // namespace

HttpService::HttpService(const ServiceConfig& config, Router router)
    : state_(std::make_shared<State>(config, std::move(router))) {}

HttpService::~HttpService() { Stop(std::chrono::seconds(5)); }

void HttpService::Start() {
  if (state_->server) return;
  const ServiceConfig& c = state_->config;
  Poco::Net::ServerSocket socket;
  try {
    socket.bind(Poco::Net::SocketAddress(c.bind, static_cast<Poco::UInt16>(c.port)), true);
    socket.listen(64);
  } catch (const Poco::Exception& e) {
    throw Error(ErrorKind::kUnavailable, "cannot listen on " + c.bind + ":" + std::to_string(c.port) + ": " +
                                             e.displayText());
  }
  state_->port = socket.address().port();

  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(c.threads);
  params->setMaxQueued(c.max_queued);
  params->setTimeout(Poco::Timespan(c.request_timeout_seconds, 0));
  // Poco's default of 0 keep-alive requests means none; a worker thread waits at most 5 s for an idle client.
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(100);
  params->setKeepAliveTimeout(Poco::Timespan(5, 0));
  params->setServerName("zhiping");
  params->setSoftwareVersion(std::string("zhiping/") + ZHIPING_VERSION);
  state_->pool = std::make_unique<Poco::ThreadPool>(1, c.threads + 1);  // + the TCPServer's dispatcher thread
  state_->server =
      std::make_unique<Poco::Net::HTTPServer>(new DispatchFactory(state_), *state_->pool, socket, params);
  state_->server->start();
}

void HttpService::Stop(std::chrono::milliseconds grace) {
  if (!state_ || !state_->server) return;
  // stopAll(false): no new connections, requests in flight finish; idle keep-alive connections are closed.
  state_->server->stopAll(false);
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (state_->server->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  state_->server.reset();
  state_->pool->joinAll();
  state_->pool.reset();
}

uint16_t HttpService::port() const { return state_->port; }

int HttpService::in_flight() const { return state_->in_flight.load(); }

std::string HttpService::url() const {
  std::string host = state_->config.bind;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(state_->port) + "/";
}

}  // namespace zhiping::service
