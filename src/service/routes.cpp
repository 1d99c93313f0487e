#include "service/routes.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <Poco/URI.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <sstream>

#include "archive/archive.h"
#include "common/error.h"
#include "common/ids.h"
#include "common/json.h"
#include "common/spooled_file.h"
#include "import/body_import.h"
#include "issuing/issuer.h"
#include "issuing/policy.h"
#include "issuing/signing_state.h"
#include "jobs/bulk_letters.h"
#include "jobs/completion_webhook.h"
#include "jobs/job_json.h"
#include "jobs/job_runner.h"
#include "jobs/job_store.h"
#include "jobs/print_file.h"
#include "render/renderer.h"
#include "preview/template_tooling.h"
#include "service/metrics.h"
#include "service/problem_json.h"
#include "service/request_body.h"
#include "service/request_log.h"

namespace zhiping::service {

namespace {

using issuing::Action;
using issuing::RolesFor;

// `answer`: a Poco::JSON object or array.
template <typename Answer>
void SendJson(Poco::Net::HTTPServerResponse& response, const Answer& answer,
              Poco::Net::HTTPResponse::HTTPStatus status = Poco::Net::HTTPResponse::HTTP_OK) {
  const std::string text = JsonText(answer);
  response.setStatusAndReason(status);
  response.setContentType("application/json");
  response.setContentLength(static_cast<std::streamsize>(text.size()));
  response.sendBuffer(text.data(), text.size());
}

// The {id} of an archive route: an archive key or 422, so it is never used to build anything on disk.
std::string ArchiveKeyParam(RequestContext& ctx, bool applicant) {
  const std::string& id = ctx.params["id"];
  if (archive::IsValidArchiveKey(id)) return id;
  std::string what = applicant ? "applicant id" : "batch id";
  // The one id rule's own words (common/ids.h), as every body's id problem says them.
  HttpProblem p{422, "invalid-data", "Invalid data", "the " + what + " in the path " + kIdRule, {}, {}};
  p.errors.push_back({"", what + " in the path: " + kIdRule});
  throw HttpError(p);
}

std::string QueryParam(RequestContext& ctx, const std::string& name) {
  try {
    for (const auto& [k, v] : Poco::URI(ctx.request.getURI()).getQueryParameters()) {
      if (k == name) return v;
    }
  } catch (const Poco::Exception&) {
    throw HttpError(400, "bad-request", "the query string cannot be decoded");
  }
  return "";
}

// A workbook body (Content-Type kXlsxMediaType) → the request body of `template_name` ("bulk-letters" for jobs) in
// a temporary file, read as `zhiping import` reads it (import/body_import.h). What a workbook cannot hold comes from
// the query, named as the command line's options with '_' for '-' (?sheet=, ?results_sheet=, ?row=, ?id=,
// ?issued=, ?batch_id=, …). The workbook itself is spooled within server.roster_body_limit; the import's problems
// are answered as any body's (422, each with its pointer and a Chinese text naming the sheet, cell and person).
std::unique_ptr<SpooledFile> WorkbookBody(RequestContext& ctx, const render::Renderer& renderer,
                                          const std::string& template_name) {
  SpooledFile workbook;
  ctx.body.SpoolWorkbook(&workbook);
  import::ImportOptions options;
  options.template_name = template_name;
  options.sheet = QueryParam(ctx, "sheet");
  options.results_sheet = QueryParam(ctx, "results_sheet");
  options.person = QueryParam(ctx, "id");
  const std::string row = QueryParam(ctx, "row");
  if (!row.empty()) {
    if (row.size() > 7 || row.find_first_not_of("0123456789") != std::string::npos) {
      throw HttpError(400, "bad-request", "?row= must be a row number of the sheet");
    }
    options.row = static_cast<uint32_t>(std::stoul(row));
  }
  for (const import::EnvelopeOption& o : import::EnvelopeOptions()) {
    std::string query = o.name;
    for (char& c : query) {
      if (c == '-') c = '_';
    }
    options.values[o.name] = QueryParam(ctx, query);
  }
  auto body = std::make_unique<SpooledFile>();
  body->Close();
  import::ImportBodyToFile(workbook.path(), options, renderer.validation_context(), body->path());
  return body;
}

// ?version=vN, or "" for the head. Anything that is not a version name cannot exist: 404.
std::string VersionParam(RequestContext& ctx) {
  std::string v = QueryParam(ctx, "version");
  if (v.empty()) return v;
  bool ok = v.size() >= 2 && v.size() <= 12 && v[0] == 'v';
  for (size_t i = 1; ok && i < v.size(); ++i) ok = v[i] >= '0' && v[i] <= '9';
  if (!ok) throw HttpError(404, "not-found", "no version '" + v + "' (versions are named v1, v2, ...)");
  return v;
}

std::string ObjectIdFor(bool applicant, const std::string& key) {
  return applicant ? archive::ApplicantObjectId(key) : archive::BatchObjectId(key);
}

std::string MediaTypeFor(const std::string& path) {
  auto ends = [&](const char* ext) {
    std::string e = ext;
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".pdf")) return "application/pdf";
  if (ends(".ofd")) return "application/ofd";  // GB/T 33190-2016's registered type
  if (ends(".xlsx")) return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  if (ends(".json")) return "application/json";
  if (ends(".zip")) return "application/zip";
  return "application/octet-stream";
}

// The file name part of a logical path, safe inside a quoted header parameter.
std::string DispositionName(const std::string& path) {
  std::string name = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  for (char& c : name) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '_';
  }
  return name;
}

