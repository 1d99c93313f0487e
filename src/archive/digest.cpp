#include "archive/digest.h"

#include <openssl/evp.h>

#include "common/error.h"

namespace zhiping::archive {

namespace {

const EVP_MD* MdFor(const std::string& algorithm) {
  if (algorithm == "sha512") return EVP_sha512();
  if (algorithm == "sha256") return EVP_sha256();
  if (algorithm == "sha1") return EVP_sha1();
  if (algorithm == "md5") return EVP_md5();
  if (algorithm == "blake2b-512") return EVP_blake2b512();
  return nullptr;
}

}  // namespace

bool IsSupportedDigest(const std::string& algorithm) { return MdFor(algorithm) != nullptr; }

size_t DigestHexLength(const std::string& algorithm) {
  if (algorithm == "sha512" || algorithm == "blake2b-512") return 128;
  if (algorithm == "sha256" || algorithm == "blake2b-256") return 64;
  if (algorithm == "sha1" || algorithm == "blake2b-160") return 40;
  if (algorithm == "md5") return 32;
  if (algorithm == "blake2b-384") return 96;
  return 0;
}

struct Hasher::Ctx {
  EVP_MD_CTX* md = nullptr;
};

Hasher::Hasher(const std::string& algorithm) : ctx_(new Ctx) {
  const EVP_MD* md = MdFor(algorithm);
  if (md == nullptr) throw Error(ErrorKind::kInternal, "unsupported digest algorithm " + algorithm);
  ctx_->md = EVP_MD_CTX_new();
  if (ctx_->md == nullptr || EVP_DigestInit_ex(ctx_->md, md, nullptr) != 1)
    throw Error(ErrorKind::kInternal, "cannot initialise digest " + algorithm);
}

Hasher::~Hasher() {
  if (ctx_->md != nullptr) EVP_MD_CTX_free(ctx_->md);
}

void Hasher::Update(const void* data, size_t size) { EVP_DigestUpdate(ctx_->md, data, size); }

std::string Hasher::HexFinal() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_->md, out, &len);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    hex += kHex[out[i] >> 4];
    hex += kHex[out[i] & 15];
  }
  return hex;
}

std::string HexDigest(const std::string& algorithm, const std::string& bytes) {
  Hasher h(algorithm);
  h.Update(bytes.data(), bytes.size());
  return h.HexFinal();
}

std::string ToLower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace zhiping::archive
