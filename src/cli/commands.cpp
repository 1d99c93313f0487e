#include "cli/commands.h"

#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cctype>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <vector>

#include "cli/args.h"
#include "common/error.h"
#include "common/json.h"
#include "common/utf8.h"
#include "common/spooled_file.h"
#include "issuing/issuer.h"
#include "jobs/bulk_command.h"
#include "jobs/job_runner.h"
#include "jobs/job_store.h"
#include "preview/preview_command.h"
#include "preview/template_tooling.h"
#include "render/renderer.h"
#include "service/config.h"
#include "service/http_server.h"
#include "service/routes.h"

#include "archive/archive_command.h"
#include "sign/verify_command.h"

namespace zhiping::cli {

namespace {

struct CommandHelp {
  const char* name;
  const char* synopsis;
  const char* summary;
  const char* details;  // printed after the synopsis by `zhiping NAME --help`
};

const char kCommonHelp[] =
    "Common options:\n"
    "  --config FILE     configuration file (docs/configuration.md); default: none, built-in defaults\n"
    "  --templates DIR   template folder (default templates/)\n"
    "  --fonts FILE      font role map (default fonts/fonts.conf)\n"
    "  --archive DIR     archive root (default archive/)\n"
    "Exit status: 0 done; 2 bad input or usage (one line per problem); 1 anything else.\n";

const CommandHelp kCommands[] = {
    {"render", "zhiping render TEMPLATE DATA.json [-o OUT]",
     "render a draft PDF/XLSX (nothing signed or stored)",
     "Renders DATA.json ('-' reads stdin) with TEMPLATE. Writes OUT, or TEMPLATE.pdf / TEMPLATE.xlsx in the\n"
     "current folder without -o, or stdout with -o -. Says where it wrote and how many pages on stderr.\n"
     "Invalid data: exit 2 and one line per problem, \"/pointer: rule\". Unknown template: exit 2.\n"},
    {"issue", "zhiping issue TEMPLATE DATA.json [-o OUT] [--message M] [--user NAME]",
     "render, sign and archive a document",
     "Renders DATA.json ('-' reads stdin) with TEMPLATE, signs a PDF (PAdES; XLSX are not signed) and stores it,\n"
     "with the body and an issue record, as a new version of its archive object: urn:zhiping:applicant:ID for\n"
     "letter and review-form, urn:zhiping:batch:ID for round documents. Prints the result as JSON on stdout:\n"
     "  {\"object\", \"version\", \"created\", \"files\": [{\"path\", \"digest\", \"size\"}], \"document\",\n"
     "   \"development_identity\"}\n"
     "created is false (and no version is made) when the head already holds the same document from the same body.\n"
     "  -o OUT          also write the stored (signed) document to OUT\n"
     "  --message M     why, recorded in the version (default \"issue TEMPLATE\")\n"
     "  --user NAME     who, recorded in the version (default: the local user, $USER)\n"
     "  --override-deadline REASON  issue a report after the round's deadline (batch.deadline); recorded\n"
     "Signing identity: sign.key/sign.cert (configuration) or ZHIPING_SIGN_KEY/ZHIPING_SIGN_CERT; without one a\n"
     "DEVELOPMENT identity is made in .zhiping/dev-identity beside the archive folder, and a warning says so.\n"},
    {"bulk", "zhiping bulk letters DATA.json [--zip OUT.zip] [--threads N] [--message M] [--user NAME]",
     "one signed, archived letter per item, with a progress bar",
     ""},
    {"archive", "zhiping archive ls|get|verify ...", "list, fetch and verify archived documents",
     "  zhiping archive ls APPLICANT_ID [--versions]\n"
     "  zhiping archive get APPLICANT_ID FILE [--version vN] [-o OUT]\n"
     "  zhiping archive verify [APPLICANT_ID...]\n"
     "  --batch ID addresses a round's object instead of an applicant.\n"},
    {"verify", "zhiping verify FILE.pdf [--trust CA.pem ...]", "check the signatures of a PDF", ""},
    {"templates", "zhiping templates [TEMPLATE]", "list templates, or one template's fields and a sample body",
     "Without TEMPLATE: one line per template (name, output, title). With TEMPLATE: JSON with its name, title,\n"
     "output, the fields it uses (nested, lists marked) and a generated sample body that renders. Unknown\n"
     "template: exit 2.\n"},
    {"preview", "zhiping preview [--port N] [--samples DIR]", "local template preview page on 127.0.0.1",
     "Serves a page on http://127.0.0.1:N/ (default 8090) that lists the templates, renders the chosen one with a\n"
     "sample from samples/ (or JSON edited in the page) and refreshes within a second of saving a template or\n"
     "sample. Template errors show file, line and text; invalid data the JSON Pointer list; fields the data\n"
     "lacks are marked 【缺：field】. Only 127.0.0.1 / localhost. See docs/preview.md.\n"},
    {"serve", "zhiping serve [--config FILE] [--port N] [--bind ADDR]", "run the HTTP service",
     "Serves the HTTP API (docs/api.md) on ADDR:N (default 127.0.0.1:8080, or the configuration's server.bind /\n"
     "server.port) and prints its URL on stdout. --port 0 picks a free port. Runs until SIGINT or SIGTERM, then\n"
     "stops accepting, lets requests in flight finish and exits 0. Tokens come from the configuration and\n"
     "ZHIPING_ADMIN_TOKEN.\n"},
    {"token-digest", "zhiping token-digest < TOKEN", "print the SHA-256 digest of a token for the configuration",
     "Reads one token from stdin (a trailing newline is ignored) and prints the lowercase hex SHA-256 that goes\n"
     "in the configuration as token.NAME.digest. The token itself is never stored.\n"
     "  printf %s \"$TOKEN\" | zhiping token-digest\n"},
    {"version", "zhiping version", "print the program version", ""},
};

const CommandHelp* FindHelp(const std::string& name) {
  for (const auto& c : kCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

bool WantsHelp(const Args& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") return true;
    if (a == "--") break;
  }
  return false;
}

int PrintHelp(const std::string& name) {
  const CommandHelp* h = FindHelp(name);
  std::cout << "usage: " << h->synopsis << "\n\n" << h->summary << ".\n";
  if (*h->details) std::cout << "\n" << h->details;
  std::cout << "\n" << kCommonHelp;
  return 0;
}

int Usage(const std::string& command, const std::string& message) {
  std::cerr << "zhiping " << command << ": " << message << "\n"
            << "usage: " << FindHelp(command)->synopsis << " (see zhiping " << command << " --help)\n";
  return 2;
}

// The boundary where zhiping::Error becomes an exit status (common/error.h). `input`: the body's file ("-" for
// stdin), named before a malformed-JSON message so that "body.json: malformed JSON at line 3, column 17: …" says
// where to look.
int Report(const std::string& command, const Error& e, const std::string& input = "") {
  if (e.kind() == ErrorKind::kInvalidInput) {
    if (!input.empty() && IsMalformedJsonError(e.what())) {
      std::cerr << (input == "-" ? std::string("(stdin)") : input) << ": " << SanitizeText(e.what()) << "\n";
      return 2;
    }
    if (e.problems().empty()) std::cerr << SanitizeText(e.what()) << "\n";
    for (const auto& p : e.problems()) std::cerr << FormatProblem(p) << "\n";
    return 2;
  }
  std::cerr << "zhiping " << command << ": " << e.what() << "\n";
  return 1;
}

// The configuration, or an exit status: a missing --config file is a usage error like a bad key in it.
bool LoadConfigFor(const std::string& command, const ParsedArgs& parsed, service::ServiceConfig* config,
                   int* status) {
  try {
    *config = ResolveConfig(parsed);
    return true;
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::kNotFound) {
      std::cerr << "zhiping " << command << ": " << e.what() << "\n";
      *status = 2;
    } else {
      *status = Report(command, e);
    }
    return false;
  }
}

// Runs a command's work; what it throws becomes the exit status (the CLI's one error boundary).
int Guarded(const std::string& command, const std::function<int()>& work, const std::string& input = "") {
  try {
    return work();
  } catch (const Error& e) {
    return Report(command, e, input);
  } catch (const std::exception& e) {
    std::cerr << "zhiping " << command << ": " << e.what() << "\n";
    return 1;
  }
}

render::RendererConfig RendererConfigFor(const service::ServiceConfig& c) {
  render::RendererConfig rc;
  rc.templates_dir = c.templates_dir;
  rc.font_role_map = c.font_role_map;
  rc.font_cache_dir = c.font_cache_dir;
  rc.calendar_file = c.calendar_file;
  return rc;
}

issuing::IssuerConfig IssuerConfigFor(const service::ServiceConfig& c) {
  issuing::IssuerConfig ic;
  ic.archive_root = c.archive_dir;
  ic.signer.key_path = c.sign_key;
  ic.signer.cert_path = c.sign_cert;
  ic.signer.chain_path = c.sign_chain;
  ic.signer.tsa_url = c.tsa_url;
  ic.signer.tsa_ca_path = c.tsa_ca;
  ic.signer.dev_identity_dir = c.dev_identity_dir;  // "": the Issuer's default beside the archive
  ic.visible_signature = c.sign_visible;
  return ic;
}

void WarnDevelopmentIdentity(const issuing::Issuer& issuer, const std::string& what) {
  std::cerr << "warning: " << what << " with the DEVELOPMENT identity: not an official signature; trust "
            << issuer.dev_ca_path() << " only for testing (docs/signing.md)\n";
}

std::string LocalUserName() {
  const char* env = std::getenv("USER");
  if (env && *env) return env;
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name && *pw->pw_name) return pw->pw_name;
  return "zhiping";
}

// urn:zhiping:user:NAME with everything but [A-Za-z0-9._-] percent-encoded: always a valid URI.
std::string UserAddress(const std::string& name) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out = "urn:zhiping:user:";
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '.' || c == '_' || c == '-') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string ReadAllStdin() {
  std::ostringstream ss;
  ss << std::cin.rdbuf();
  return ss.str();
}