Poco::JSON::Object::Ptr FileJson(const std::string& path, const std::string& digest, uint64_t size) {
  Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  item->set("path", path);
  item->set("digest", digest);
  item->set("size", static_cast<Poco::UInt64>(size));
  return item;
}

void AddArchiveRoutesFor(Router* router, const archive::Store& store, bool applicant) {
  const std::string base = applicant ? "/v1/applicants/{id}" : "/v1/batches/{id}";
  router->Add({"GET", base + "/documents", RolesFor(Action::kReadArchive), [&store, applicant](RequestContext& ctx) {
                 std::string key = ArchiveKeyParam(ctx, applicant);
                 std::string version = VersionParam(ctx);
                 Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
                 const std::string object_id = ObjectIdFor(applicant, key);
                 const std::vector<archive::FileEntry> files = store.Files(object_id, version);
                 for (const auto& f : files) {
                   Poco::JSON::Object::Ptr item = FileJson(f.logical_path, f.digest, f.size);
                   item->set("version", f.version);
                   // A joint document waiting for another organ's signature says so (issuing/signing_state.h).
                   if (auto state = issuing::SigningStateOf(store, object_id, files, f)) {
                     Poco::JSON::Object::Ptr signing = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                     signing->set("required", state->required);
                     signing->set("signed", state->signed_seals);
                     signing->set("pending", state->pending());
                     signing->set("state", state->Text());
                     item->set("signing", signing);
                   }
                   list->add(item);
                 }
                 ctx.response.set("Cache-Control", "no-store");
                 SendJson(ctx.response, list);
               }});
  router->Add({"GET", base + "/documents/{path...}", RolesFor(Action::kReadArchive), [&store, applicant](RequestContext& ctx) {
                 std::string key = ArchiveKeyParam(ctx, applicant);
                 std::string version = VersionParam(ctx);
                 const std::string& path = ctx.params["path"];
                 std::string object_id = ObjectIdFor(applicant, key);
                 // The listing first: it names the version served (the head when none is asked for).
                 std::string served;
                 for (const auto& f : store.Files(object_id, version)) {
                   if (f.logical_path == path) served = f.version;
                 }
                 if (served.empty()) throw Error(ErrorKind::kNotFound, "no file " + path + " in " + object_id);
                 std::string bytes = store.Read(object_id, path, served);
                 auto& r = ctx.response;
                 r.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
                 r.setContentType(MediaTypeFor(path));
                 r.set("Content-Disposition", "inline; filename=\"" + DispositionName(path) + "\"");
                 r.set("Cache-Control", "no-store");  // personal data
                 r.set("X-Zhiping-Version", served);
                 r.setContentLength(static_cast<std::streamsize>(bytes.size()));
                 r.sendBuffer(bytes.data(), bytes.size());
               }});
  router->Add({"GET", base + "/versions", RolesFor(Action::kReadArchive), [&store, applicant](RequestContext& ctx) {
                 std::string key = ArchiveKeyParam(ctx, applicant);
                 Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
                 for (const auto& v : store.Versions(ObjectIdFor(applicant, key))) {
                   Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                   item->set("version", v.version);
                   item->set("created", v.created);
                   item->set("user", v.user.name);
                   item->set("message", v.message);
                   Poco::JSON::Array::Ptr files = new Poco::JSON::Array;
                   for (const auto& f : v.files) files->add(FileJson(f.logical_path, f.digest, f.size));
                   item->set("files", files);
                   list->add(item);
                 }
                 ctx.response.set("Cache-Control", "no-store");
                 SendJson(ctx.response, list);
               }});
}

}  // namespace

