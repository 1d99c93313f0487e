#include "sign/verify_command.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "common/json.h"
#include "sign/signer.h"

namespace zhiping::sign {
namespace {

const char kUsage[] =
    "usage: zhiping verify FILE.pdf [--trust CA.pem ...]\n"
    "\n"
    "Checks every PDF signature in FILE.pdf: the signed bytes against the CMS signature, the signer's\n"
    "certificate chain against the trusted CAs (--trust, repeatable; default: the system CA store),\n"
    "the sub-filter (ETSI.CAdES.detached) and what part of the file each signature covers.\n"
    "To check documents signed with the development identity, trust its CA:\n"
    "  zhiping verify letter.pdf --trust .zhiping/dev-identity/dev-ca.pem\n"
    "Exit status: 0 all signatures valid and the newest covers the whole file; 1 not so; 2 usage.\n";

}  // namespace

int RunVerifyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string file;
  std::vector<std::string> trust;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      out << kUsage;
      return 0;
    } else if (a == "--trust") {
      if (i + 1 >= args.size()) {
        err << "verify: --trust needs a CA certificate file\n";
        return 2;
      }
      trust.push_back(args[++i]);
    } else if (a.rfind("--trust=", 0) == 0) {
      trust.push_back(a.substr(8));
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      err << "verify: unknown option " << a << "\n" << kUsage;
      return 2;
    } else if (file.empty()) {
      file = a;
    } else {
      err << "verify: only one file at a time (got " << file << " and " << a << ")\n";
      return 2;
    }
  }
  if (file.empty()) {
    err << kUsage;
    return 2;
  }

  // A file that is not there is a usage error (exit 2), like every other command's missing input file.
  for (const std::string& path : [&] { auto all = trust; all.insert(all.begin(), file); return all; }()) {
    if (::access(path.c_str(), R_OK) != 0) {
      err << "zhiping verify: cannot read " << path << ": " << std::strerror(errno) << "\n";
      return 2;
    }
  }

  std::vector<SignatureReport> reports;
  try {
    reports = VerifyPdf(ReadFile(file), trust);
  } catch (const Error& e) {
    err << "verify: " << file << ": " << e.what() << "\n";
    return e.kind() == ErrorKind::kInvalidInput ? 2 : 1;
  }
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

}  // namespace zhiping::sign