// DATA.json, or stdin for '-'; false (after saying why) when it cannot be read: a usage error.
bool ReadBodyArg(const std::string& command, const std::string& path, std::string* body) {
  try {
    *body = path == "-" ? ReadAllStdin() : ReadFile(path);
    return true;
  } catch (const Error& e) {
    std::cerr << "zhiping " << command << ": " << e.what() << "\n";
    return false;
  }
}

}  // namespace

void PrintUsage(std::ostream& out) {
  out << "zhiping " << ZHIPING_VERSION << " — 职评文书服务: official documents of the 高级政工师 evaluation.\n\n"
      << "usage: zhiping COMMAND [ARGS...]   (zhiping COMMAND --help for details)\n\nCommands:\n";
  for (const auto& c : kCommands) {
    std::string name = c.name;
    out << "  " << name << std::string(name.size() < 14 ? 14 - name.size() : 1, ' ') << c.summary << "\n";
  }
  out << "\n" << kCommonHelp;
}

int RunRender(const Args& args) {
  if (WantsHelp(args)) return PrintHelp("render");
  ParsedArgs parsed;
  std::string error;
  std::set<std::string> values = kCommonValueOptions;
  values.insert({"-o", "--output"});
  if (!ParseArgs(args, values, {}, &parsed, &error)) return Usage("render", error);
  if (parsed.positional.size() != 2) return Usage("render", "needs TEMPLATE and DATA.json");
  const std::string& template_name = parsed.positional[0];
  const std::string& data_path = parsed.positional[1];
  std::string out_path = parsed.value("-o", parsed.value("--output"));

  service::ServiceConfig config;
  int status = 0;
  if (!LoadConfigFor("render", parsed, &config, &status)) return status;

  // A readable file is handed to the renderer by path: a roster reads it piece by piece, never holding it whole.
  // Standard input goes to a temporary file first, for the same reason.
  std::string body;
  std::unique_ptr<SpooledFile> spooled;
  if (data_path == "-") {
    try {
      spooled = std::make_unique<SpooledFile>();
      spooled->CopyFrom(0);
      spooled->Close();
    } catch (const Error& e) {
      std::cerr << "zhiping render: " << e.what() << "\n";
      return 2;
    }
  }
  const std::string body_path = spooled ? spooled->path() : data_path;
  const bool by_path = spooled || ::access(data_path.c_str(), R_OK) == 0;
  if (!by_path && !ReadBodyArg("render", data_path, &body)) return 2;
  return Guarded("render", [&] {
    render::RendererConfig renderer_config = RendererConfigFor(config);
    renderer_config.fonts_on_demand = true;  // one render: a roster needs no fonts
    render::Renderer renderer(renderer_config);
    if (!renderer.HasTemplate(template_name)) {
      std::cerr << "zhiping render: unknown template '" << template_name << "' (zhiping templates lists them)\n";
      return 2;  // a name the user typed: a usage error
    }
    render::RenderedDocument doc =
        by_path ? renderer.RenderFile(template_name, body_path) : renderer.Render(template_name, body);
    if (out_path.empty()) out_path = template_name + "." + doc.extension;
    if (out_path == "-") {
      std::cout.write(doc.bytes.data(), static_cast<std::streamsize>(doc.bytes.size()));
      std::cout.flush();
      if (!std::cout) {
        std::cerr << "zhiping render: cannot write to stdout\n";
        return 1;
      }
    } else {
      WriteFileAtomic(out_path, doc.bytes);
    }
    std::cerr << "wrote " << (out_path == "-" ? std::string("stdout") : out_path);
    if (doc.pages > 0) std::cerr << " (" << doc.pages << (doc.pages == 1 ? " page)" : " pages)");
    std::cerr << "\n";
    return 0;
  }, data_path);
}

