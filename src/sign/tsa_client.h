// sign/tsa_client.h — one RFC 3161 time-stamp request over HTTP or HTTPS.
//
// Internal to src/sign. POSTs a TimeStampReq (SHA-256 imprint, random nonce, certReq) as
// application/timestamp-query and returns the TimeStampToken (a CMS ContentInfo, DER) from a granted response,
// after checking that the token's imprint and nonce are the ones asked for.
#pragma once

#include <string>

namespace zhiping::sign {

// Where the time-stamp authority is. An https:// URL is checked against `ca_file` (PEM, one or more CA
// certificates) or, when it is "", the system's trust store; the server's certificate must match the URL's host.
struct TsaEndpoint {
  std::string url;      // http://… or https://…
  std::string ca_file;  // "" : /etc/ssl/certs
};

// Throws zhiping::Error kUnavailable when the TSA cannot be reached (TLS failures included), answers badly or
// refuses; kInvalidInput for a URL that is neither http:// nor https://.
std::string RequestTimestampToken(const TsaEndpoint& tsa, const std::string& sha256_digest);

}  // namespace zhiping::sign
