// sign/tsa_client.h — one RFC 3161 time-stamp request over HTTP.
//
// Internal to src/sign. POSTs a TimeStampReq (SHA-256 imprint, random nonce, certReq) as
// application/timestamp-query and returns the TimeStampToken (a CMS ContentInfo, DER) from a granted response,
// after checking that the token's imprint and nonce are the ones asked for.
#pragma once

#include <string>

namespace zhiping::sign {

// Throws zhiping::Error kUnavailable when the TSA cannot be reached, answers badly or refuses.
std::string RequestTimestampToken(const std::string& tsa_url, const std::string& sha256_digest);

}  // namespace zhiping::sign