int RunIssue(const Args& args) {
  if (WantsHelp(args)) return PrintHelp("issue");
  ParsedArgs parsed;
  std::string error;
  std::set<std::string> values = kCommonValueOptions;
  values.insert({"-o", "--output", "--message", "--user", "--override-deadline"});
  if (!ParseArgs(args, values, {}, &parsed, &error)) return Usage("issue", error);
  if (parsed.positional.size() != 2) return Usage("issue", "needs TEMPLATE and DATA.json");
  const std::string& template_name = parsed.positional[0];
  const std::string& data_path = parsed.positional[1];
  const std::string out_path = parsed.value("-o", parsed.value("--output"));
  if (out_path == "-") return Usage("issue", "-o - is not possible: stdout carries the result (use -o FILE)");
  if (parsed.values.count("--user") && parsed.value("--user").empty()) return Usage("issue", "--user is empty");
  const std::string user_name = parsed.values.count("--user") ? parsed.value("--user") : LocalUserName();

  service::ServiceConfig config;
  int status = 0;
  if (!LoadConfigFor("issue", parsed, &config, &status)) return status;

  std::string body;
  if (!ReadBodyArg("issue", data_path, &body)) return 2;
  return Guarded("issue", [&] {
    render::Renderer renderer(RendererConfigFor(config));
    if (!renderer.HasTemplate(template_name)) {
      std::cerr << "zhiping issue: unknown template '" << template_name << "' (zhiping templates lists them)\n";
      return 2;  // a name the user typed: a usage error
    }
    std::string message = parsed.value("--message");
    const std::string deadline = issuing::PassedDeadline(template_name, body, issuing::LocalDate());
    if (!deadline.empty()) {
      const std::string reason = parsed.value("--override-deadline");
      if (reason.empty()) {
        std::cerr << "zhiping issue: the round's deadline " << deadline
                  << " has passed: submission closed automatically (use --override-deadline REASON to issue it "
                     "anyway; the reason is recorded)\n";
        return 2;
      }
      message = "deadline " + deadline + " overridden by " + user_name + ": " + reason +
                (message.empty() ? "" : "; " + message);
    }
    issuing::Issuer issuer(IssuerConfigFor(config), renderer);
    issuing::IssueResult r = issuer.Issue(template_name, body, {user_name, UserAddress(user_name)}, message);
    if (!out_path.empty()) WriteFileAtomic(out_path, r.document);

    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("object", r.object_id);
    out.set("version", r.version);
    out.set("created", r.created);
    Poco::JSON::Array files;
    for (const auto& f : r.files) {
      Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
      item.set("path", f.path);
      item.set("digest", f.digest);
      item.set("size", static_cast<Poco::UInt64>(f.size));
      files.add(item);
    }
    out.set("files", files);
    out.set("document", r.document_path);
    out.set("development_identity", r.development_identity);
    out.stringify(std::cout, 2);
    std::cout << std::endl;
    if (!std::cout) {
      std::cerr << "zhiping issue: cannot write to stdout\n";
      return 1;
    }
    if (r.development_identity) {
      WarnDevelopmentIdentity(issuer, r.created ? "signed" : "the stored " + r.document_path + " was signed");
    }
    std::cerr << (r.created ? "stored " : "unchanged, ") << r.object_id << " " << r.version << " "
              << r.document_path;
    if (!out_path.empty()) std::cerr << "; wrote " << out_path;
    std::cerr << "\n";
    return 0;
  }, data_path);
}

