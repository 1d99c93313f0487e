// tests/support/webhook_receiver.h — an HTTP (or HTTPS) receiver on 127.0.0.1 for a job's callback_url
// (jobs/completion_webhook.h): it records each POST (X-Zhiping-Job, X-Zhiping-Attempt, content type, body, when)
// and answers the statuses of its script in turn (the last one from then on). Thread-safe.
#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace zhiping::testing {

struct Received {
  std::string job, attempt, content_type, body;
  std::chrono::steady_clock::time_point at;
};

// An HTTP receiver on 127.0.0.1 answering the statuses of `script` in turn (the last one from then on).
class WebhookReceiver {
 public:
  explicit WebhookReceiver(std::vector<int> script) : script_(std::move(script)) {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    Start(socket);
  }
  // The same over TLS with `key` and `cert` (PEM files); url() is then https://localhost:PORT/….
  WebhookReceiver(std::vector<int> script, const std::string& key, const std::string& cert) : script_(std::move(script)) {
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, key, cert, "", Poco::Net::Context::VERIFY_NONE);
    Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, context);
    origin_ = "https://localhost:";
    Start(socket);
  }
  ~WebhookReceiver() { server_->stopAll(true); }

  std::string url(const std::string& path = "/hook?key=k1") const { return origin_ + std::to_string(port_) + path; }
  std::vector<Received> received() {
    std::lock_guard<std::mutex> lock(mu_);
    return received_;
  }

 private:
  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(WebhookReceiver* r) : r_(r) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
      std::ostringstream body;
      Poco::StreamCopier::copyStream(request.stream(), body);
      int status;
      {
        std::lock_guard<std::mutex> lock(r_->mu_);
        r_->received_.push_back({request.get("X-Zhiping-Job", ""), request.get("X-Zhiping-Attempt", ""),
                                 request.getContentType(), body.str(), std::chrono::steady_clock::now()});
        status = r_->script_[std::min(r_->received_.size(), r_->script_.size()) - 1];
      }
      response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
      response.setContentLength(0);
      response.send();
    }

   private:
    WebhookReceiver* r_;
  };
  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(WebhookReceiver* r) : r_(r) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(r_);
    }

   private:
    WebhookReceiver* r_;
  };

  void Start(const Poco::Net::ServerSocket& socket) {
    port_ = socket.address().port();
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(this), socket, new Poco::Net::HTTPServerParams);
    server_->start();
  }

  std::mutex mu_;
  std::string origin_ = "http://127.0.0.1:";
  std::vector<int> script_;
  std::vector<Received> received_;
  uint16_t port_ = 0;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace zhiping::testing
