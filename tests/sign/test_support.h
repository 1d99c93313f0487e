// tests/sign/test_support.h — real PDFs, a real PKI and real tools (pdfsig) for the signing tests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "sign/signer.h"
#include "support/files.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

namespace zhiping::sign::testing {

// The zhiping::Error that `call` throws, or nothing when it returns normally.
template <typename Call>
std::optional<Error> ErrorFrom(Call call) {
  try {
    call();
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

// Folders, files and commands: tests/support, under the names the signing tests use.
using zhiping::testing::CommandResult;
using zhiping::testing::FreshDir;
using zhiping::testing::Quote;
using zhiping::testing::ReadAll;
using zhiping::testing::RunCommand;
using zhiping::testing::WriteAll;

// A one-page PDF made with libharu: "Hello zhiping" in Helvetica, plus `extra_lines` lines of filler text
// (uncompressed, so a test can find and flip bytes of the page content).
std::string MakeHelloPdf(int extra_lines = 0);

// The test PKI, made once with the openssl CLI (commands from signing-pades.md) and reused by every test process:
// an RSA-3072 root CA, a signer certificate (EKU emailProtection) and a TSA certificate (EKU critical,timeStamping),
// a TLS server certificate for "localhost" (for an https:// TSA), plus an NSS database that trusts the root.
struct TestPki {
  std::string dir, ca_cert, signer_key, signer_cert, tsa_key, tsa_cert, nssdb, tls_key, tls_cert;
};
const TestPki& Pki();

// A signer configuration for the test PKI's signer (key, certificate, the CA as chain); nothing else set.
SignerConfig PkiSignerConfig();

// `pdfsig -nssdir sql:<copy of the PKI's NSS database>` on the file; the output (pdfsig exits 0 regardless).
// With "-dump", the CMS blobs land next to the file as <file>.sig0, .sig1, …
std::string Pdfsig(const std::string& pdf_path, const std::string& extra_args = "");

// The ByteRange numbers of every signature dictionary, in file order, read straight from the bytes.
std::vector<std::vector<long>> ByteRanges(const std::string& pdf);

}  // namespace zhiping::sign::testing