int RunBulk(const Args& args) {
  if (WantsHelp(args)) {
    std::cout << jobs::kBulkHelp << "\n" << kCommonHelp;
    return 0;
  }
  ParsedArgs parsed;
  std::string error;
  const std::vector<std::string> own = {"--zip", "--threads", "--message", "--user"};
  std::set<std::string> values = kCommonValueOptions;
  values.insert(own.begin(), own.end());
  if (!ParseArgs(args, values, {}, &parsed, &error)) return Usage("bulk", error);
  if (parsed.positional.size() != 2 || parsed.positional[0] != "letters")
    return Usage("bulk", "needs 'letters' and DATA.json");
  std::vector<std::string> forwarded = parsed.positional;
  for (const std::string& o : own)
    if (parsed.values.count(o)) forwarded.insert(forwarded.end(), {o, parsed.value(o)});
  service::ServiceConfig config;
  int status = 0;
  if (!LoadConfigFor("bulk", parsed, &config, &status)) return status;
  return Guarded("bulk", [&] {
    render::Renderer renderer(RendererConfigFor(config));
    issuing::Issuer issuer(IssuerConfigFor(config), renderer);
    return jobs::RunBulkCommand(forwarded, issuer, LocalUserName(), std::cout, std::cerr, ::isatty(2) != 0);
  });
}

