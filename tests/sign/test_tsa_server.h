// tests/sign/test_tsa_server.h — an RFC 3161 time-stamp authority on 127.0.0.1 for the B-T tests.
#pragma once

#include <atomic>
#include <memory>
#include <string>

namespace zhiping::sign::testing {

// Serves POST application/timestamp-query with OpenSSL's TS_RESP_CTX, signing with the given TSA key and
// certificate (EKU critical,timeStamping) and including `chain_pem` in the token. Stops on destruction.
class LoopbackTsa {
 public:
  LoopbackTsa(const std::string& key_pem_path, const std::string& cert_pem_path, const std::string& chain_pem_path);
  // The same over TLS with the given server key and certificate: url() is https://localhost:PORT/tsa.
  LoopbackTsa(const std::string& key_pem_path, const std::string& cert_pem_path, const std::string& chain_pem_path,
              const std::string& tls_key_path, const std::string& tls_cert_path);
  ~LoopbackTsa();
  std::string url() const;
  int requests() const;

  struct Impl;  // public so the Poco handler classes in the .cpp can reach it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace zhiping::sign::testing
