// sign/cms_builder.h — the CMS SignedData that goes into a PDF's /Contents (CAdES, PAdES baseline).
//
// Internal to src/sign. Signed attributes are exactly content-type (id-data), message-digest and
// signing-certificate-v2: PAdES B-B forbids signing-time (the claimed time is the signature dictionary's /M), and
// OpenSSL 3.0 adds it whenever it signs a SignerInfo itself, so the attributes are DER-encoded and signed here.
// The signer certificate and chain are included; the content is detached.
#pragma once

#include <string>

#include "sign/identity.h"
#include "sign/tsa_client.h"

namespace zhiping::sign {

// DER of the SignedData over content whose SHA-256 is `content_sha256`. With a non-empty `tsa.url` the SignerInfo
// also gets an RFC 3161 time-stamp token over its signature value (B-T). Thread-safe for a shared Identity.
std::string BuildCadesSignedData(const Identity& identity, const std::string& content_sha256,
                                 const TsaEndpoint& tsa);

}  // namespace zhiping::sign