void AddHealthRoutes(Router* router) {
  router->Add({"GET", "/healthz", 0, [](RequestContext& ctx) {
                 Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                 body->set("status", "ok");
                 body->set("version", ZHIPING_VERSION);
                 ctx.response.set("Cache-Control", "no-store");
                 SendJson(ctx.response, body);
               }});
}

namespace {
// "" when a file can be made, written and removed in `dir` now; otherwise why not.
std::string NotWritable(const std::string& dir) {
  const std::string path = dir + "/.readyz-" + RequestId("");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot create a file in the archive: " + std::string(std::strerror(errno));
  const bool wrote = ::write(fd, "r", 1) == 1;
  const int saved = errno;
  ::close(fd);
  ::unlink(path.c_str());
  return wrote ? "" : "cannot write in the archive: " + std::string(std::strerror(saved));
}
}  // namespace

void AddReadinessRoutes(Router* router, const render::Renderer& renderer, const issuing::Issuer* issuer,
                        const JobsParts* jobs) {
  router->Add({"GET", "/readyz", 0, [&renderer, issuer, jobs](RequestContext& ctx) {
                 Poco::JSON::Object::Ptr checks = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                 bool ready = true;
                 auto check = [&](const char* part, const std::string& why) {
                   checks->set(part, why.empty() ? std::string("ok") : why);
                   ready = ready && why.empty();
                 };
                 std::string fonts;
                 try {
                   if (!renderer.font_set()) fonts = "fonts are not loaded";
                 } catch (const std::exception& e) {
                   fonts = e.what();
                 }
                 check("fonts", fonts);
                 if (issuer) {
                   // The workspace the archive's commits write into (archive/store.cpp), else the root itself.
                   const std::string root = issuer->store().root();
                   const std::string workspace = root + "/extensions/zhiping-workspace/tmp";
                   check("archive", NotWritable(::access(workspace.c_str(), F_OK) == 0 ? workspace : root));
                 }
                 if (jobs && jobs->store) check("database", jobs->store->Unreachable());
                 Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                 body->set("status", ready ? "ready" : "not-ready");
                 body->set("version", ZHIPING_VERSION);
                 body->set("checks", checks);
                 ctx.response.set("Cache-Control", "no-store");
                 if (!ready) ctx.response.set("Retry-After", "5");
                 SendJson(ctx.response, body,
                          ready ? Poco::Net::HTTPResponse::HTTP_OK : Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE);
               }});
}