int RunPreview(const Args& args) {
  if (WantsHelp(args)) return PrintHelp("preview");
  ParsedArgs parsed;
  std::string error;
  std::set<std::string> values = kCommonValueOptions;
  values.insert({"--port", "--bind", "--samples"});
  if (!ParseArgs(args, values, {}, &parsed, &error)) return Usage("preview", error);
  if (!parsed.positional.empty()) return Usage("preview", "takes no arguments");
  service::ServiceConfig config;
  int status = 0;
  if (!LoadConfigFor("preview", parsed, &config, &status)) return status;
  preview::PreviewDefaults d;
  d.templates_dir = config.templates_dir;
  d.font_role_map = config.font_role_map;
  d.font_cache_dir = config.font_cache_dir;
  d.samples_dir = DefaultSamplesDir();
  std::vector<std::string> forwarded;
  for (const char* o : {"--port", "--bind", "--samples"})
    if (parsed.values.count(o)) forwarded.insert(forwarded.end(), {o, parsed.value(o)});
  return preview::RunPreviewCommand(forwarded, d, std::cout, std::cerr);
}

int RunTemplates(const Args& args) {
  if (WantsHelp(args)) return PrintHelp("templates");
  ParsedArgs parsed;
  std::string error;
  if (!ParseArgs(args, kCommonValueOptions, {}, &parsed, &error)) return Usage("templates", error);
  if (parsed.positional.size() > 1) return Usage("templates", "takes at most one TEMPLATE");
  service::ServiceConfig config;
  int status = 0;
  if (!LoadConfigFor("templates", parsed, &config, &status)) return status;
  return Guarded("templates", [&] {
    render::Renderer renderer(RendererConfigFor(config));
    std::vector<render::TemplateInfo> list = renderer.Templates();
    if (parsed.positional.empty()) {
      for (const auto& t : list) {
        std::string name = t.name;
        std::cout << name << std::string(name.size() < 22 ? 22 - name.size() : 1, ' ') << t.output << "   "
                  << t.title << "\n";
      }
      return 0;
    }
    if (!renderer.HasTemplate(parsed.positional[0])) {
      std::cerr << "zhiping templates: unknown template '" << parsed.positional[0] << "' (zhiping templates lists them)\n";
      return 2;  // a name the user typed: a usage error
    }
    // The fields the template uses (nested; lists marked) and a generated sample body that renders.
    Poco::JSON::Object::Ptr d = preview::DescribeTemplate(renderer, parsed.positional[0]);
    d->stringify(std::cout, 2);
    std::cout << "\n";
    return 0;
  });
}

