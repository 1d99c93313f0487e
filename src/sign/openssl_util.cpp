#include "sign/openssl_util.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

namespace zhiping::sign {

std::string OpenSslErrors() {
  std::string text;
  unsigned long code;
  while ((code = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    if (!text.empty()) text += "; ";
    text += buf;
  }
  return text.empty() ? "no OpenSSL error queued" : text;
}

void ThrowOpenSsl(ErrorKind kind, const std::string& what) {
  throw Error(kind, what + ": " + OpenSslErrors());
}

std::string Sha256(const std::string& bytes) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), md);
  return std::string(reinterpret_cast<char*>(md), sizeof md);
}

std::string HexEncode(const std::string& bytes, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    hex += digits[c >> 4];
    hex += digits[c & 15];
  }
  return hex;
}

static int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string HexDecode(const std::string& hex) {
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    int hi = HexValue(hex[i]), lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) break;
    bytes += static_cast<char>(hi * 16 + lo);
  }
  return bytes;
}

std::string CertDer(X509* cert) { return Der<X509>(cert, i2d_X509, "certificate"); }

std::string MemBioContents(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, len);
}

std::string CertPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  return MemBioContents(bio.get());
}

std::string PrivateKeyPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return MemBioContents(bio.get());
}

std::string CertFingerprint(X509* cert) {
  std::string hex = HexEncode(Sha256(CertDer(cert)), true);
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    if (i) out += ':';
    out += hex.substr(i, 2);
  }
  return out;
}

std::string CertSubject(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  // RFC 2253 but keep UTF-8 as is (no \XX escapes of multibyte characters): Chinese office names stay readable.
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return MemBioContents(bio.get());
}

X509StackPtr ReadPemCertificates(const std::string& pem, const std::string& what) {
  X509StackPtr certs(sk_X509_new_null());
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) sk_X509_push(certs.get(), cert);
  ERR_clear_error();  // the loop ends on a "no start line" error, which is the normal end of the file
  if (sk_X509_num(certs.get()) == 0) throw Error(ErrorKind::kInvalidInput, what + ": no PEM certificate in it");
  return certs;
}

}  // namespace zhiping::sign