void AddRenderRoutes(Router* router, const render::Renderer& renderer) {
  router->Add({"GET", "/v1/templates", RolesFor(Action::kListTemplates), [&renderer](RequestContext& ctx) {
                 Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
                 for (const auto& t : renderer.Templates()) {
                   // The file path stays on the server: it says nothing a client can use.
                   Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                   item->set("name", t.name);
                   item->set("title", t.title);
                   item->set("output", t.output);
                   list->add(item);
                 }
                 SendJson(ctx.response, list);
               }});

  router->Add({"GET", "/v1/templates/{name}", RolesFor(Action::kListTemplates), [&renderer](RequestContext& ctx) {
                 const std::string& name = ctx.params["name"];
                 if (!renderer.HasTemplate(name)) {
                   throw HttpError(404, "unknown-template",
                                   "no template named '" + name + "'; GET /v1/templates lists them");
                 }
                 // The fields the template uses (nested, lists marked) and a generated sample body that renders.
                 SendJson(ctx.response, preview::DescribeTemplate(renderer, name));
               }});

  router->Add({"POST", "/v1/render/{template}", RolesFor(Action::kRender), [&renderer](RequestContext& ctx) {
                 const std::string& name = ctx.params["template"];
                 // Before reading the body: an unknown template is the cheaper and clearer answer.
                 if (!renderer.HasTemplate(name)) {
                   throw HttpError(404, "unknown-template",
                                   "no template named '" + name + "'; GET /v1/templates lists them");
                 }
                 // A roster goes through a temporary file, read piece by piece (server.roster_body_limit); other
                 // bodies are small and read whole (server.body_limit).
                 bool roster = false;
                 for (const auto& t : renderer.Templates()) roster = roster || (t.name == name && t.output == "xlsx");
                 // ?format=pdf|ofd (a PDF template) or xlsx (a roster): a wrong one is 422 before the body is read.
                 const render::OutputFormat format = render::ParseOutputFormat(QueryParam(ctx, "format"));
                 render::CheckOutputFormat(format, name, roster ? "xlsx" : "pdf");
                 std::unique_ptr<SpooledFile> spooled;
                 std::string body;
                 if (ctx.body.workbook()) {
                   spooled = WorkbookBody(ctx, renderer, name);
                 } else if (roster) {
                   spooled = std::make_unique<SpooledFile>();
                   ctx.body.SpoolJson(spooled.get());
                 } else {
                   body = ctx.body.ReadJson();
                 }
                 const auto start = std::chrono::steady_clock::now();
                 render::RenderedDocument doc =
                     spooled ? renderer.RenderFile(name, spooled->path(), format) : renderer.Render(name, body, format);
                 Metrics::Global().Stage(
                     "render", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
                 auto& r = ctx.response;
                 r.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
                 r.setContentType(doc.media_type);
                 r.set("Content-Disposition", "inline; filename=\"" + name + "." + doc.extension + "\"");
                 // A draft holds personal data; no cache should keep it.
                 r.set("Cache-Control", "no-store");
                 if (doc.pages > 0) r.set("X-Zhiping-Pages", std::to_string(doc.pages));
                 r.setContentLength(static_cast<std::streamsize>(doc.bytes.size()));
                 r.sendBuffer(doc.bytes.data(), doc.bytes.size());
               },
               /*heavy=*/true});
}

// An issued or countersigned document: 201 (200 when nothing changed) with what the head holds, Location the
// document asked for (the OFD when one was made).
void SendIssueResult(RequestContext& ctx, const issuing::IssueResult& result) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("object", result.object_id);
  out->set("version", result.version);
  out->set("created", result.created);
  Poco::JSON::Array::Ptr files = new Poco::JSON::Array;
  for (const auto& f : result.files) files->add(FileJson(f.path, f.digest, f.size));
  out->set("files", files);
  out->set("document", result.document_path);
  out->set("development_identity", result.development_identity);
  if (!result.ofd_path.empty()) {
    out->set("ofd", result.ofd_path);
    out->set("development_seal", result.development_seal);
  }
  if (result.seals_required > 0) {
    out->set("seals_required", result.seals_required);
    out->set("seals_signed", result.seals_signed);
  }
  std::string location = std::string(result.applicant ? "/v1/applicants/" : "/v1/batches/") + result.key +
                         "/documents/" + (result.ofd_path.empty() ? result.document_path : result.ofd_path) +
                         "?version=" + result.version;
  ctx.response.set("Location", location);
  ctx.response.set("Cache-Control", "no-store");
  SendJson(ctx.response, out,
           result.created ? Poco::Net::HTTPResponse::HTTP_CREATED : Poco::Net::HTTPResponse::HTTP_OK);
}

