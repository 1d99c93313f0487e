#include "sign/verify_command.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/command_line.h"
#include "common/error.h"
#include "common/json.h"
#include "common/messages.h"
#include "seal/verify_ofd_command.h"
#include "sign/signer.h"

namespace zhiping::sign {
namespace {

const char kUsage[] =
    "usage: zhiping verify FILE.pdf|FILE.ofd [--trust CA.pem ...]\n"
    "\n"
    "Checks every PDF signature in FILE.pdf: the signed bytes against the CMS signature, the signer's\n"
    "certificate chain against the trusted CAs (--trust, repeatable; default: the system CA store),\n"
    "the sub-filter (ETSI.CAdES.detached) and what part of the file each signature covers.\n"
    "To check documents signed with the development identity, trust its CA:\n"
    "  zhiping verify letter.pdf --trust .zhiping/dev-identity/dev-ca.pem\n"
    "An OFD (FILE.ofd) is checked for its GB/T 38540 electronic seals: the SM3 digest of every file of the\n"
    "package (naming each file that changed), the SM2 signature, the seal maker's signature, and both\n"
    "certificates against the trusted CAs at the signing time. For the development seal:\n"
    "  zhiping verify letter.ofd --trust .zhiping/dev-seal/dev-sm2-ca.pem\n"
    "Exit status: 0 all signatures (seals) valid and the newest covers the whole file; 1 not so; 2 usage.\n";

// Prints one block per signature; the exit status: 0 when all are valid and the newest covers the whole file.
int Report(const std::string& file, const std::vector<SignatureReport>& reports, std::ostream& out) {
  if (reports.empty()) {
    out << file << ": no signatures\n";
    return 1;
  }

  bool all_valid = true;
  for (size_t i = 0; i < reports.size(); ++i) {
    const SignatureReport& r = reports[i];
    bool newest = i + 1 == reports.size();
    bool valid = r.digest_valid && r.trusted && r.sub_filter == "ETSI.CAdES.detached" && r.problem.empty();
    if (newest && !r.covers_whole_file) valid = false;
    all_valid = all_valid && valid;
    out << "signature " << i + 1 << " of " << reports.size() << ": " << (valid ? "VALID" : "INVALID") << "\n"
        << "  signer:     " << (r.signer.empty() ? "(unknown)" : r.signer) << "\n"
        << "  digest:     " << (r.digest_valid ? "matches the signed bytes" : "DOES NOT MATCH") << "\n"
        << "  trust:      " << (r.trusted ? "chains to a trusted CA" : "NOT trusted") << "\n"
        << "  coverage:   "
        << (r.covers_whole_file ? "whole file"
                                : newest ? "NOT the whole file: unsigned changes were appended"
                                         : "its revision; later revisions were appended (signed by later signatures)")
        << "\n"
        << "  sub-filter: " << r.sub_filter << "\n"
        << "  claimed time (/M): " << r.signing_time << "\n"
        << "  time stamp: " << (r.has_timestamp ? "yes (RFC 3161 token over the signature)" : "no") << "\n";
    if (!r.problem.empty()) out << "  problem:    " << r.problem << "\n";
  }
  return all_valid ? 0 : 1;
}

}  // namespace

int RunVerifyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CommandLine line("zhiping verify", kUsage, kUsage);
  std::vector<std::string> trust;
  line.app()
      .add_option("--trust", trust)
      ->allow_extra_args(false)  // repeatable, one file each
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  if (std::optional<int> done = line.Parse(args, out, err)) return *done;
  if (line.words().empty()) {
    err << kUsage;
    return 2;
  }
  if (line.words().size() > 1) {
    return line.UsageError("only one file at a time (got " + line.words()[0] + " and " + line.words()[1] + ")", err);
  }
  const std::string file = line.words()[0];

  // A file that is not there is a usage error (exit 2), like every other command's missing input file.
  for (const std::string& path : [&] { auto all = trust; all.insert(all.begin(), file); return all; }()) {
    if (::access(path.c_str(), R_OK) != 0) {
      err << "zhiping verify" << (ProcessLanguage() == Lang::kZh ? "：" : ": ")
          << ClerkText("cannot read " + path + ": " + std::strerror(errno)) << "\n";
      return 2;
    }
  }
  // An OFD (a ZIP) goes to the seal verifier; anything else is read as a PDF. Neither: exit 2 (kInvalidInput),
  // like any bad input.
  return RunGuarded("zhiping verify: " + file, err, [&] {
    std::string bytes = ReadFile(file);
    if (seal::LooksLikeOfd(bytes)) return seal::ReportOfdSeals(file, bytes, trust, out);
    return Report(file, VerifyPdf(bytes, trust), out);
  });
}

}  // namespace zhiping::sign

