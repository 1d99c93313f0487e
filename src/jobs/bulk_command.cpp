#include "jobs/bulk_command.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "common/durable_file.h"
#include "common/error.h"
#include "common/json.h"
#include "common/utf8.h"
#include "jobs/bulk_letters.h"

namespace zhiping::jobs {

const char kBulkHelp[] =
    "usage: zhiping bulk letters DATA.json [--zip OUT.zip] [--threads N] [--message TEXT] [--user NAME]\n"
    "\n"
    "Issues one signed, archived result letter per item of DATA.json\n"
    "({batch, letter: {issued}, items: [{applicant, result, letter_no?}]}), over all cores.\n"
    "An item with invalid data fails alone (its index and problems are reported); the others are issued.\n"
    "Running the same data again makes no new archive versions.\n"
    "  --zip OUT.zip   also write every issued letter into a zip, named {applicant id}.pdf\n"
    "  --threads N     worker threads (default: 2 per core; archive writes wait on the disk)\n"
    "  --message TEXT  recorded with every archive version (default \"bulk letters\")\n"
    "  --user NAME     recorded as who issued (default: $USER)\n"
    "Progress goes to stderr (a bar on a terminal, plain lines otherwise); the summary is JSON on stdout.\n"
    "Exit status: 0 all issued; 2 bad usage, bad data or any failed item; 1 anything else.\n";

namespace {

std::string Duration(double s) {
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%.0fs", s);
  else std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  return buf;
}

}  // namespace

int RunBulkCommand(const std::vector<std::string>& args, const issuing::Issuer& issuer, const std::string& user,
                   std::ostream& out, std::ostream& err, bool tty) {
  std::string data, zip, message = "bulk letters", who = user;
  unsigned threads = 0;
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    (args.empty() ? err : out) << kBulkHelp;
    return args.empty() ? 2 : 0;
  }
  if (args[0] != "letters") {
    err << "zhiping bulk: only 'letters' can be issued in bulk (got '" << args[0] << "')\n";
    return 2;
  }
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* name) -> std::string {
      if (i + 1 >= args.size()) throw Error(ErrorKind::kInvalidInput, std::string(name) + " needs a value");
      return args[++i];
    };
    try {
      if (a == "--help" || a == "-h") {
        out << kBulkHelp;
        return 0;
      } else if (a == "--zip") zip = value("--zip");
      else if (a == "--threads") threads = static_cast<unsigned>(std::stoul(value("--threads")));
      else if (a == "--message") message = value("--message");
      else if (a == "--user") who = value("--user");
      else if (!a.empty() && a[0] == '-' && a != "-") throw Error(ErrorKind::kInvalidInput, "unknown option " + a);
      else if (data.empty()) data = a;
      else throw Error(ErrorKind::kInvalidInput, "unexpected argument " + a);
    } catch (const std::exception& e) {
      err << "zhiping bulk: " << e.what() << "\n" << kBulkHelp;
      return 2;
    }
  }
  if (data.empty()) {
    err << "zhiping bulk: DATA.json is missing\n" << kBulkHelp;
    return 2;
  }
  BulkBody body;
  try {
    body = BulkBody::Parse(data == "-" ? std::string(std::istreambuf_iterator<char>(std::cin), {}) : ReadFile(data));
  } catch (const Error& e) {
    if (IsMalformedJsonError(e.what())) err << (data == "-" ? std::string("(stdin)") : data) << ": ";
    err << (e.problems().empty() || IsMalformedJsonError(e.what()) ? SanitizeText(e.what())
                                                                   : FormatProblem(e.problems()[0]))
        << "\n";
    return 2;
  }
  Problems envelope = ValidateBulkEnvelope(body, 100000);
  if (!envelope.empty()) {
    for (const Problem& p : envelope) err << FormatProblem(p) << "\n";
    return 2;
  }
  if (issuer.is_development())
    err << "warning: letters are signed with the DEVELOPMENT identity (not an official signature); trust "
        << issuer.dev_ca_path() << " only for testing\n";

  const auto start = std::chrono::steady_clock::now();
  auto last_print = start;
  size_t last_decile = 0;
  BulkOptions options;
  options.threads = threads;
  options.on_progress = [&](const BulkProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    const double secs = std::chrono::duration<double>(now - start).count();
    const double rate = secs > 0 ? p.done / secs : 0;
    const double eta = rate > 0 ? (p.total - p.done) / rate : 0;
    const size_t decile = p.total ? p.done * 10 / p.total : 10;
    const bool finished = p.done == p.total;
    char line[160];
    if (tty) {
      if (!finished && now - last_print < std::chrono::milliseconds(100)) return;
      const int width = 30, filled = p.total ? static_cast<int>(width * p.done / p.total) : width;
      std::snprintf(line, sizeof line, "\r[%s%s] %zu/%zu %3zu%%  %.1f letters/s  ETA %s  failed %zu ",
                    std::string(filled, '#').c_str(), std::string(width - filled, '-').c_str(), p.done, p.total,
                    p.total ? p.done * 100 / p.total : 100, rate, Duration(eta).c_str(), p.failed);
      err << line << (finished ? "\n" : "") << std::flush;
    } else {
      if (!finished && decile == last_decile && now - last_print < std::chrono::seconds(5)) return;
      std::snprintf(line, sizeof line, "progress: %zu/%zu (%zu%%), %.1f letters/s, ETA %s, failed %zu\n", p.done,
                    p.total, p.total ? p.done * 100 / p.total : 100, rate, Duration(eta).c_str(), p.failed);
      err << line << std::flush;
    }
    last_print = now;
    last_decile = decile;
  };
  BulkResult r;
  try {
    r = RunBulkLetters(issuer, body, archive::User{who, "urn:zhiping:user:" + who}, message, options);
  } catch (const std::exception& e) {
    err << "zhiping bulk: " << e.what() << "\n";
    return 1;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  size_t created = 0;
  for (const auto& i : r.issued) created += i.created ? 1 : 0;
  for (const auto& f : r.failed) err << "item " << f.index << ": " << f.reason << "\n";
  char summary[200];
  std::snprintf(summary, sizeof summary,
                "issued %zu of %zu letters (%zu new, %zu already archived), %zu failed, in %.1fs (%.1f letters/s)\n",
                r.issued.size(), r.total, created, r.issued.size() - created, r.failed.size(), secs,
                secs > 0 ? r.total / secs : 0.0);
  err << summary;
  if (!zip.empty()) {
    try {
      DurableFileWriter zout(zip);
      WriteLettersZip(issuer.store(), r.issued, zout.stream());
      zout.Commit();
      err << "wrote " << zip << " (" << r.issued.size() << " letters)\n";
    } catch (const std::exception& e) {
      err << "zhiping bulk: " << e.what() << "\n";
      return 1;
    }
  }
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("total", r.total);
  o->set("issued", r.issued.size());
  o->set("created", created);
  o->set("unchanged", r.issued.size() - created);
  Poco::JSON::Array::Ptr failed = new Poco::JSON::Array;
  for (const auto& f : r.failed) {
    Poco::JSON::Object::Ptr fo = new Poco::JSON::Object;
    fo->set("index", f.index);
    fo->set("reason", f.reason);
    failed->add(fo);
  }
  o->set("failed", failed);
  if (!zip.empty()) o->set("zip", zip);
  o->set("seconds", secs);
  Poco::JSON::Stringifier::stringify(o, out);
  out << "\n";
  return r.failed.empty() ? 0 : 2;
}

}  // namespace zhiping::jobs