void AddDocumentRoutes(Router* router, const issuing::Issuer& issuer) {
  router->Add({"POST", "/v1/documents/{template}", RolesFor(Action::kIssue), [&issuer](RequestContext& ctx) {
                 const std::string& name = ctx.params["template"];
                 if (!issuer.renderer().HasTemplate(name)) {
                   throw HttpError(404, "unknown-template",
                                   "no template named '" + name + "'; GET /v1/templates lists them");
                 }
                 // ?format=ofd: the sealed OFD beside the PDF in the same version (issuer.h step 4b); a wrong
                 // format is 422 before the body is read.
                 const render::OutputFormat format = render::ParseOutputFormat(QueryParam(ctx, "format"));
                 for (const auto& t : issuer.renderer().Templates())
                   if (t.name == name) render::CheckOutputFormat(format, name, t.output);
                 issuing::IssueOptions options;
                 options.ofd = format == render::OutputFormat::kOfd;
                 // A workbook is archived as the JSON body it was read into (docs/import.md).
                 std::string body = ctx.body.workbook() ? ReadFile(WorkbookBody(ctx, issuer.renderer(), name)->path())
                                                        : ctx.body.ReadJson();
                 // The round's deadline and its admin override (issuing/policy.h); the reason comes in a header.
                 const issuing::DeadlineCheck deadline = issuing::CheckDeadline(
                     name, body, ctx.token ? ctx.token->name : "", ctx.token ? ctx.token->roles : 0,
                     ctx.request.get("X-Zhiping-Override-Reason", ""), QueryParam(ctx, "message"));
                 if (deadline.refused) {
                   HttpProblem refused{409, "deadline-passed", "",
                                       "the round's deadline " + deadline.deadline +
                                           " has passed: submission closed automatically; an admin token may issue "
                                           "it anyway with the header X-Zhiping-Override-Reason: REASON",
                                       {}, {}};
                   refused.detail_zh = "本批次的截止日期 " + deadline.deadline +
                                       " 已过，已自动截止；管理员令牌可加请求头 X-Zhiping-Override-Reason: 理由 照常出具";
                   throw HttpError(refused);
                 }
                 const archive::User user =
                     ctx.token ? issuing::TokenUser(ctx.token->name) : archive::User{"zhiping", ""};
                 issuing::IssueResult result = issuer.Issue(name, body, user, deadline.message, options);

                 SendIssueResult(ctx, result);
               },
               /*heavy=*/true});
  // POST /v1/documents/{template}/countersign, body {"batch": {"id": ID}, "identity": NAME}: a further organ's
  // signature (and OFD seal) on a joint document issued before (issuer.h Countersign). NAME is one of the
  // configuration's countersign.NAME.dir; it may be left out when there is exactly one. 201 with the new version;
  // 404 no such template or no such document in the batch; 409 already signed by that identity, every seal
  // signed, or changed meanwhile; 422 a bad body, an unknown identity, or a layout with one seal place.
  router->Add({"POST", "/v1/documents/{template}/countersign", RolesFor(Action::kIssue), [&issuer](RequestContext& ctx) {
                 const std::string& name = ctx.params["template"];
                 if (!issuer.renderer().HasTemplate(name)) {
                   throw HttpError(404, "unknown-template",
                                   "no template named '" + name + "'; GET /v1/templates lists them");
                 }
                 const Poco::Dynamic::Var body = ParseJson(ctx.body.ReadJson());
                 const std::string batch = StringAt(body, "/batch/id");
                 std::string identity = StringAt(body, "/identity");
                 if (batch.empty()) ThrowInvalid("/batch/id", "required: the round whose document is countersigned");
                 const std::map<std::string, std::string>& known = issuer.countersign_identities();
                 if (identity.empty() && known.size() == 1) identity = known.begin()->first;
                 const std::string dir = issuer.countersign_identity_dir(identity);
                 if (dir.empty()) {
                   std::string names;
                   for (const auto& [n, d] : known) names += (names.empty() ? "" : ", ") + n;
                   ThrowInvalid("/identity", identity.empty() && known.empty()
                                                 ? "no countersigning identity is configured (countersign.NAME.dir)"
                                                 : "'" + identity + "' is not a configured countersigning identity (" +
                                                       (names.empty() ? std::string("none") : names) + ")");
                 }
                 const archive::User user =
                     ctx.token ? issuing::TokenUser(ctx.token->name) : archive::User{"zhiping", ""};
                 SendIssueResult(ctx, issuer.Countersign(name, batch, dir, user, QueryParam(ctx, "message")));
               },
               /*heavy=*/true});
}

void AddArchiveRoutes(Router* router, const archive::Store& store) {
  AddArchiveRoutesFor(router, store, true);
  AddArchiveRoutesFor(router, store, false);
}

