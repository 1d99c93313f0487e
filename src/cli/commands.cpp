#include "cli/commands.h"

#include <pthread.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <vector>

#include "archive/database_object_index.h"
#include "cli/args.h"
#include "cli/deployment_database.h"
#include "common/command_line.h"
#include "common/error.h"
#include "common/durable_file.h"
#include "common/json.h"
#include "common/messages.h"
#include "common/utf8.h"
#include "common/spooled_file.h"
#include "import/body_import.h"
#include "import/workbook.h"
#include "issuing/issuer.h"
#include "issuing/policy.h"
#include "jobs/bulk_command.h"
#include "database/database.h"
#include "jobs/completion_webhook.h"
#include "jobs/job_json.h"
#include "jobs/job_runner.h"
#include "jobs/job_store.h"
#include "preview/preview_command.h"
#include "preview/template_tooling.h"
#include "render/renderer.h"
#include "service/config.h"
#include "service/http_server.h"
#include "service/routes.h"
#include "service/service_log.h"

#include "archive/archive_command.h"
#include "sign/verify_command.h"

namespace zhiping::cli {

namespace {

// Every command: its name, what runs it, and its help.
struct CommandHelp {
  const char* name;
  const char* synopsis;
  const char* summary;
  const char* details;  // printed after the synopsis by `zhiping NAME --help`
  int (*run)(const Args& args);
};

const char kCommonHelp[] =
    "Common options:\n"
    "  --config FILE     configuration file (docs/configuration.md); default: none, built-in defaults\n"
    "  --templates DIR   template folder (default templates/)\n"
    "  --fonts FILE      font role map (default fonts/fonts.conf)\n"
    "  --archive DIR     archive root (default archive/)\n"
    "  --lang zh|en      language of problems and errors (default zh, or ZHIPING_LANG)\n"
    "Exit status: 0 done; 2 bad input or usage (one line per problem); 1 anything else.\n";

const char kImportOptionsHelp[] =
    "Workbook options (docs/import.md): --sheet NAME, --results FILE.xlsx, --results-sheet NAME (results on\n"
    "another sheet or workbook, matched by 编号/身份证号/姓名), --row N or --id ID (letter, review-form: the person);\n"
    "what a workbook cannot hold: --year N --title T --batch-id ID --office NAME --deadline D --issued D\n"
    "--doc-no NO --notice-title T --period-start D --period-end D --committee-id ID --committee NAME --signer NAME\n"
    "--addressee NAME --letter-no NO.\n";

const CommandHelp kCommands[] = {
    {"render", "zhiping render TEMPLATE DATA.json|DATA.xlsx [-o OUT] [--format pdf|ofd]",
     "render a draft PDF/OFD/XLSX (nothing signed or stored)",
     "Renders DATA.json ('-' reads stdin) with TEMPLATE. DATA.xlsx (a workbook: its name ends .xlsx or its bytes\n"
     "start with PK) is read as by zhiping import first, with the workbook options below.\n"
     "  --format pdf|ofd  a PDF template's pages as PDF (the default) or as OFD (GB/T 33190, docs/ofd.md);\n"
     "                    a roster is XLSX only (--format xlsx or none)\n"
     "Writes OUT, or TEMPLATE.pdf / TEMPLATE.ofd / TEMPLATE.xlsx in the\n"
     "current folder without -o, or stdout with -o -. Says where it wrote and how many pages on stderr.\n"
     "Invalid data: exit 2 and one line per problem, \"/pointer: rule\". Unknown template: exit 2.\n", RunRender},
    {"issue", "zhiping issue TEMPLATE DATA.json|DATA.xlsx [--format pdf|ofd] [-o OUT] [--message M] [--user NAME]",
     "render, sign and archive a document",
     "Renders DATA.json ('-' reads stdin; a workbook as by zhiping render) with TEMPLATE, signs a PDF (PAdES; XLSX are not signed) and stores it,\n"
     "with the body and an issue record, as a new version of its archive object: urn:zhiping:applicant:ID for\n"
     "letter and review-form, urn:zhiping:batch:ID for round documents. Prints the result as JSON on stdout:\n"
     "  {\"object\", \"version\", \"created\", \"files\": [{\"path\", \"digest\", \"size\"}], \"document\",\n"
     "   \"development_identity\"[, \"ofd\", \"development_seal\"]}\n"
     "created is false (and no version is made) when the head already holds the same document from the same body.\n"
     "  --format ofd    also the OFD (GB/T 33190) of the same pages, sealed with the GB/T 38540 electronic seal,\n"
     "                  stored as TEMPLATE.ofd beside the PDF in the same version (docs/ofd.md, docs/seal.md)\n"
     "  -o OUT          also write the stored (signed) document to OUT (the sealed OFD with --format ofd)\n"
     "  --message M     why, recorded in the version (default \"issue TEMPLATE\")\n"
     "  --user NAME     who, recorded in the version (default: the local user, $USER)\n"
     "  --override-deadline REASON  issue a report after the round's deadline (batch.deadline); recorded\n"
     "Signing identity: sign.key/sign.cert (configuration) or ZHIPING_SIGN_KEY/ZHIPING_SIGN_CERT; without one a\n"
     "DEVELOPMENT identity is made in .zhiping/dev-identity beside the archive folder, and a warning says so.\n"
     "Seal picture of the visible signature: sign.seal_image (configuration) or ZHIPING_SEAL_IMAGE (PNG with\n"
     "transparency or JPEG); without one the development identity draws its 样章 specimen seal. Issued PDFs are\n"
     "PDF/A-2b (docs/pdfa.md). OFD seal: seal.key/seal.cert/seal.file (or ZHIPING_SEAL_KEY/_CERT/_FILE); without\n"
     "them a DEVELOPMENT seal is made in .zhiping/dev-seal beside the archive folder, and a warning says so.\n", RunIssue},
    {"countersign", "zhiping countersign TEMPLATE BATCH --identity DIR|NAME [--format pdf|ofd] [-o OUT] [--message M] [--user NAME]",
     "add a further organ's signature (会签) to a jointly issued document",
     "Countersigns the document TEMPLATE of round BATCH (urn:zhiping:batch:BATCH, issued before with zhiping issue)\n"
     "for a further organ of a joint document (联合行文): its PAdES signature as an incremental update at the next\n"
     "seal place of the layout (the issuing organ's signature stays valid), and, when the document was issued with\n"
     "its OFD, its GB/T 38540 seal added to the OFD. Stored as a new version recording who countersigned; the issue\n"
     "record's seals say how many of the seals are signed. Prints the result as JSON on stdout (as zhiping issue,\n"
     "with seals_required and seals_signed).\n"
     "  --identity DIR  the organ's identity folder: key.pem, cert.pem [chain.pem], seal.png|seal.jpg, and for OFD\n"
     "                  seal-key.pem, seal-cert.pem, seal.esl [seal-chain.pem]; without key.pem/cert.pem a\n"
     "                  DEVELOPMENT identity (and seal) is made in DIR on first use, and a warning says so.\n"
     "                  A NAME the configuration lists (countersign.NAME.dir) stands for its folder.\n"
     "  --format ofd    -o writes the countersigned OFD instead of the PDF\n"
     "  -o OUT          also write the countersigned document to OUT\n"
     "  --message M     why, recorded in the version (default \"countersign TEMPLATE\")\n"
     "  --user NAME     who, recorded in the version (default: the local user, $USER)\n"
     "Refused: a template whose layout has one seal place (exit 2); a batch without that document, a document\n"
     "already signed by this identity or with every seal signed (exit 1; docs/signing.md \"Countersigning\").\n", RunCountersign},
    {"bulk", "zhiping bulk letters|review-forms|reports DATA.json|DATA.xlsx [--format pdf|ofd] [--zip OUT.zip] [--print OUT.pdf] [--threads N] [--message TEXT] [--user NAME]",
     "one signed, archived document per item (letters, review forms, reports), with a progress bar",
     "Issues one signed, archived document per item of DATA.json ('-' reads stdin), over all cores:\n"
     "  letters       评审结果通知书: {batch, letter: {issued}, items: [{applicant, result, letter_no?}]}\n"
     "  review-forms  评审表, one per applicant: {batch, items: [{applicant, filled?}]}\n"
     "  reports       评审委员会报告, one per committee: {batch, items: [{committee, report, applicants}]}\n"
     "(an item of review-forms or reports is that template's body without its batch; docs/cli.md).\n"
     "letters from DATA.xlsx: the applicants and their results (same rows, or another sheet/workbook), read as by\n"
     "zhiping import --for bulk-letters (--office and --issued give what a workbook cannot hold).\n"
     "An item with invalid data fails alone (its index and problems are reported); the others are issued.\n"
     "Running the same data again makes no new archive versions. At most jobs.max_items items (configuration;\n"
     "default 20000).\n"
     "  --format ofd    issue each document's OFD too, sealed (GB/T 38540), beside its PDF (docs/ofd.md)\n"
     "  --zip OUT.zip   also write every issued document into a zip, named {applicant id}.pdf\n"
     "                  (reports: report-{committee id}.pdf), each followed by its .ofd with --format ofd\n"
     "  --print OUT.pdf also write one PDF to print double-sided (打印文件): an index (序号, 姓名, 工作单位, 页码;\n"
     "                  reports: 评审委员会, 文号), then every document in input order, each on a new sheet\n"
     "  --threads N     worker threads (default: 8 per core; archive writes wait on the disk)\n"
     "  --message TEXT  recorded with every archive version (default \"bulk letters\", \"bulk review forms\", …)\n"
     "  --user NAME     recorded as who issued (default: $USER)\n"
     "Progress goes to stderr (a bar on a terminal, plain lines otherwise); the summary is JSON on stdout.\n"
     "Exit status: 0 all issued; 2 bad usage, bad data or any failed item; 1 anything else.\n", RunBulk},
    {"import", "zhiping import BOOK.xlsx [--sheet NAME] [--template NAME|--for bulk-letters] [-o BODY.json]",
     "read an 申报人员汇总表 / 评审结果 workbook (Excel) into a request body",
     "Reads one sheet of BOOK.xlsx (the first, or --sheet NAME) as an 申报人员汇总表 (results too): the header row is found\n"
     "in the first 10 rows and columns are matched by their Chinese header (docs/import.md). Writes the request\n"
     "body of TEMPLATE (roster-summary, default; any template, or bulk-letters) as JSON to BODY.json, or stdout with\n"
     "-o - or without -o. The body is checked by the model first: every problem is one line naming the sheet,\n"
     "cell and person (\"/applicants/3/id_number: 汇总表!F7（张三）身份证号：…\"), exit 2, nothing written.\n"
     "The round defaults to the title row (2022年度高级政工师…: --year 2022 --title 高级政工师 --batch-id import-2022).\n"
     "Says on stderr how many applicants it read and where their ids come from (编号列, 身份证号 or 行号).\n"
     "A file that is not a .xlsx workbook (an old .xls, an encrypted workbook, anything else): one sentence, exit 2.\n",
     RunImport},
    {"archive", "zhiping archive ls|get|verify|reindex ...", "list, fetch and verify archived documents",
     "  zhiping archive ls APPLICANT_ID [--versions]\n"
     "  zhiping archive get APPLICANT_ID FILE [--version vN] [-o OUT]\n"
     "  zhiping archive verify [APPLICANT_ID...]\n"
     "  zhiping archive reindex     (store.backend = postgresql: rebuild the object index from the archive)\n"
     "  --batch ID addresses a round's object instead of an applicant.\n", RunArchive},
    {"verify", "zhiping verify FILE.pdf [--trust CA.pem ...]", "check the signatures of a PDF", "", RunVerify},
    {"templates", "zhiping templates [TEMPLATE]", "list templates, or one template's fields and a sample body",
     "Without TEMPLATE: one line per template (name, output, title). With TEMPLATE: JSON with its name, title,\n"
     "output, the fields it uses (nested, lists marked) and a generated sample body that renders. Unknown\n"
     "template: exit 2.\n", RunTemplates},
    {"preview", preview::kPreviewSynopsis, "local template preview page on 127.0.0.1", preview::kPreviewDetails,
     RunPreview},
    {"serve", "zhiping serve [--config FILE] [--port N] [--bind ADDR]", "run the HTTP service",
     "Serves the HTTP API (docs/api.md) on ADDR:N (default 127.0.0.1:8080, or the configuration's server.bind /\n"
     "server.port) and prints its URL on stdout. --port 0 picks a free port. Runs until SIGINT or SIGTERM, then\n"
     "stops accepting, lets requests in flight finish and exits 0. Tokens come from the configuration and\n"
     "ZHIPING_ADMIN_TOKEN.\n", RunServe},
    {"token-digest", "zhiping token-digest < TOKEN", "print the SHA-256 digest of a token for the configuration",
     "Reads one token from stdin (a trailing newline is ignored) and prints the lowercase hex SHA-256 that goes\n"
     "in the configuration as token.NAME.digest. The token itself is never stored.\n"
     "  printf %s \"$TOKEN\" | zhiping token-digest\n", RunTokenDigest},
    {"version", "zhiping version", "print the program version", "", RunVersion},
};

const CommandHelp* FindHelp(const std::string& name) {
  for (const auto& c : kCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

// `zhiping NAME --help`: the synopsis, the summary, the details and the common options.
std::string HelpFor(const std::string& name) {
  const CommandHelp* h = FindHelp(name);
  std::string text = std::string("usage: ") + h->synopsis + "\n\n" + h->summary + ".\n";
  if (*h->details) text += std::string("\n") + h->details;
  for (const char* w : {"render", "issue", "bulk", "import"}) {
    if (name == w) text += kImportOptionsHelp;
  }
  return text + "\n" + kCommonHelp;
}

// What follows a usage error: the synopsis and where to read more.
std::string UsageFor(const std::string& name) {
  return std::string("usage: ") + FindHelp(name)->synopsis + " (see zhiping " + name + " --help)\n";
}

// A command's command line: its help and usage from the table above, the common options unless `common` is null.
struct Command {
  explicit Command(const std::string& command, CommonOptions* common = nullptr)
      : name("zhiping " + command), line(name, HelpFor(command), UsageFor(command)) {
    if (common != nullptr) AddCommonOptions(line, common);
  }
  std::optional<int> Parse(const Args& args) { return line.Parse(args, std::cout, std::cerr); }
  int UsageError(const std::string& message) const { return line.UsageError(message, std::cerr); }
  const std::string name;
  CommandLine line;
};

// A DATA argument that is a workbook: its name ends .xlsx, or its first bytes are a ZIP's (PK) or an OLE file's.
bool IsWorkbookPath(const std::string& path) {
  if (path.size() > 5 && path.compare(path.size() - 5, 5, ".xlsx") == 0) return true;
  if (path == "-") return false;
  std::ifstream in(path, std::ios::binary);
  char head[4] = {};
  in.read(head, 4);
  // An old .xls or an encrypted workbook (OLE files) too: the importer then says what it is.
  return in.gcount() == 4 && (import::LooksLikeXlsx(std::string(head, 4)) || std::memcmp(head, "\xD0\xCF\x11\xE0", 4) == 0);
}

// The options of every command that takes a workbook (docs/import.md): which sheets and person, and what the
// workbook cannot hold (import/envelope_options.h: --issued, --office, …).
void DeclareImportOptions(CommandLine& line, import::ImportOptions* o) {
  CLI::App& app = line.app();
  app.add_option("--sheet", o->sheet);
  app.add_option("--results", o->results_path);
  app.add_option("--results-sheet", o->results_sheet);
  app.add_option("--row", o->row);
  app.add_option("--id", o->person);
  for (const import::EnvelopeOption& e : import::EnvelopeOptions()) {
    app.add_option(std::string("--") + e.name, o->values[e.name]);
  }
}

// Reads a workbook into the body of `options.template_name`, written to `body_path`; says what it read on stderr.
void ImportWorkbook(const render::Renderer& renderer, const std::string& path, const import::ImportOptions& options,
                    const std::string& body_path) {
  const import::ImportResult r = import::ImportBodyToFile(path, options, renderer.validation_context(), body_path);
  if (ProcessLanguage() == Lang::kZh) {
    std::cerr << "已从 " << path << " 读入 " << r.applicants
              << (options.template_name == "bulk-letters" ? " 项" : " 位申报人");
    if (!r.results_sheet.empty()) std::cerr << "及 " << r.results << " 条评审结果（工作表 " << r.results_sheet << "）";
    std::cerr << "（工作表 " << r.sheet << "，表头在第 " << r.header_row << " 行，编号取自 " << r.id_source << "）\n";
    return;
  }
  std::cerr << "read " << r.applicants << (options.template_name == "bulk-letters" ? " items" : " applicants");
  if (!r.results_sheet.empty()) std::cerr << " and " << r.results << " results (sheet " << r.results_sheet << ")";
  std::cerr << " from " << path << " (sheet " << r.sheet << ", header row " << r.header_row << ", ids from "
            << r.id_source << ")\n";
}

// A template name the user typed must exist: an unknown one is a usage error (exit 2), named as such.
void RequireTemplate(const render::Renderer& renderer, const std::string& name) {
  if (!renderer.HasTemplate(name)) {
    throw Error(ErrorKind::kInvalidInput, "unknown template '" + name + "' (zhiping templates lists them)");
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

// `database`: the archive's locks and index (ArchiveDatabaseFor), nullptr on one machine.
issuing::IssuerConfig IssuerConfigFor(const service::ServiceConfig& c, std::shared_ptr<database::Database> database) {
  issuing::IssuerConfig ic;
  ic.archive_root = c.archive_dir;
  ic.database = std::move(database);
  ic.signer.key_path = c.sign_key;
  ic.signer.cert_path = c.sign_cert;
  ic.signer.chain_path = c.sign_chain;
  ic.signer.tsa_url = c.tsa_url;
  ic.signer.tsa_ca_path = c.tsa_ca;
  ic.signer.dev_identity_dir = c.dev_identity_dir;  // "": the Issuer's default beside the archive
  ic.signer.seal_image = c.seal_image;
  ic.signer.seal_image_setting = c.seal_image_setting;
  ic.visible_signature = c.sign_visible;
  ic.seal.key_path = c.seal_key;
  ic.seal.cert_path = c.seal_cert;
  ic.seal.seal_path = c.seal_file;
  ic.seal.chain_path = c.seal_chain;
  ic.seal.dev_dir = c.seal_dev_dir;  // "": the Issuer's default beside the archive
  ic.countersign_identities = c.countersign_identities;
  return ic;
}

// The OFD was sealed with the development seal: not an official seal.
void WarnDevelopmentSeal(const issuing::Issuer& issuer) {
  const std::string ca = issuer.seal_identity().dev_ca_path;
  if (ProcessLanguage() == Lang::kZh) {
    std::cerr << "警告：OFD 用的是开发用电子印章（DEVELOPMENT seal），不是正式印章；" << ca
              << " 只可在测试时信任（见 docs/seal.md）\n";
    return;
  }
  std::cerr << "warning: the OFD was sealed with the DEVELOPMENT seal: not an official seal; trust " << ca
            << " only for testing (docs/seal.md)\n";
}

// `what_zh` and `what_en`: what was signed ("已签名" / "signed"). The warning, one line without its newline.
std::string DevelopmentIdentityWarning(const issuing::Issuer& issuer, const std::string& what_zh,
                                       const std::string& what_en) {
  if (ProcessLanguage() == Lang::kZh) {
    return "警告：" + what_zh + "用的是开发用身份（DEVELOPMENT identity），不是正式签名；" + issuer.dev_ca_path() +
           " 只可在测试时信任（见 docs/signing.md）";
  }
  return "warning: " + what_en + " with the DEVELOPMENT identity: not an official signature; trust " +
         issuer.dev_ca_path() + " only for testing (docs/signing.md)";
}

void WarnDevelopmentIdentity(const issuing::Issuer& issuer, const std::string& what_zh, const std::string& what_en) {
  std::cerr << DevelopmentIdentityWarning(issuer, what_zh, what_en) << "\n";
}

std::string LocalUserName() {
  const char* env = std::getenv("USER");
  if (env && *env) return env;
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name && *pw->pw_name) return pw->pw_name;
  return "zhiping";
}

}  // namespace

namespace {

// --lang zh|en (or ZHIPING_LANG), taken out of the words before the command parses them: a common option every
// command has, the archive's and the preview's too. Chinese by default. False after a usage error on `err`.
bool TakeLanguage(Args* args, std::ostream& err) {
  std::optional<std::string> chosen;
  if (const char* env = std::getenv("ZHIPING_LANG"); env && *env) chosen = env;
  bool from_option = false;
  Args kept;
  for (size_t i = 0; i < args->size(); ++i) {
    const std::string& word = (*args)[i];
    if (word == "--") {
      kept.insert(kept.end(), args->begin() + static_cast<std::ptrdiff_t>(i), args->end());
      break;
    }
    if (word == "--lang" && i + 1 < args->size()) {
      chosen = (*args)[++i];
      from_option = true;
    } else if (word.rfind("--lang=", 0) == 0) {
      chosen = word.substr(7);
      from_option = true;
    } else {
      kept.push_back(word);
    }
  }
  *args = std::move(kept);
  if (!chosen) return true;
  std::optional<Lang> lang = ParseLang(*chosen);
  if (!lang) {
    // Said in both languages: the user has just shown they may not read the default one.
    err << "zhiping: " << (from_option ? "--lang" : "ZHIPING_LANG") << " 只能是 zh 或 en / must be zh or en, not '"
        << SanitizeText(*chosen) << "'\n";
    return false;
  }
  SetProcessLanguage(*lang);
  return true;
}

}  // namespace

int RunCommand(const std::string& command, const Args& given) {
  Args args = given;
  if (!TakeLanguage(&args, std::cerr)) return 2;
  if (command == "--help" || command == "-h" || command == "help") {
    PrintUsage(std::cout);
    return 0;
  }
  if (command == "--version") return RunVersion({});
  if (const CommandHelp* c = FindHelp(command)) return c->run(args);
  if (ProcessLanguage() == Lang::kZh) {
    std::cerr << "zhiping：没有命令“" << command << "”（zhiping --help 可列出全部命令）\n";
  } else {
    std::cerr << "zhiping: unknown command '" << command << "' (zhiping --help lists them)\n";
  }
  return 2;
}

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
  CommonOptions common;
  Command c("render", &common);
  std::string out_path, format_text;
  c.line.app().add_option("-o,--output", out_path);
  c.line.app().add_option("--format", format_text);
  import::ImportOptions import_options;
  DeclareImportOptions(c.line, &import_options);
  if (std::optional<int> done = c.Parse(args)) return *done;
  if (c.line.words().size() != 2) return c.UsageError("needs TEMPLATE and DATA.json");
  const std::string& template_name = c.line.words()[0];
  const std::string& data_path = c.line.words()[1];
  import_options.template_name = template_name;
  return RunGuarded(c.name, std::cerr, [&] {
    const render::OutputFormat format = render::ParseOutputFormat(format_text);  // before any work
    const service::ServiceConfig config = ResolveConfig(common);
    // A readable file is handed to the renderer by path: a roster reads it piece by piece, never holding it whole.
    // Standard input goes to a temporary file first, for the same reason.
    // So is anything that is not a regular file (a pipe, /dev/zero), up to kMaxInputBytes: an endless stream is
    // refused, not spooled until the disk is full; a regular file past the bound likewise.
    std::unique_ptr<SpooledFile> spooled;
    struct stat st {};
    const bool named_file = data_path != "-" && ::stat(data_path.c_str(), &st) == 0;
    if (named_file && S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > kMaxInputBytes) {
      ThrowInputTooLarge(data_path, kMaxInputBytes);
    }
    if (data_path == "-" || (named_file && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))) {
      bool whole = true;
      AsUsageError([&] {
        const int fd = data_path == "-" ? 0 : ::open(data_path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw Error(ErrorKind::kNotFound, "cannot read " + data_path + ": " + std::strerror(errno));
        std::unique_ptr<int, void (*)(int*)> closing(fd == 0 ? nullptr : new int(fd), [](int* f) {
          ::close(*f);
          delete f;
        });
        spooled = std::make_unique<SpooledFile>();
        whole = spooled->CopyFrom(fd, kMaxInputBytes);
        spooled->Close();
      });
      if (!whole) ThrowInputTooLarge(data_path, kMaxInputBytes);
    }
    const std::string body_path = spooled ? spooled->path() : data_path;
    const bool workbook = IsWorkbookPath(body_path);
    const bool by_path = !workbook && (spooled || ::access(data_path.c_str(), R_OK) == 0);
    const std::string body = by_path || workbook ? "" : ReadInputFile(data_path);
    render::RendererConfig renderer_config = RendererConfigFor(config);
    renderer_config.fonts_on_demand = true;  // one render: a roster needs no fonts
    render::Renderer renderer(renderer_config);
    RequireTemplate(renderer, template_name);
    renderer.CheckFormatOf(template_name, format);  // a format the template cannot make: refused before any import
    // A workbook becomes a body in a temporary file first, rendered from there piece by piece like any file.
    std::unique_ptr<SpooledFile> imported;
    if (workbook) {
      imported = std::make_unique<SpooledFile>();
      imported->Close();
      ImportWorkbook(renderer, body_path, import_options, imported->path());
    }
    render::RenderedDocument doc = imported  ? renderer.RenderFile(template_name, imported->path(), format)
                                   : by_path ? renderer.RenderFile(template_name, body_path, format)
                                             : renderer.Render(template_name, body, format);
    if (out_path.empty()) out_path = template_name + "." + doc.extension;
    if (out_path == "-") {
      std::cout.write(doc.bytes.data(), static_cast<std::streamsize>(doc.bytes.size()));
      std::cout.flush();
      if (!std::cout) throw Error(ErrorKind::kInternal, "cannot write to stdout");
    } else {
      WriteFileDurably(out_path, doc.bytes);
    }
    if (ProcessLanguage() == Lang::kZh) {
      std::cerr << "已写出 " << (out_path == "-" ? std::string("标准输出") : out_path);
      if (doc.pages > 0) std::cerr << "（共 " << doc.pages << " 页）";
    } else {
      std::cerr << "wrote " << (out_path == "-" ? std::string("stdout") : out_path);
      if (doc.pages > 0) std::cerr << " (" << doc.pages << (doc.pages == 1 ? " page)" : " pages)");
    }
    std::cerr << "\n";
    return 0;
  }, data_path);
}

// The result of issue and countersign as JSON on stdout (their --help shows the members).
void PrintIssueResult(const issuing::IssueResult& r) {
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
  if (!r.ofd_path.empty()) {
    out.set("ofd", r.ofd_path);
    out.set("development_seal", r.development_seal);
  }
  if (r.seals_required > 0) {
    out.set("seals_required", r.seals_required);
    out.set("seals_signed", r.seals_signed);
  }
  out.stringify(std::cout, 2);
  std::cout << std::endl;
  if (!std::cout) throw Error(ErrorKind::kInternal, "cannot write to stdout");
}

// What issue and countersign both take: -o, --format, --message, --user (returned: an empty --user is refused).
CLI::Option* DeclareArchivingOptions(Command& c, std::string* out_path, std::string* format_text,
                                     std::string* message, std::string* user_name) {
  c.line.app().add_option("-o,--output", *out_path);
  c.line.app().add_option("--format", *format_text);
  c.line.app().add_option("--message", *message);
  return c.line.app().add_option("--user", *user_name);
}

// Their checks: stdout carries the result (no -o -), a --user given is not empty; the user defaults to the local
// one. A usage error's status, or nothing.
std::optional<int> CheckArchivingOptions(Command& c, const std::string& out_path, const CLI::Option& user_option,
                                         std::string* user_name) {
  if (out_path == "-") return c.UsageError("-o - is not possible: stdout carries the result (use -o FILE)");
  if (user_option.count() > 0 && user_name->empty()) return c.UsageError("--user is empty");
  if (user_name->empty()) *user_name = LocalUserName();
  return std::nullopt;
}

// The template exists and makes `format` (a usage error naming it otherwise).
void RequireTemplateIn(const render::Renderer& renderer, const std::string& name, render::OutputFormat format) {
  RequireTemplate(renderer, name);
  renderer.CheckFormatOf(name, format);
}

int RunIssue(const Args& args) {
  CommonOptions common;
  Command c("issue", &common);
  std::string out_path, message, user_name, override_reason, format_text;
  CLI::Option* user_option = DeclareArchivingOptions(c, &out_path, &format_text, &message, &user_name);
  c.line.app().add_option("--override-deadline", override_reason);
  import::ImportOptions import_options;
  DeclareImportOptions(c.line, &import_options);
  if (std::optional<int> done = c.Parse(args)) return *done;
  if (c.line.words().size() != 2) return c.UsageError("needs TEMPLATE and DATA.json");
  const std::string& template_name = c.line.words()[0];
  const std::string& data_path = c.line.words()[1];
  import_options.template_name = template_name;
  if (std::optional<int> bad = CheckArchivingOptions(c, out_path, *user_option, &user_name)) return *bad;

  return RunGuarded(c.name, std::cerr, [&] {
    const render::OutputFormat format = render::ParseOutputFormat(format_text);  // before any work
    const service::ServiceConfig config = ResolveConfig(common);
    const bool workbook = IsWorkbookPath(data_path);
    std::string body = workbook ? "" : ReadInputFile(data_path);
    render::Renderer renderer(RendererConfigFor(config));
    RequireTemplateIn(renderer, template_name, format);
    issuing::IssueOptions issue_options;
    issue_options.ofd = format == render::OutputFormat::kOfd;
    if (workbook) {  // the normalized body is what is archived (docs/import.md)
      SpooledFile imported;
      imported.Close();
      ImportWorkbook(renderer, data_path, import_options, imported.path());
      body = ReadFile(imported.path());
    }
    // The round's deadline and its override (issuing/policy.h): the local user may override, with a reason.
    const issuing::DeadlineCheck deadline = issuing::CheckDeadline(template_name, body, user_name,
                                                                   issuing::kLocalUserRoles, override_reason, message);
    if (deadline.refused) {
      if (ProcessLanguage() == Lang::kZh) {
        std::cerr << c.name << "：本轮申报截止日期 " << deadline.deadline
                  << " 已过，申报已自动关闭（如确需出具，请用 --override-deadline 原因，原因会被记录）\n";
        return 2;
      }
      std::cerr << c.name << ": the round's deadline " << deadline.deadline
                << " has passed: submission closed automatically (use --override-deadline REASON to issue it "
                   "anyway; the reason is recorded)\n";
      return 2;
    }
    issuing::Issuer issuer(IssuerConfigFor(config, ArchiveDatabaseFor(config)), renderer);
    issuing::IssueResult r =
        issuer.Issue(template_name, body, issuing::LocalUser(user_name), deadline.message, issue_options);
    if (!out_path.empty()) WriteFileDurably(out_path, issue_options.ofd ? r.ofd : r.document);

    PrintIssueResult(r);
    if (r.development_identity) {
      WarnDevelopmentIdentity(issuer, r.created ? "签名" : "已存的 " + r.document_path + " 签名时",
                              r.created ? "signed" : "the stored " + r.document_path + " was signed");
    }
    if (r.development_seal) WarnDevelopmentSeal(issuer);
    if (ProcessLanguage() == Lang::kZh) {
      std::cerr << (r.created ? "已存档 " : "未变（已存档过） ") << r.object_id << " " << r.version << " "
                << r.document_path << (r.ofd_path.empty() ? "" : " " + r.ofd_path);
      if (!out_path.empty()) std::cerr << "；已写出 " << out_path;
    } else {
      std::cerr << (r.created ? "stored " : "unchanged, ") << r.object_id << " " << r.version << " "
                << r.document_path << (r.ofd_path.empty() ? "" : " " + r.ofd_path);
      if (!out_path.empty()) std::cerr << "; wrote " << out_path;
    }
    std::cerr << "\n";
    return 0;
  }, data_path);
}

int RunImport(const Args& args) {
  CommonOptions common;
  Command c("import", &common);
  import::ImportOptions options;
  std::string out_path = "-";
  c.line.app().add_option("-o,--output", out_path);
  c.line.app().add_option("--template,--for", options.template_name);
  DeclareImportOptions(c.line, &options);
  if (std::optional<int> done = c.Parse(args)) return *done;
  if (c.line.words().size() != 1) return c.UsageError("needs BOOK.xlsx");
  const std::string& path = c.line.words()[0];
  return RunGuarded(c.name, std::cerr, [&] {
    const service::ServiceConfig config = ResolveConfig(common);
    render::RendererConfig renderer_config = RendererConfigFor(config);
    renderer_config.fonts_on_demand = true;  // only the validation context is needed
    render::Renderer renderer(renderer_config);
    if (options.template_name != "bulk-letters") RequireTemplate(renderer, options.template_name);
    // The body is written as it is read (a file: never held whole), then checked; -o FILE is replaced only then.
    if (out_path == "-") {
      SpooledFile spool;
      spool.Close();
      ImportWorkbook(renderer, path, options, spool.path());
      std::ifstream in(spool.path(), std::ios::binary);
      std::cout << in.rdbuf();
      std::cout.flush();
      if (!std::cout) throw Error(ErrorKind::kInternal, "cannot write to stdout");
    } else {
      DurableFileWriter out(out_path);
      ImportWorkbook(renderer, path, options, out.temp_path());
      out.Commit();
      std::cerr << (ProcessLanguage() == Lang::kZh ? "已写出 " : "wrote ") << out_path << "\n";
    }
    return 0;
  }, path);
}

int RunCountersign(const Args& args) {
  CommonOptions common;
  Command c("countersign", &common);
  std::string out_path, message, user_name, format_text, identity;
  CLI::Option* user_option = DeclareArchivingOptions(c, &out_path, &format_text, &message, &user_name);
  c.line.app().add_option("--identity", identity);
  if (std::optional<int> done = c.Parse(args)) return *done;
  if (c.line.words().size() != 2) return c.UsageError("needs TEMPLATE and BATCH");
  if (identity.empty()) return c.UsageError("needs --identity DIR (the countersigning organ's identity folder)");
  const std::string& template_name = c.line.words()[0];
  const std::string& batch_id = c.line.words()[1];
  if (std::optional<int> bad = CheckArchivingOptions(c, out_path, *user_option, &user_name)) return *bad;

  return RunGuarded(c.name, std::cerr, [&] {
    const render::OutputFormat format = render::ParseOutputFormat(format_text);  // before any work
    const service::ServiceConfig config = ResolveConfig(common);
    render::Renderer renderer(RendererConfigFor(config));
    RequireTemplateIn(renderer, template_name, format);
    issuing::Issuer issuer(IssuerConfigFor(config, ArchiveDatabaseFor(config)), renderer);
    // A name the configuration gives a folder (countersign.NAME.dir), else the folder itself.
    std::string dir = issuer.countersign_identity_dir(identity);
    if (dir.empty()) dir = identity;
    issuing::IssueResult r =
        issuer.Countersign(template_name, batch_id, dir, issuing::LocalUser(user_name), message);
    if (format == render::OutputFormat::kOfd && r.ofd_path.empty())
      throw Error(ErrorKind::kInvalidInput, ProcessLanguage() == Lang::kZh
                                                ? "该文件签发时没有 OFD（--format ofd），已会签 PDF"
                                                : "the document was issued without an OFD; its PDF was countersigned");
    if (!out_path.empty())
      WriteFileDurably(out_path, format == render::OutputFormat::kOfd ? r.ofd : r.document);
    PrintIssueResult(r);
    if (r.development_identity || r.development_seal) {
      if (ProcessLanguage() == Lang::kZh)
        std::cerr << "警告：会签用的是开发用身份（DEVELOPMENT，建于 " << dir
                  << " 下的 dev-identity / dev-seal），不是正式签名；正式会签请在该目录放入 key.pem、cert.pem"
                     "（OFD：seal-key.pem、seal-cert.pem、seal.esl），见 docs/signing.md\n";
      else
        std::cerr << "warning: countersigned with a DEVELOPMENT identity (made in " << dir
                  << "/dev-identity, dev-seal): not an official signature; put key.pem and cert.pem (OFD: "
                     "seal-key.pem, seal-cert.pem, seal.esl) in that folder (docs/signing.md)\n";
    }
    if (ProcessLanguage() == Lang::kZh) {
      std::cerr << "已会签并存档 " << r.object_id << " " << r.version << " " << r.document_path
                << (r.ofd_path.empty() ? "" : " " + r.ofd_path) << "（印章 " << r.seals_signed << "/"
                << r.seals_required << (r.seals_signed < r.seals_required ? "，尚待其他机关会签" : "，已齐") << "）";
      if (!out_path.empty()) std::cerr << "；已写出 " << out_path;
    } else {
      std::cerr << "countersigned and stored " << r.object_id << " " << r.version << " " << r.document_path
                << (r.ofd_path.empty() ? "" : " " + r.ofd_path) << " (seals " << r.seals_signed << " of "
                << r.seals_required << ")";
      if (!out_path.empty()) std::cerr << "; wrote " << out_path;
    }
    std::cerr << "\n";
    return 0;
  });
}

int RunBulk(const Args& args) {
  CommonOptions common;
  Command c("bulk", &common);
  jobs::BulkCommand bulk;
  jobs::DeclareBulkOptions(c.line, &bulk);
  import::ImportOptions import_options;
  DeclareImportOptions(c.line, &import_options);
  import_options.template_name = "bulk-letters";
  if (std::optional<int> done = c.Parse(args)) return *done;
  if (std::optional<int> bad = jobs::TakeBulkWords(c.line, &bulk, std::cerr)) return *bad;
  return RunGuarded(c.name, std::cerr, [&] {
    const service::ServiceConfig config = ResolveConfig(common);
    render::Renderer renderer(RendererConfigFor(config));
    // A workbook becomes the bulk body in a temporary file first (applicants and results: docs/import.md).
    std::unique_ptr<SpooledFile> imported;
    if (bulk.data != "-" && IsWorkbookPath(bulk.data)) {
      if (bulk.kind != &jobs::LettersKind()) {
        throw Error(ErrorKind::kInvalidInput, std::string("批量") + bulk.kind->document +
                                                  "只能读取 JSON 数据文件；Excel 工作簿只能用于 bulk letters（评审结果通知书）");
      }
      imported = std::make_unique<SpooledFile>();
      imported->Close();
      ImportWorkbook(renderer, bulk.data, import_options, imported->path());
      bulk.data = imported->path();
    }
    issuing::Issuer issuer(IssuerConfigFor(config, ArchiveDatabaseFor(config)), renderer);
    return jobs::RunBulkCommand(bulk, issuer, LocalUserName(), config.job_max_items, std::cout, std::cerr,
                                ::isatty(2) != 0);
  });
}

int RunPreview(const Args& args) {
  CommonOptions common;
  Command c("preview", &common);
  c.line.KeepUnknownOptions();  // --port, --bind, --samples: the preview's own (preview/preview_command.h)
  if (std::optional<int> done = c.Parse(args)) return *done;
  return RunGuarded(c.name, std::cerr, [&] {
    const service::ServiceConfig config = ResolveConfig(common);
    preview::PreviewDefaults d;
    d.templates_dir = config.templates_dir;
    d.font_role_map = config.font_role_map;
    d.font_cache_dir = config.font_cache_dir;
    d.samples_dir = DefaultSamplesDir();
    return preview::RunPreviewCommand(c.line.words(), d, std::cout, std::cerr);
  });
}

int RunTemplates(const Args& args) {
  CommonOptions common;
  Command c("templates", &common);
  if (std::optional<int> done = c.Parse(args)) return *done;
  if (c.line.words().size() > 1) return c.UsageError("takes at most one TEMPLATE");
  return RunGuarded(c.name, std::cerr, [&] {
    render::Renderer renderer(RendererConfigFor(ResolveConfig(common)));
    if (c.line.words().empty()) {
      for (const auto& t : renderer.Templates()) {
        std::string name = t.name;
        std::cout << name << std::string(name.size() < 22 ? 22 - name.size() : 1, ' ') << t.output
                  << std::string(t.output.size() < 7 ? 7 - t.output.size() : 1, ' ') << t.title << "\n";
      }
      return 0;
    }
    RequireTemplate(renderer, c.line.words()[0]);
    // The fields the template uses (nested; lists marked) and a generated sample body that renders.
    Poco::JSON::Object::Ptr d = preview::DescribeTemplate(renderer, c.line.words()[0]);
    d->stringify(std::cout, 2);
    std::cout << "\n";
    return 0;
  });
}

int RunServe(const Args& args) {
  CommonOptions common;
  Command c("serve", &common);
  int port = -1;
  std::string bind;
  c.line.app().add_option("--port", port)->check(PortNumber());
  c.line.app().add_option("--bind", bind);
  if (std::optional<int> done = c.Parse(args)) return *done;
  if (!c.line.words().empty()) return c.UsageError("takes no arguments but options");

  // Block the stop signals before any thread exists, so every thread inherits the mask and sigwait() below is
  // the only place they arrive. A client hanging up mid-answer must not kill the process (SIGPIPE).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // RunGuarded tells a failure here; with log.format = json, once the configuration is read, as a JSON line.
  service::LogLineStream err(std::cerr);
  return RunGuarded(c.name, err, [&] {
    service::ServiceConfig config = ResolveConfig(common);
    if (port >= 0) config.port = port;
    if (c.line.app().count("--bind")) config.bind = bind;
    // Every line from here on goes through the service's log, so with log.format = json the whole of stderr (and
    // the address line on stdout) is one JSON object per line; text keeps the lines as they always were.
    const service::ServiceLog log(service::LogOptionsFor(config), config.log_sink);
    if (config.log_format == service::LogFormat::kJson) {
      service::RoutePocoLogger("zhiping.layout", log);
      err.Attach(log, service::LogLevel::kError);
    }
    using service::LogLevel;
    render::Renderer renderer(RendererConfigFor(config));
    for (const auto& line : renderer.Describe()) log.Event(LogLevel::kInfo, line);
    if (config.tokens.empty()) {
      log.Event(LogLevel::kWarn, "warning: no tokens configured; every route but /healthz answers 401 "
                                 "(set token.NAME.* in the configuration or ZHIPING_ADMIN_TOKEN)");
    }
    for (const auto& t : config.tokens) {
      log.Event(LogLevel::kInfo, "token " + t.name + ": " + service::FormatRoles(t.roles));
    }
    // One database for the instance (PostgreSQL; nullptr on one machine), shared by whatever needs it.
    std::shared_ptr<database::Database> database = ArchiveDatabaseFor(config);
    issuing::IssuerConfig ic = IssuerConfigFor(config, database);
    ic.observe = service::IssuerMetricsObserver();
    issuing::Issuer issuer(ic, renderer);
    if (issuer.is_development()) {
      log.Event(LogLevel::kWarn,
                DevelopmentIdentityWarning(issuer, "这里出具的文书签名", "documents issued here are signed"));
    }
    log.Event(LogLevel::kInfo, "archive: " + issuer.store().root());
    // Jobs live beside the archive (<parent>/.zhiping/jobs/jobs.sqlite), or in the same PostgreSQL as the archive's
    // index, shared by every instance (store.backend = postgresql, docs/deploy.md). Unfinished jobs are resumed.
    std::string state_dir = issuing::DefaultDevIdentityDir(config.archive_dir);
    state_dir = state_dir.substr(0, state_dir.rfind('/')) + "/jobs";
    std::unique_ptr<jobs::JobStore> job_store = database ? std::make_unique<jobs::JobStore>(database, state_dir)
                                                         : std::make_unique<jobs::JobStore>(state_dir);
    if (job_store->interrupted_at_open() > 0)
      log.Event(LogLevel::kWarn, "jobs: " + std::to_string(job_store->interrupted_at_open()) +
                                     " unfinished job(s) of an earlier version marked interrupted (they cannot be resumed)");
    // A job's end is POSTed to its callback_url (jobs/completion_webhook.h) by the instance where it ended.
    jobs::WebhookOptions webhook_options;
    webhook_options.log = [&log](const std::string& line) { log.Event(LogLevel::kWarn, line); };
    jobs::CompletionWebhook webhook(webhook_options);
    jobs::JobRunnerOptions runner_options;
    runner_options.max_queued = static_cast<size_t>(config.job_max_queued);
    runner_options.workers = static_cast<unsigned>(config.job_workers);
    runner_options.lease = std::chrono::seconds(config.job_lease_seconds);
    runner_options.instance = config.instance;
    runner_options.log = [&log](const std::string& line) { log.Event(LogLevel::kWarn, line); };
    runner_options.on_finished = [&webhook](const jobs::JobRecord& job) {
      if (!job.callback_url.empty()) webhook.Deliver(job.callback_url, jobs::JobJson(job), job.id);
    };
    jobs::JobRunner job_runner(*job_store, issuer, runner_options);
    log.Event(LogLevel::kInfo, "jobs: " + job_store->database().Describe() + ", instance " + job_runner.instance());
    service::JobsParts jobs_parts{&job_runner, job_store.get(), config.job_max_items};
    service::HttpService http(config, service::MakeRouter(renderer, &issuer, &jobs_parts));
    http.Start();
    // Scripts read the address from stdout's first line (it ends with the URL in either format).
    std::cout << log.EventLine(LogLevel::kInfo, std::string("zhiping ") + ZHIPING_VERSION + " serving on " + http.url(),
                               {{"url", http.url()}})
              << std::endl;
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    log.Event(LogLevel::kInfo, c.name + ": " + (signal_number == SIGINT ? "SIGINT" : "SIGTERM") +
                                   ", finishing requests in flight");
    http.Stop();
    // Items in flight finish and are archived whole; this instance's chunks go back to the queue, and the job goes
    // on on another instance, or here after a restart.
    job_runner.Stop();
    webhook.Stop();  // attempts in flight finish (bounded); waiting deliveries are dropped, and the log says so
    log.Event(LogLevel::kInfo, c.name + ": stopped");
    return 0;
  });
}

int RunTokenDigest(const Args& args) {
  Command c("token-digest");
  if (std::optional<int> done = c.Parse(args)) return *done;
  if (!c.line.words().empty()) return c.UsageError("takes no arguments; the token is read from stdin");
  std::string token = ReadInputFile("-");
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  if (token.empty()) {
    std::cerr << c.name << ": no token on stdin\n";
    return 2;
  }
  for (unsigned char ch : token) {
    // Such a token could never be sent in an Authorization header.
    if (ch <= ' ' || ch == 0x7f) {
      std::cerr << c.name << ": the token contains whitespace or control characters\n";
      return 2;
    }
  }
  std::cout << service::TokenDigest(token) << "\n";
  return 0;
}

int RunVersion(const Args& args) {
  Command c("version");
  if (std::optional<int> done = c.Parse(args)) return *done;
  if (!c.line.words().empty()) return c.UsageError("takes no arguments");
  std::cout << "zhiping " << ZHIPING_VERSION << "\n";
  return 0;
}

int RunArchive(const Args& args) {
  CommonOptions common;
  Command c("archive", &common);
  // Everything but the common options, --help included, is the archive command's own (archive/archive_command.h).
  c.line.KeepUnknownOptions();
  c.line.HandOnHelp();
  if (std::optional<int> done = c.Parse(args)) return *done;
  return RunGuarded(c.name, std::cerr, [&] {
    const service::ServiceConfig config = ResolveConfig(common);
    archive::ArchiveCommandHooks hooks;
    hooks.open_index = [&config]() -> std::shared_ptr<archive::ObjectIndex> {
      std::shared_ptr<database::Database> database = ArchiveDatabaseFor(config);
      if (!database) return nullptr;
      return std::make_shared<archive::DatabaseObjectIndex>(database);
    };
    return archive::RunArchiveCommand(c.line.words(), config.archive_dir, std::cout, std::cerr, ::isatty(1) != 0,
                                      hooks);
  });
}

int RunVerify(const Args& args) { return sign::RunVerifyCommand(args, std::cout, std::cerr); }

}  // namespace zhiping::cli
