// archive/digest.h — the digest algorithms of OCFL 1.1 §"Digests", as lowercase hex.
//
// sha512 addresses content; sha256 is allowed; the fixity-only algorithms are computed when OpenSSL has them and
// otherwise reported as unsupported, which a validator must then ignore (E028).
#pragma once

#include <memory>
#include <string>

namespace zhiping::archive {

// True for the algorithms this build can compute: sha512, sha256, sha1, md5, blake2b-512.
bool IsSupportedDigest(const std::string& algorithm);
// Hex length of a digest of `algorithm`, 0 when unknown.
size_t DigestHexLength(const std::string& algorithm);

// Streaming digest: feed it what you write, so content is hashed on the way to disk and never read back.
class Hasher {
 public:
  explicit Hasher(const std::string& algorithm);  // kInternal for an unsupported algorithm
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  void Update(const void* data, size_t size);
  std::string HexFinal();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

std::string HexDigest(const std::string& algorithm, const std::string& bytes);

std::string ToLower(std::string s);

}  // namespace zhiping::archive