// POST /v1/jobs/{kind}: the body's envelope checked (its items are checked one at a time when the job runs), the
// job queued; 202 with its id.
void SubmitBulkJob(RequestContext& ctx, const JobsParts& jobs, const issuing::Issuer& issuer,
                   const jobs::BulkKind& kind) {
  // ?format=ofd: every document issued with its sealed OFD too; a wrong format is 422 before the body is read.
  const render::OutputFormat format = render::ParseOutputFormat(QueryParam(ctx, "format"));
  render::CheckOutputFormat(format, kind.template_name, "pdf");
  // A workbook is read into the bulk body as `zhiping import --for bulk-letters` reads it; the import makes
  // letters' bodies only (review forms and reports take JSON).
  if (ctx.body.workbook() && &kind != &jobs::LettersKind()) {
    throw HttpError(415, "unsupported-media-type",
                    std::string("批量") + kind.document + "只接受 JSON 请求体；Excel 工作簿只能用于批量评审结果通知书（/v1/jobs/letters）");
  }
  const std::string text = ctx.body.workbook()
                               ? ReadFile(WorkbookBody(ctx, issuer.renderer(), "bulk-letters")->path())
                               : ctx.body.ReadJson();
  // The round's deadline and its admin override (issuing/policy.h), as for one report: the envelope's batch is
  // every item's.
  const issuing::DeadlineCheck deadline =
      issuing::CheckDeadline(kind.template_name, text, ctx.token ? ctx.token->name : "", ctx.token ? ctx.token->roles : 0,
                             ctx.request.get("X-Zhiping-Override-Reason", ""), QueryParam(ctx, "message"));
  if (deadline.refused) {
    throw HttpError(409, "deadline-passed",
                    "本轮评审的截止日期 " + deadline.deadline +
                        " 已过，系统已自动截止；确需补报时由管理员令牌带请求头 X-Zhiping-Override-Reason: 原因 提交");
  }
  const jobs::BulkBody body = jobs::BulkBody::Parse(text, kind);
  Problems problems = body.EnvelopeProblems(jobs.max_items);
  if (!problems.empty()) throw Error(ErrorKind::kInvalidInput, std::string("invalid bulk ") + kind.noun + " body", problems);
  // ?callback_url=: told the job's end (jobs/completion_webhook.h).
  const std::string callback_url = QueryParam(ctx, "callback_url");
  if (!callback_url.empty()) {
    Problems bad = jobs::CompletionWebhook::CheckCallbackUrl(callback_url);
    if (!bad.empty()) throw Error(ErrorKind::kInvalidInput, "invalid callback_url", bad);
  }
  std::string id;
  try {
    const std::string& message = deadline.message;
    id = jobs.runner->Submit(ctx.token ? ctx.token->name : "zhiping", text, body.size(),
                             message.empty() ? std::string("bulk ") + kind.noun : message, kind.name,
                             format == render::OutputFormat::kOfd, callback_url);
  } catch (const jobs::QueueFull& e) {
    throw HttpError(HttpProblem{429, "queue-full", "", e.what(), {}, {{"Retry-After", "30"}}});
  }
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("job", id);
  out->set("kind", std::string(kind.name));
  out->set("state", std::string("queued"));
  out->set("total", body.size());
  ctx.response.set("Location", "/v1/jobs/" + id);
  SendJson(ctx.response, out, Poco::Net::HTTPResponse::HTTP_ACCEPTED);
}

// GET /v1/jobs/{job}/print.pdf (and letters.pdf): the job's print file, streamed as it is merged.
void ServePrintFile(RequestContext& ctx, const JobsParts& jobs, const issuing::Issuer& issuer) {
  std::optional<jobs::JobRecord> job = jobs.store->Get(ctx.params["job"]);
  if (!job) throw HttpError(404, "unknown-job", "没有编号为 " + ctx.params["job"] + " 的任务");
  if (job->state != "done") {
    const std::string state = job->state == "queued"      ? "排队中"
                              : job->state == "running"   ? "正在生成"
                              : job->state == "cancelled" ? "已取消"
                                                          : "已中断";
    throw HttpError(HttpProblem{409, "job-not-done", "",
                                "任务 " + job->id + " " + state + "（已完成 " + std::to_string(job->done) + "/" +
                                    std::to_string(job->total) + " 份），全部完成后才能下载打印文件",
                                {}, {{"Retry-After", "5"}}});
  }
  const jobs::BulkKind* kind = jobs::FindBulkKind(job->kind);
  if (!kind) throw Error(ErrorKind::kInternal, "job " + job->id + " of an unknown kind '" + job->kind + "'");
  const jobs::BulkBody body = jobs::BulkBody::Parse(jobs.store->Body(job->id), *kind);
  const std::vector<jobs::PrintEntry> entries = jobs::PrintEntries(body, jobs.store->Issued(job->id));
  // Streamed: the merge writes each document as it reads it from the archive; the index comes last in the file
  // (first in page order).
  auto& r = ctx.response;
  r.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
  r.setContentType("application/pdf");
  r.set("Content-Disposition", "attachment; filename=\"" + job->kind + "-" + job->id + ".pdf\"");
  r.setChunkedTransferEncoding(true);
  std::ostream& out = r.send();
  jobs::WritePrintFile(issuer.store(), *issuer.renderer().font_set(), jobs::PrintIndexOf(*kind), entries, out);
  out.flush();
}

