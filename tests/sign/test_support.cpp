#include "test_support.h"

#include "support/paths.h"

#include <hpdf.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace zhiping::sign::testing {

// libharu is C: record the first error instead of throwing through its frames.
static void HaruError(HPDF_STATUS error, HPDF_STATUS detail, void* user) {
  auto* first = static_cast<HPDF_STATUS*>(user);
  if (*first == 0) *first = error;
}

std::string MakeHelloPdf(int extra_lines) {
  HPDF_STATUS first_error = 0;
  HPDF_Doc pdf = HPDF_New(HaruError, &first_error);
  std::string bytes;
  {
    HPDF_SetCompressionMode(pdf, HPDF_COMP_NONE);
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    HPDF_Font font = HPDF_GetFont(pdf, "Helvetica", nullptr);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, font, 14);
    HPDF_Page_TextOut(page, 72, 770, "Hello zhiping");
    HPDF_Page_SetFontAndSize(page, font, 1);
    for (int i = 0; i < extra_lines; ++i) {
      std::string line = "filler line " + std::to_string(i) + " of the sixty kilobyte benchmark page text";
      HPDF_Page_TextOut(page, 72, 700 - (i % 600), line.c_str());
    }
    HPDF_Page_EndText(page);
    HPDF_SaveToStream(pdf);
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
    bytes.resize(size);
    HPDF_ReadFromStream(pdf, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
    bytes.resize(size);
  }
  HPDF_Free(pdf);
  if (first_error != 0) throw std::runtime_error("libharu error " + std::to_string(first_error));
  return bytes;
}

static void MustRun(const std::string& command) {
  CommandResult r = RunCommand(command);
  if (r.exit_code != 0) throw std::runtime_error("command failed: " + command + "\n" + r.output());
}

SignerConfig PkiSignerConfig() {
  SignerConfig config;
  config.key_path = Pki().signer_key;
  config.cert_path = Pki().signer_cert;
  config.chain_path = Pki().ca_cert;
  return config;
}

static TestPki PkiIn(const std::string& dir) {
  return {dir, dir + "/ca.pem", dir + "/signer.key", dir + "/signer.pem", dir + "/tsa.key", dir + "/tsa.pem",
          dir + "/nssdb", dir + "/tls.key", dir + "/tls.pem"};
}

// Made in a private directory and renamed into place, so parallel test processes share one PKI.
const TestPki& Pki() {
  static const TestPki pki = [] {
    std::string final_dir = zhiping::testing::TestTmpRoot() + "/sign-pki-v2";
    if (fs::exists(final_dir + "/nssdb")) return PkiIn(final_dir);
    std::string tmp = FreshDir("pki-tmp");
    std::string cd = "cd " + Quote(tmp) + " && ";
    MustRun(cd +
            "openssl req -x509 -newkey rsa:3072 -sha256 -days 3650 -nodes -keyout ca.key -out ca.pem "
            "-subj '/CN=Test Root CA' -addext 'basicConstraints=critical,CA:TRUE' "
            "-addext 'keyUsage=critical,keyCertSign,cRLSign'");
    MustRun(cd + "openssl req -newkey rsa:3072 -nodes -keyout signer.key -out signer.csr "
                 "-subj '/CN=Test Signing Office'");
    MustRun(cd +
            "printf 'basicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature,nonRepudiation\\n"
            "extendedKeyUsage=emailProtection\\nsubjectKeyIdentifier=hash\\nauthorityKeyIdentifier=keyid\\n' > leaf.ext"
            " && openssl x509 -req -in signer.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -sha256 "
            "-extfile leaf.ext -out signer.pem");
    MustRun(cd +
            "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout tsa.key -out tsa.csr "
            "-subj '/CN=Test Loopback TSA' && "
            "printf 'basicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature\\n"
            "extendedKeyUsage=critical,timeStamping\\nsubjectKeyIdentifier=hash\\nauthorityKeyIdentifier=keyid\\n'"
            " > tsa.ext && openssl x509 -req -in tsa.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 "
            "-sha256 -extfile tsa.ext -out tsa.pem");
    MustRun(cd +
            "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout tls.key -out tls.csr "
            "-subj '/CN=localhost' && "
            "printf 'basicConstraints=critical,CA:FALSE\\nkeyUsage=critical,digitalSignature\\n"
            "extendedKeyUsage=serverAuth\\nsubjectAltName=DNS:localhost\\n' > tls.ext && "
            "openssl x509 -req -in tls.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -sha256 "
            "-extfile tls.ext -out tls.pem");
    MustRun(cd + "mkdir nssdb && certutil -N -d sql:$PWD/nssdb --empty-password && "
                 "certutil -A -d sql:$PWD/nssdb -n 'Test Root CA' -t 'CT,C,C' -i ca.pem");
    if (::rename(tmp.c_str(), final_dir.c_str()) != 0) fs::remove_all(tmp);  // another process won: use its PKI
    return PkiIn(final_dir);
  }();
  return pki;
}

std::string Pdfsig(const std::string& pdf_path, const std::string& extra_args) {
  // A private copy of the NSS database: NSS may write to it, and test processes run in parallel.
  std::string nss = FreshDir("nss");
  MustRun("cp -r " + Quote(Pki().nssdb) + "/. " + Quote(nss));
  // From the file's directory: -dump writes <name>.sig<N> into the working directory.
  fs::path path(pdf_path);
  return RunCommand("cd " + Quote(path.parent_path().string()) + " && pdfsig -nssdir sql:" + Quote(nss) + " " +
                    extra_args + " " + Quote(path.filename().string()))
      .output();
}

std::vector<std::vector<long>> ByteRanges(const std::string& pdf) {
  std::vector<std::vector<long>> ranges;
  std::regex re(R"(/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\])");
  for (auto it = std::sregex_iterator(pdf.begin(), pdf.end(), re); it != std::sregex_iterator(); ++it)
    ranges.push_back({std::stol((*it)[1]), std::stol((*it)[2]), std::stol((*it)[3]), std::stol((*it)[4])});
  return ranges;
}

}  // namespace zhiping::sign::testing
