#include "service/http_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/String.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "common/error.h"
#include "service/admission.h"
#include "service/auth.h"
#include "service/connection_watchdog.h"
#include "service/problem_json.h"
#include "service/metrics.h"
#include "service/request_body.h"
#include "service/request_log.h"
#include "service/service_log.h"

namespace zhiping::service {

struct HttpService::State {
  ServiceConfig config;
  Router router;
  TokenStore tokens;
  Admission admission;  // heavy requests at work (server.max_busy, server.queue_wait_ms)
  ServiceLog log;       // log.format, service.instance; config.log_sink or stderr
  std::unique_ptr<Poco::ThreadPool> pool;  // ours, not Poco's default pool of 16, so server.threads is honoured
  // While serving: the handler factory (it holds this State: reset by Stop() to break the cycle) and how to tell
  // its connections that the server stops.
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers;
  std::function<void()> notify_stopped;
  std::shared_ptr<ConnectionWatchdog> watchdog;
  std::unique_ptr<Poco::Net::TCPServer> server;
  uint16_t port = 0;
  std::atomic<int> in_flight{0};  // every request being answered

  State(const ServiceConfig& c, Router r)
      : config(c),
        router(std::move(r)),
        tokens(c.tokens),
        admission(EffectiveMaxBusy(c), std::chrono::milliseconds(c.queue_wait_ms)),
        log(LogOptionsFor(c), c.log_sink) {}
};

namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// The path of a request target, without its query. An absolute-form target (`http://host:port/path?q`, RFC 9112
// §3.2.2, what a client talking to a proxy sends) is served like its origin form: its authority is ignored.
std::string PathOf(const std::string& uri) {
  std::string target = uri;
  for (const char* scheme : {"http://", "https://"}) {
    const size_t n = std::char_traits<char>::length(scheme);
    if (target.size() >= n && Poco::icompare(target.substr(0, n), scheme) == 0) {
      size_t slash = target.find_first_of("/?#", n);
      target = slash == std::string::npos ? "/" : target.substr(slash);
      break;
    }
  }
  size_t q = target.find_first_of("?#");
  std::string path = q == std::string::npos ? target : target.substr(0, q);
  return path.empty() || path[0] != '/' ? "/" + path : path;
}

// Answering and then closing while the client is still sending makes the kernel reset the connection, and the
// reset discards our answer in the client's receive buffer before it reads it. So, as nginx does, stop writing,
// read and drop what the client still sends until it closes (or a bound is reached), then close.
constexpr auto kLingerTotal = std::chrono::seconds(30);
constexpr auto kLingerIdle = std::chrono::seconds(5);
constexpr size_t kLingerBytes = 256u * 1024u * 1024u;

void LingeringClose(HTTPServerRequest& request) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  if (impl == nullptr) return;
  Poco::Net::StreamSocket& socket = impl->socket();
  try {
    socket.shutdownSend();
    const auto deadline = std::chrono::steady_clock::now() + kLingerTotal;
    std::vector<char> buffer(65536);
    size_t total = 0;
    while (total < kLingerBytes) {
      auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      left = std::min<std::chrono::microseconds>(left, kLingerIdle);
      if (!socket.poll(Poco::Timespan(left.count()), Poco::Net::Socket::SELECT_READ)) break;
      int n = socket.receiveBytes(buffer.data(), static_cast<int>(buffer.size()));
      if (n <= 0) break;
      total += static_cast<size_t>(n);
    }
  } catch (const Poco::Exception&) {
    // The client is gone: nothing left to protect.
  }
}

class DispatchHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit DispatchHandler(std::shared_ptr<HttpService::State> state) : state_(std::move(state)) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    Poco::Timestamp started;
    ++state_->in_flight;
    response.setStatusAndReason(HTTPServerResponse::HTTP_OK);  // the factory's placeholder (see DispatchFactory)
    std::string path = PathOf(request.getURI());
    RequestBody body(request, state_->config.body_limit, state_->config.roster_body_limit);
    RequestContext ctx{request, response, body, {}, nullptr};
    // Every answer, a problem too, carries the request's id; the log line names it.
    const std::string request_id = RequestId(request.get("X-Request-Id", ""));
    response.set("X-Request-Id", request_id);
    int status = 0;
    try {
      Serve(ctx, path);
      status = response.getStatus();
    } catch (...) {
      std::string log_line;
      HttpProblem problem = ProblemForCurrentException(&log_line);
      if (!log_line.empty()) state_->log.Event(LogLevel::kError, log_line, {{"rid", request_id}});
      status = Answer(ctx, problem);
    }
    // Logged once the answer is out: the time is the client's wait, not the lingering close's.
    long ms = static_cast<long>(started.elapsed() / 1000);
    const long long bytes = response.hasContentLength() ? static_cast<long long>(response.getContentLength64()) : -1;
    state_->log.Request({request.getMethod(), path, status, ms, ctx.token ? ctx.token->name : "", request_id, bytes});
    // Metrics by route pattern, never by raw path: ids must not become label values.
    Metrics::Global().Request(request.getMethod(), ctx.route ? ctx.route->pattern : "(no route)", status,
                              static_cast<double>(started.elapsed()) / 1e6);
    if (!ctx.body.consumed()) {
      // The answer went out (with Connection: close) over a body we did not read. Only a problem document is
      // known to be flushed already (SendProblem); anything else Poco may still hold until we return.
      response.setKeepAlive(false);
      if (problem_sent_) LingeringClose(request);
    }
    ConnectionAnswered();
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
    // One too large to drop is refused here, so that every answer over an unread body is a problem document,
    // sent and flushed before the lingering close.
    if (m.route->method != "POST" && m.route->method != "PUT" && !ctx.body.Discard()) {
      throw HttpError(413, "body-too-large", "this route takes no request body; this one is too large to drop (or awaits 100 Continue)");
    }
    if (!m.route->heavy) {
      m.route->handler(ctx);
      return;
    }
    // A heavy request takes its slot once its body is in, not before: a client dribbling its body must not hold
    // one of the few slots for server.body_timeout. (Heavy handlers read the body before any real work.)
    Admission& admission = state_->admission;
    std::unique_ptr<AdmissionSlot> slot;
    ctx.body.OnceRead([&admission, &slot] {
      if (!admission.Enter()) {
        throw HttpError(HttpProblem{429, "busy", "", "the service is busy (" + std::to_string(admission.slots()) +
                                    " documents at work); try again shortly", {}, {{"Retry-After", "1"}}});
      }
      slot = std::make_unique<AdmissionSlot>(admission);
    });
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
      SendProblem(ctx.response, problem, LangFromAcceptLanguage(ctx.request.get("Accept-Language", "")));
      problem_sent_ = true;
    } catch (const std::exception&) {
      // The client went away; nothing left to tell it.
    }
    return problem.status;
  }

  std::shared_ptr<HttpService::State> state_;
  bool problem_sent_ = false;
};

class DispatchFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit DispatchFactory(std::shared_ptr<HttpService::State> state) : state_(std::move(state)) {}
  // Called once the request's headers are in, before Poco would send `100 Continue`.
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest& request) override {
    const bool body = request.getChunkedTransferEncoding() ||
                      (request.hasContentLength() && request.getContentLength64() > 0);
    ConnectionHeadersRead(body);
    // Poco sends 100 Continue before the handler runs if the status is still 200. A placeholder status stops it:
    // the body reader sends 100 Continue itself when it starts reading, so refusals (413 for an over-limit
    // Content-Length, 401, 404 ...) go out without inviting the body first. handleRequest resets the status.
    if (request.getExpectContinue()) request.response().setStatus(HTTPServerResponse::HTTP_EXPECTATION_FAILED);
    return new DispatchHandler(state_);
  }

  // Poco's event is protected (HTTPServer, a friend, fires it); every HTTPServerConnection listens to it.
  void ServerStopped() {
    const bool abort_current = false;
    serverStopped(this, abort_current);
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
    // SO_REUSEADDR (a restart need not wait for TIME_WAIT) but not SO_REUSEPORT, which Poco's bind(addr, true)
    // also sets: with it a second server on the same port would start and share the requests with this one.
    socket.bind(Poco::Net::SocketAddress(c.bind, static_cast<Poco::UInt16>(c.port)), true, false);
    socket.listen(64);
  } catch (const Poco::Exception& e) {
    throw Error(ErrorKind::kUnavailable, "cannot listen on " + c.bind + ":" + std::to_string(c.port) + ": " +
                                             e.displayText() + " (is another server using this port?)");
  }
  state_->port = socket.address().port();

  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(c.threads);
  params->setMaxQueued(c.max_queued);
  params->setTimeout(Poco::Timespan(c.request_timeout_seconds, 0));
  // Poco's default of 0 keep-alive requests means none; a worker thread waits at most 5 s for an idle client.
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(100);
  params->setKeepAliveTimeout(Poco::Timespan(5, 0));
  params->setServerName("zhiping");
  params->setSoftwareVersion(std::string("zhiping/") + ZHIPING_VERSION);
  ConnectionTimeouts timeouts;
  timeouts.header = std::chrono::milliseconds(c.header_timeout_ms);
  timeouts.body = std::chrono::milliseconds(c.body_timeout_ms);
  timeouts.keep_alive = std::chrono::seconds(5);
  state_->watchdog = std::make_shared<ConnectionWatchdog>();
  auto* handlers = new DispatchFactory(state_);
  state_->handlers = handlers;
  state_->notify_stopped = [handlers] { handlers->ServerStopped(); };
  state_->pool = std::make_unique<Poco::ThreadPool>(1, c.threads + 1);  // + the TCPServer's dispatcher thread
  state_->server = std::make_unique<Poco::Net::TCPServer>(
      new GuardedConnectionFactory(params, state_->handlers, state_->watchdog, timeouts), *state_->pool, socket,
      params);
  state_->server->start();
}

void HttpService::Stop(std::chrono::milliseconds grace) {
  if (!state_ || !state_->server) return;
  // What HTTPServer::stopAll(false) does: no new connections; every connection is told the server stopped, which
  // closes idle keep-alive connections and lets requests in flight finish.
  state_->server->stop();
  state_->notify_stopped();
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (state_->server->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  state_->server.reset();
  state_->pool->joinAll();
  state_->pool.reset();
  state_->watchdog.reset();
  state_->notify_stopped = nullptr;
  state_->handlers = nullptr;
}

uint16_t HttpService::port() const { return state_->port; }

int HttpService::in_flight() const { return state_->in_flight.load(); }

uint64_t HttpService::connections_cut_off() const {
  return state_->watchdog ? state_->watchdog->cut_off() : 0;
}

std::string HttpService::url() const {
  std::string host = state_->config.bind;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(state_->port) + "/";
}

}  // namespace zhiping::service