void AddJobRoutes(Router* router, const JobsParts& jobs, const issuing::Issuer& issuer) {
  const archive::Store& store = issuer.store();
  // Read when /metrics is scraped; the runner and store outlive the router that serves them.
  Metrics::Global().SetGauge("zhiping_queue_depth", "Bulk jobs queued or running.",
                             [runner = jobs.runner] { return static_cast<double>(runner->queue_depth()); });
  Metrics::Global().SetGaugeFamily("zhiping_jobs", "Bulk jobs by state.", "state", [store = jobs.store] {
    std::map<std::string, double> out;
    for (const auto& [state, n] : store->CountByState()) out[state] = static_cast<double>(n);
    return out;
  });
  // How long this instance's workers wait for the database to hand them work (the last 10,000 claims): the
  // number that says whether the database has become the bottleneck of several instances.
  Metrics::Global().SetGaugeFamily("zhiping_job_claim_seconds", "Seconds a claim of job work took on this instance.",
                                   "quantile", [runner = jobs.runner] {
                                     std::vector<double> s = runner->ClaimLatencies();
                                     std::map<std::string, double> out{{"0.5", 0}, {"0.99", 0}, {"1", 0}};
                                     if (s.empty()) return out;
                                     std::sort(s.begin(), s.end());
                                     out["0.5"] = s[s.size() / 2];
                                     out["0.99"] = s[std::min(s.size() - 1, s.size() * 99 / 100)];
                                     out["1"] = s.back();
                                     return out;
                                   });
  // POST /v1/jobs/letters, /v1/jobs/review-forms, /v1/jobs/reports: one route per kind (jobs/bulk_kind.h).
  for (const jobs::BulkKind* kind : jobs::BulkKinds()) {
    router->Add({"POST", std::string("/v1/jobs/") + kind->name, RolesFor(Action::kIssue),
                 [jobs, kind, &issuer](RequestContext& ctx) { SubmitBulkJob(ctx, jobs, issuer, *kind); }, /*heavy=*/true});
  }
  auto find = [jobs](RequestContext& ctx) {
    std::optional<jobs::JobRecord> job = jobs.store->Get(ctx.params["job"]);
    if (!job) throw HttpError(404, "unknown-job", "no job " + ctx.params["job"]);
    return *job;
  };
  // GET /v1/jobs[?limit=N][&offset=M]: the jobs, newest first, a page at a time.
  router->Add({"GET", "/v1/jobs", RolesFor(Action::kReadJobs), [jobs](RequestContext& ctx) {
                 auto number = [&](const char* name, size_t fallback, size_t max) {
                   const std::string text = QueryParam(ctx, name);
                   if (text.empty()) return fallback;
                   const bool digits = text.size() <= 9 && text.find_first_not_of("0123456789") == std::string::npos;
                   const size_t value = digits ? std::stoul(text) : max + 1;
                   if (value > max || (std::string(name) == "limit" && value == 0))
                     throw HttpError(400, "bad-request",
                                     std::string("?") + name + "= must be a whole number from " +
                                         (std::string(name) == "limit" ? "1" : "0") + " to " + std::to_string(max));
                   return value;
                 };
                 const size_t limit = number("limit", 50, 500), offset = number("offset", 0, 100000000);
                 size_t total = 0;
                 const std::vector<jobs::JobRecord> list = jobs.store->List(limit, offset, &total);
                 Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
                 for (const auto& job : list) {
                   Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                   item->set("job", job.id);
                   item->set("kind", job.kind);
                   item->set("state", job.state);
                   item->set("done", job.done);
                   item->set("failed", job.failed_count);
                   item->set("total", job.total);
                   item->set("created", job.created);
                   item->set("user", job.user);
                   item->set("format", job.ofd ? "ofd" : "pdf");
                   items->add(item);
                 }
                 Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                 out->set("jobs", items);
                 out->set("total", total);
                 out->set("limit", limit);
                 out->set("offset", offset);
                 if (offset + list.size() < total)
                   out->set("next", "/v1/jobs?limit=" + std::to_string(limit) + "&offset=" +
                                        std::to_string(offset + list.size()));
                 ctx.response.set("Cache-Control", "no-store");
                 SendJson(ctx.response, out);
               }});
  router->Add({"GET", "/v1/jobs/{job}", RolesFor(Action::kReadJobs), [find](RequestContext& ctx) {
                 ctx.response.set("Cache-Control", "no-store");
                 SendJson(ctx.response, jobs::JobObject(find(ctx)));
               }});
  // DELETE /v1/jobs/{job}: cancels an unfinished job on whichever instance runs it (jobs/job_runner.h); what was
  // issued stays issued and archived. 200 with the job; 409 when it had already ended.
  router->Add({"DELETE", "/v1/jobs/{job}", RolesFor(Action::kCancelJob), [find, jobs](RequestContext& ctx) {
                 jobs::JobRecord job = find(ctx);
                 if (!issuing::MayCancelJob(ctx.token ? ctx.token->roles : 0, ctx.token ? ctx.token->name : "",
                                            job.user))
                   throw HttpError(403, "forbidden", "任务 " + job.id + " 由令牌 " + job.user +
                                                         " 提交；只有提交它的令牌或管理员令牌可以取消它");
                 if (job.state != "queued" && job.state != "running")
                   throw HttpError(409, "job-ended", "任务 " + job.id + " 已经结束（" + job.state + "），不能再取消");
                 std::optional<jobs::JobRecord> now = jobs.runner->Cancel(job.id);
                 if (now) job = *now;
                 if (job.state != "cancelled")
                   throw HttpError(409, "job-ended", "任务 " + job.id + " 已经结束（" + job.state + "），不能再取消");
                 Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                 out->set("job", job.id);
                 out->set("state", job.state);
                 out->set("done", job.done);
                 out->set("total", job.total);
                 ctx.response.set("Cache-Control", "no-store");
                 SendJson(ctx.response, out);
               }});
  router->Add({"GET", "/v1/jobs/{job}/letters.zip", RolesFor(Action::kReadJobs), [find, jobs, &store](RequestContext& ctx) {
                 jobs::JobRecord job = find(ctx);
                 if (job.state != "done") {
                   throw HttpError(HttpProblem{409, "job-not-done", "",
                                               "job " + job.id + " is " + job.state + " (" + std::to_string(job.done) +
                                                   "/" + std::to_string(job.total) + "); the zip is ready when done",
                                               {}, {{"Retry-After", "5"}}});
                 }
                 // Streamed: letters are read from the archive one at a time and written as they come.
                 auto& r = ctx.response;
                 r.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
                 r.setContentType("application/zip");
                 r.set("Content-Disposition", "attachment; filename=\"" + job.kind + "-" + job.id + ".zip\"");
                 r.setChunkedTransferEncoding(true);
                 std::ostream& out = r.send();
                 jobs::WriteDocumentsZip(store, jobs.store->Issued(job.id), out, job.ofd);
                 out.flush();
               }});
  // The print file of any job (print.pdf); letters.pdf is the name the letters' print file had first, kept.
  for (const char* path : {"/v1/jobs/{job}/print.pdf", "/v1/jobs/{job}/letters.pdf"}) {
    router->Add({"GET", path, RolesFor(Action::kReadJobs),
                 [jobs, &issuer](RequestContext& ctx) { ServePrintFile(ctx, jobs, issuer); }, /*heavy=*/true});
  }
}

