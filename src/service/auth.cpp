#include "service/auth.h"

#include <Poco/Exception.h>
#include <Poco/SHA2Engine.h>
#include <openssl/crypto.h>

#include <cctype>


namespace zhiping::service {

std::optional<std::string> BearerToken(const std::string& header) {
  static const char kScheme[] = "bearer";
  size_t n = sizeof(kScheme) - 1;
  if (header.size() <= n) return std::nullopt;
  for (size_t i = 0; i < n; ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return std::nullopt;
  }
  if (header[n] != ' ' && header[n] != '\t') return std::nullopt;
  size_t start = header.find_first_not_of(" \t", n);
  if (start == std::string::npos) return std::nullopt;
  size_t end = header.find_last_not_of(" \t");
  return header.substr(start, end - start + 1);
}

TokenStore::TokenStore(const std::vector<TokenEntry>& entries) {
  for (const auto& e : entries) {
    try {
      Poco::DigestEngine::Digest digest = Poco::DigestEngine::digestFromHex(e.digest);
      if (digest.size() == 32) entries_.push_back({e, std::move(digest)});
    } catch (const Poco::Exception&) {
      // LoadConfig already reported it; a malformed entry simply never matches.
    }
  }
}

const TokenEntry* TokenStore::Find(const std::string& token) const {
  if (token.empty()) return nullptr;
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(token);
  const Poco::DigestEngine::Digest& presented = engine.digest();
  const TokenEntry* found = nullptr;
  for (const auto& s : entries_) {
    if (CRYPTO_memcmp(presented.data(), s.digest.data(), 32) == 0 && found == nullptr) found = &s.entry;
  }
  return found;
}

}  // namespace zhiping::service
