// service/auth.h — who is calling: bearer tokens checked against the configured SHA-256 digests.
//
// The presented token is hashed and compared with every configured digest in constant time (CRYPTO_memcmp, and no
// early exit over the entries), so response timing says nothing about how much of a token was right. Only the
// token's name ever leaves this module (for logs).
#pragma once

#include <Poco/DigestEngine.h>

#include <optional>
#include <string>
#include <vector>

#include "service/config.h"

namespace zhiping::service {

// The token in "Bearer TOKEN" (scheme case-insensitive, RFC 6750); std::nullopt for a missing or different scheme.
std::optional<std::string> BearerToken(const std::string& authorization_header);

class TokenStore {
 public:
  explicit TokenStore(const std::vector<TokenEntry>& entries);

  // The entry whose digest matches `token`, or nullptr. The pointer lives as long as the store.
  const TokenEntry* Find(const std::string& token) const;
  bool empty() const { return entries_.empty(); }

 private:
  struct Stored {
    TokenEntry entry;
    Poco::DigestEngine::Digest digest;  // the 32 bytes behind entry.digest
  };
  std::vector<Stored> entries_;
};

}  // namespace zhiping::service