std::function<void(const std::string&, const std::string&, double)> IssuerMetricsObserver() {
  return [](const std::string& stage, const std::string& template_name, double seconds) {
    if (stage == "issued") Metrics::Global().DocumentIssued(template_name);
    else Metrics::Global().Stage(stage, seconds);
  };
}

void AddMetricsRoutes(Router* router) {
  router->Add({"GET", "/metrics", RolesFor(Action::kReadMetrics), [](RequestContext& ctx) {
                 const std::string text = Metrics::Global().Render();
                 auto& r = ctx.response;
                 r.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
                 r.setContentType("text/plain; version=0.0.4; charset=utf-8");
                 r.setContentLength(static_cast<std::streamsize>(text.size()));
                 r.sendBuffer(text.data(), text.size());
               }});
}

Router MakeRouter(const render::Renderer& renderer, const issuing::Issuer* issuer, const JobsParts* jobs) {
  Router router;
  AddHealthRoutes(&router);
  AddReadinessRoutes(&router, renderer, issuer, jobs);
  AddMetricsRoutes(&router);
  AddRenderRoutes(&router, renderer);
  if (issuer != nullptr) {
    AddDocumentRoutes(&router, *issuer);
    AddArchiveRoutes(&router, issuer->store());
    if (jobs != nullptr) AddJobRoutes(&router, *jobs, *issuer);
  }
  return router;
}

}  // namespace zhiping::service