int RunServe(const Args& args) {
  if (WantsHelp(args)) return PrintHelp("serve");
  ParsedArgs parsed;
  std::string error;
  std::set<std::string> values = kCommonValueOptions;
  values.insert({"--port", "--bind"});
  if (!ParseArgs(args, values, {}, &parsed, &error)) return Usage("serve", error);
  if (!parsed.positional.empty()) return Usage("serve", "takes no arguments but options");

  service::ServiceConfig config;
  int status = 0;
  if (!LoadConfigFor("serve", parsed, &config, &status)) return status;
  if (parsed.values.count("--port")) {
    const std::string& p = parsed.value("--port");
    char* end = nullptr;
    long port = std::strtol(p.c_str(), &end, 10);
    if (p.empty() || *end != '\0' || port < 0 || port > 65535) return Usage("serve", "--port must be 0-65535");
    config.port = static_cast<int>(port);
  }
  if (parsed.values.count("--bind")) config.bind = parsed.value("--bind");

  // Block the stop signals before any thread exists, so every thread inherits the mask and sigwait() below is
  // the only place they arrive. A client hanging up mid-answer must not kill the process (SIGPIPE).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  return Guarded("serve", [&] {
    render::Renderer renderer(RendererConfigFor(config));
    for (const auto& line : renderer.Describe()) std::cerr << line << "\n";
    if (config.tokens.empty()) {
      std::cerr << "warning: no tokens configured; every route but /healthz answers 401 "
                   "(set token.NAME.* in the configuration or ZHIPING_ADMIN_TOKEN)\n";
    }
    for (const auto& t : config.tokens) {
      std::cerr << "token " << t.name << ": " << service::FormatRoles(t.roles) << "\n";
    }
    issuing::IssuerConfig ic = IssuerConfigFor(config);
    ic.observe = service::IssuerMetricsObserver();
    issuing::Issuer issuer(ic, renderer);
    if (issuer.is_development()) WarnDevelopmentIdentity(issuer, "documents issued here are signed");
    std::cerr << "archive: " << issuer.store().root() << "\n";
    // Jobs live beside the archive (<parent>/.zhiping/jobs): a restart marks unfinished ones interrupted.
    std::string state_dir = issuing::DefaultDevIdentityDir(config.archive_dir);
    state_dir = state_dir.substr(0, state_dir.rfind('/')) + "/jobs";
    jobs::JobStore job_store(state_dir);
    if (job_store.interrupted_at_open() > 0)
      std::cerr << "jobs: " << job_store.interrupted_at_open() << " unfinished job(s) from the last run marked interrupted\n";
    jobs::JobRunner job_runner(job_store, issuer, static_cast<size_t>(config.job_max_queued));
    service::JobsParts jobs_parts{&job_runner, &job_store, config.job_max_items};
    service::HttpService http(config, service::MakeRouter(renderer, &issuer, &jobs_parts));
    http.Start();
    std::cout << "zhiping " << ZHIPING_VERSION << " serving on " << http.url() << std::endl;
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    std::cerr << "zhiping serve: " << (signal_number == SIGINT ? "SIGINT" : "SIGTERM")
              << ", finishing requests in flight\n";
    http.Stop();
    // Items in flight finish and are archived whole; the job is marked interrupted, never silently lost.
    job_runner.Stop();
    std::cerr << "zhiping serve: stopped\n";
    return 0;
  });
}

int RunTokenDigest(const Args& args) {
  if (WantsHelp(args)) return PrintHelp("token-digest");
  if (!args.empty()) return Usage("token-digest", "takes no arguments; the token is read from stdin");
  std::string token = ReadAllStdin();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  if (token.empty()) {
    std::cerr << "zhiping token-digest: no token on stdin\n";
    return 2;
  }
  for (unsigned char c : token) {
    // Such a token could never be sent in an Authorization header.
    if (c <= ' ' || c == 0x7f) {
      std::cerr << "zhiping token-digest: the token contains whitespace or control characters\n";
      return 2;
    }
  }
  std::cout << service::TokenDigest(token) << "\n";
  return 0;
}

int RunVersion(const Args& args) {
  if (WantsHelp(args)) return PrintHelp("version");
  std::cout << "zhiping " << ZHIPING_VERSION << "\n";
  return 0;
}

int RunArchive(const Args& args) {
  // The archive stage prints its own help and usage errors.
  ParsedArgs common;
  std::vector<std::string> rest;
  std::string error;
  if (!ExtractCommonOptions(args, &common, &rest, &error)) return Usage("archive", error);
  service::ServiceConfig config;
  int status = 0;
  if (!LoadConfigFor("archive", common, &config, &status)) return status;
  return archive::RunArchiveCommand(rest, config.archive_dir, std::cout, std::cerr, ::isatty(1) != 0);
}

int RunVerify(const Args& args) { return sign::RunVerifyCommand(args, std::cout, std::cerr); }

}  // namespace zhiping::cli
