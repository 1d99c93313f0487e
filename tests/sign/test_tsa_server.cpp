#include "test_tsa_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <openssl/pem.h>
#include <openssl/ts.h>

#include <mutex>
#include <stdexcept>

#include "test_support.h"

namespace zhiping::sign::testing {

struct LoopbackTsa::Impl {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* chain = nullptr;
  std::mutex mutex;  // TS_RESP_CTX is not shared, but the serial counter is
  long serial = 0;
  std::atomic<int> requests{0};
  bool tls = false;
  std::unique_ptr<Poco::Net::HTTPServer> server;

  std::string Respond(const std::string& request_der) {
    ++requests;
    TS_RESP_CTX* ctx = TS_RESP_CTX_new();
    TS_RESP_CTX_set_signer_cert(ctx, cert);
    TS_RESP_CTX_set_signer_key(ctx, key);
    TS_RESP_CTX_set_certs(ctx, chain);
    ASN1_OBJECT* policy = OBJ_txt2obj("1.3.6.1.4.1.99999.1", 1);
    TS_RESP_CTX_set_def_policy(ctx, policy);
    ASN1_OBJECT_free(policy);
    TS_RESP_CTX_add_md(ctx, EVP_sha256());
    TS_RESP_CTX_set_signer_digest(ctx, EVP_sha256());
    TS_RESP_CTX_set_serial_cb(ctx, &Impl::NextSerial, this);
    BIO* in = BIO_new_mem_buf(request_der.data(), static_cast<int>(request_der.size()));
    TS_RESP* resp = TS_RESP_create_response(ctx, in);
    BIO_free(in);
    std::string out;
    if (resp) {
      unsigned char* der = nullptr;
      int len = i2d_TS_RESP(resp, &der);
      if (len > 0) out.assign(reinterpret_cast<char*>(der), len);
      OPENSSL_free(der);
      TS_RESP_free(resp);
    }
    TS_RESP_CTX_free(ctx);
    return out;
  }

  static ASN1_INTEGER* NextSerial(TS_RESP_CTX*, void* data) {
    auto* self = static_cast<Impl*>(data);
    std::lock_guard<std::mutex> lock(self->mutex);
    ASN1_INTEGER* serial = ASN1_INTEGER_new();
    ASN1_INTEGER_set(serial, ++self->serial);
    return serial;
  }
};

namespace {

class TsaHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit TsaHandler(LoopbackTsa::Impl* impl) : impl_(impl) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    std::string reply = request.getMethod() == "POST" && request.getContentType() == "application/timestamp-query"
                            ? impl_->Respond(body)
                            : std::string();
    if (reply.empty()) {
      response.setStatus(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
      response.send() << "bad request";
      return;
    }
    response.setContentType("application/timestamp-reply");
    response.setContentLength(static_cast<std::streamsize>(reply.size()));
    response.send() << reply;
  }

 private:
  LoopbackTsa::Impl* impl_;
};

class TsaFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit TsaFactory(LoopbackTsa::Impl* impl) : impl_(impl) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new TsaHandler(impl_);
  }

 private:
  LoopbackTsa::Impl* impl_;
};

template <typename T>
T* ReadPem(const std::string& path, T* (*read)(BIO*, T**, pem_password_cb*, void*)) {
  std::string pem = ReadAll(path);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  T* value = read(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!value) throw std::runtime_error("cannot read PEM " + path);
  return value;
}

}  // namespace

LoopbackTsa::LoopbackTsa(const std::string& key_path, const std::string& cert_path, const std::string& chain_path)
    : LoopbackTsa(key_path, cert_path, chain_path, "", "") {}

LoopbackTsa::LoopbackTsa(const std::string& key_path, const std::string& cert_path, const std::string& chain_path,
                         const std::string& tls_key_path, const std::string& tls_cert_path)
    : impl_(std::make_unique<Impl>()) {
  impl_->key = ReadPem<EVP_PKEY>(key_path, PEM_read_bio_PrivateKey);
  impl_->cert = ReadPem<X509>(cert_path, PEM_read_bio_X509);
  impl_->chain = sk_X509_new_null();
  sk_X509_push(impl_->chain, ReadPem<X509>(chain_path, PEM_read_bio_X509));
  impl_->tls = !tls_key_path.empty();
  Poco::Net::ServerSocket socket;
  if (impl_->tls) {
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, tls_key_path,
                                                             tls_cert_path, "", Poco::Net::Context::VERIFY_NONE);
    socket = Poco::Net::SecureServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, context);
  } else {
    socket = Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0));
  }
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(4);
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(new TsaFactory(impl_.get()), socket, params);
  impl_->server->start();
}

LoopbackTsa::~LoopbackTsa() {
  impl_->server->stopAll(true);
  EVP_PKEY_free(impl_->key);
  X509_free(impl_->cert);
  sk_X509_pop_free(impl_->chain, X509_free);
}

std::string LoopbackTsa::url() const {
  if (impl_->tls) return "https://localhost:" + std::to_string(impl_->server->port()) + "/tsa";
  return "http://127.0.0.1:" + std::to_string(impl_->server->port()) + "/tsa";
}

int LoopbackTsa::requests() const { return impl_->requests; }

}  // namespace zhiping::sign::testing
