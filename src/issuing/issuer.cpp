#include "issuing/issuer.h"

#include <openssl/evp.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <array>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <sstream>

#include "archive/database_object_locks.h"
#include "common/error.h"
#include "common/ids.h"
#include "common/messages.h"
#include "issuing/countersign_identity.h"
#include "common/json.h"
#include "fonts/font_set.h"
#include "model/request_json.h"
#include "ofd/ofd_writer.h"
#include "ofd/package.h"
#include "render/output_format.h"
#include "seal/ofd_seal.h"
#include "sign/dev_seal_picture.h"

namespace zhiping::issuing {

namespace {

std::string Sha256Hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1) {
    throw Error(ErrorKind::kInternal, "SHA-256 failed");
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 15]);
  }
  return out;
}

// Removes the text of every <TAG ...>...</TAG> element (the document's creation and modification times).
std::string BlankElement(std::string xml, const std::string& tag) {
  size_t at = 0;
  while ((at = xml.find("<" + tag, at)) != std::string::npos) {
    size_t open_end = xml.find('>', at);
    size_t close = xml.find("</" + tag + ">", at);
    if (open_end == std::string::npos || close == std::string::npos || close < open_end) break;
    xml.erase(open_end + 1, close - open_end - 1);
    at = open_end + 1;
  }
  return xml;
}

// What a document says, independent of when it was written: for XLSX (a zip written by libxlsxwriter, which stamps
// docProps/core.xml with the current time) the SHA-256 of every entry's name and uncompressed bytes with the
// dcterms:created/modified times blanked; for anything else, or a zip we cannot read, "".
std::string XlsxContentSha256(const std::string& bytes) {
  try {
    std::istringstream in(bytes);
    Poco::Zip::ZipArchive zip(in);
    std::string canonical;
    for (auto it = zip.headerBegin(); it != zip.headerEnd(); ++it) {
      if (it->second.isDirectory()) continue;
      in.clear();
      Poco::Zip::ZipInputStream entry(in, it->second, true);
      std::string data;
      Poco::StreamCopier::copyToString(entry, data);
      if (it->first == "docProps/core.xml") {
        data = BlankElement(BlankElement(data, "dcterms:created"), "dcterms:modified");
      }
      canonical += it->first + '\0' + std::to_string(data.size()) + '\0' + data;
    }
    return canonical.empty() ? "" : Sha256Hex(canonical);
  } catch (const std::exception&) {
    return "";
  }
}

// Where a document goes: applicant templates (letter, review-form) to the applicant's object, every other to the
// round's; a report's files are named after its committee (one report per committee in the round's object).
struct Subject {
  bool applicant = false;
  std::string key;       // the applicant's or the round's id (valid: the model checked it)
  std::string stem;      // "letter", "report-hz", "roster-summary"
  const model::Batch* batch = nullptr;
};

Subject SubjectOf(const model::Request& request) {
  struct Visit {
    Subject operator()(const model::LetterRequest& r) const { return {true, r.applicant.id, "letter", &r.batch}; }
    Subject operator()(const model::ReviewFormRequest& r) const {
      return {true, r.applicant.id, "review-form", &r.batch};
    }
    Subject operator()(const model::ReportRequest& r) const {
      return {false, r.batch.id, "report-" + r.committee.id, &r.batch};
    }
    Subject operator()(const model::NoticeRequest& r) const { return {false, r.batch.id, "notice", &r.batch}; }
    Subject operator()(const model::RosterRequest& r) const { return {false, r.batch.id, r.kind, &r.batch}; }
    Subject operator()(const model::ResultNoticeRequest& r) const {
      return {false, r.batch.id, "result-notice", &r.batch};
    }
  };
  return std::visit(Visit{}, request);
}

// "评审结果通知书 — one applicant's result letter" -> "评审结果通知书".
std::string ReasonFor(const render::Renderer& renderer, const std::string& template_name) {
  for (const auto& t : renderer.Templates()) {
    if (t.name != template_name) continue;
    std::string title = t.title;
    size_t dash = title.find(" — ");
    if (dash != std::string::npos) title = title.substr(0, dash);
    return title.empty() ? template_name : title;
  }
  return template_name;
}


constexpr size_t kStripes = 64;

}  // namespace

namespace {
// `<parent of archive_root>/.zhiping/NAME`: zhiping's own state beside the archive folder.
std::string StateDirBeside(const std::string& archive_root, const char* name) {
  namespace sfs = std::filesystem;
  sfs::path root = sfs::absolute(sfs::path(archive_root.empty() ? "." : archive_root)).lexically_normal();
  // "archive/" normalises to "archive/" (empty filename): drop the trailing separator first.
  if (root.filename().empty()) root = root.parent_path();
  return (root.parent_path() / ".zhiping" / name).string();
}

// True when an office's own seal is configured (settings or environment): then it is loaded at start-up.
bool SealConfigured(const seal::SealConfig& c) {
  if (c.use_environment)
  for (const char* env : {"ZHIPING_SEAL_KEY", "ZHIPING_SEAL_CERT", "ZHIPING_SEAL_FILE"})
    if (const char* v = std::getenv(env); v && *v) return true;
  return !c.key_path.empty() || !c.cert_path.empty() || !c.seal_path.empty();
}

// "YYYY-MM-DD" of a time, in the process's time zone (the office's).
std::string LocalDate(std::time_t t) {
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}
}  // namespace

namespace {
// A visible signature at `place` when signatures are visible and the place is a real box; invisible otherwise.
sign::Appearance AppearanceAt(const layout::SealBox& place, bool visible) {
  sign::Appearance a;
  if (visible && place.page >= 0 && place.w > 0 && place.h > 0) {
    a.visible = true;
    a.page = place.page;
    a.x = place.x;
    a.y = place.y;
    a.w = place.w;
    a.h = place.h;
  }
  return a;
}

// A seal at `place` of the package `od` was written as; a document without a seal place (the review form): the
// seal signs, its stamp is not drawn (an empty box on page 1).
seal::SealRequest SealRequestAt(const ofd::OfdDocument& od, const ofd::OfdSealPlace& place, std::time_t now) {
  seal::SealRequest sr;
  sr.time = now;
  if (place.page >= 0) {
    sr.page_id = std::to_string(place.page_id);
    sr.x_mm = place.x;
    sr.y_mm = place.y;
    sr.width_mm = place.w;
    sr.height_mm = place.h;
  } else {
    sr.page_id = std::to_string(od.pages.at(0).id);
    sr.x_mm = sr.y_mm = sr.width_mm = sr.height_mm = 0;
  }
  return sr;
}
}  // namespace

std::string DefaultDevIdentityDir(const std::string& archive_root) {
  return StateDirBeside(archive_root, "dev-identity");
}

std::string DefaultDevSealDir(const std::string& archive_root) { return StateDirBeside(archive_root, "dev-seal"); }

struct Issuer::Impl {
  IssuerConfig config;
  const render::Renderer* renderer = nullptr;
  std::unique_ptr<archive::Store> store;
  std::unique_ptr<sign::Signer> signer;
  mutable std::array<std::mutex, kStripes> stripes;  // per-object serialisation of check + sign + commit
  // The OFD seal: loaded by the constructor when configured, else (the development seal) on the first OFD issue.
  mutable std::once_flag seal_once;
  mutable std::unique_ptr<seal::SealIdentity> seal_identity;

  const seal::SealIdentity& Seal() const {
    std::call_once(seal_once, [this] {  // a throw leaves it unset: the next OFD issue tries again
      seal_identity = LoadSeal(config.seal);
    });
    return *seal_identity;
  }

  // Loads a seal identity; the development seal's face is drawn only when it is made (it is kept in its folder
  // from then on).
  std::unique_ptr<seal::SealIdentity> LoadSeal(seal::SealConfig sc) const {
    if (!SealConfigured(sc)) {
      auto fonts = renderer->font_set();
      const fonts::FontFace* face = fonts ? sign::DevelopmentSealFace(*fonts) : nullptr;
      if (!face) throw Error(ErrorKind::kFont, "no font has the characters of the development seal (样章开发用非正式)");
      if (!std::filesystem::exists(sc.dev_dir)) sc.dev_picture = sign::DrawDevelopmentSealPng(*face, 480);
    }
    return seal::LoadSealIdentity(sc, std::time(nullptr));
  }

  std::vector<layout::SealBox> SealPlaces(const render::RenderedDocument& doc) const {
    if (!doc.layout) return {};
    if (config.seal_places) return config.seal_places(*doc.layout);
    if (!doc.layout->seals.empty()) return doc.layout->seals;
    if (doc.layout->seal.page >= 0) return {doc.layout->seal};
    return {};
  }

  // Runs fn, telling config.observe how long it took.
  template <typename Fn>
  void Timed(const char* stage, const std::string& template_name, Fn&& fn) const {
    const auto start = std::chrono::steady_clock::now();
    fn();
    if (config.observe)
      config.observe(stage, template_name,
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  // Steps 2–5 of the contract (issuer.h) for a rendered document.
  IssueResult IssueRendered(const std::string& template_name, render::RenderedDocument doc,
                            const std::string& body_json, const archive::User& user, const std::string& message,
                            const IssueOptions& options) const;
  // Step 4b: the document's pages as a sealed OFD package (its ZIP bytes).
  std::string SealedOfd(const render::RenderedDocument& doc, const model::Batch& batch, std::time_t now) const;
};

Issuer::Issuer(const IssuerConfig& config, const render::Renderer& renderer) : impl_(std::make_unique<Impl>()) {
  impl_->config = config;
  if (impl_->config.signer.dev_identity_dir.empty()) {
    impl_->config.signer.dev_identity_dir = DefaultDevIdentityDir(config.archive_root);
  }
  impl_->renderer = &renderer;
  if (!impl_->config.signer.fonts) impl_->config.signer.fonts = [&renderer] { return renderer.font_set(); };
  impl_->store = config.database ? std::make_unique<archive::Store>(config.archive_root,
                                                                    archive::DatabaseStoreOptions(config.database))
                                  : std::make_unique<archive::Store>(config.archive_root);
  impl_->signer = sign::Signer::Create(impl_->config.signer);
  if (impl_->config.seal.dev_dir.empty()) impl_->config.seal.dev_dir = DefaultDevSealDir(config.archive_root);
  if (SealConfigured(impl_->config.seal)) impl_->Seal();  // an office's seal: its errors stop start-up
}

Issuer::~Issuer() = default;

const archive::Store& Issuer::store() const { return *impl_->store; }
const sign::Signer& Issuer::signer() const { return *impl_->signer; }
const render::Renderer& Issuer::renderer() const { return *impl_->renderer; }
bool Issuer::is_development() const { return impl_->signer->is_development(); }
std::string Issuer::dev_ca_path() const {
  return impl_->signer->is_development() ? impl_->signer->ca_certificate_path() : "";
}
const seal::SealIdentity& Issuer::seal_identity() const { return impl_->Seal(); }

const std::map<std::string, std::string>& Issuer::countersign_identities() const {
  return impl_->config.countersign_identities;
}

std::string Issuer::countersign_identity_dir(const std::string& name) const {
  auto it = impl_->config.countersign_identities.find(name);
  return it == impl_->config.countersign_identities.end() ? "" : it->second;
}

IssueResult Issuer::Countersign(const std::string& template_name, const std::string& batch_id,
                                const std::string& identity_dir, const archive::User& user,
                                const std::string& message) const {
  const Impl& im = *impl_;
  if (!im.renderer->HasTemplate(template_name)) throw Error(ErrorKind::kNotFound, "unknown template '" + template_name + "'");
  auto no_document = [&] {
    return Error(ErrorKind::kNotFound,
                 RenderMessage(Msg::kCountersignNoDocument, {batch_id, template_name}, ProcessLanguage()));
  };
  if (!IsValidId(batch_id)) throw no_document();
  IssueResult result;
  result.applicant = false;
  result.key = batch_id;
  result.object_id = archive::BatchObjectId(batch_id);
  const std::string stem = template_name;
  result.document_path = stem + ".pdf";
  result.media_type = "application/pdf";
  const std::string body_path = stem + ".json", issue_path = stem + ".issue.json", ofd_path = stem + ".ofd";
  const archive::Store& store = *im.store;
  std::lock_guard<std::mutex> lock(im.stripes[std::hash<std::string>{}(result.object_id) % kStripes]);

  if (!store.Exists(result.object_id)) throw no_document();
  const std::vector<archive::FileEntry> head = store.Files(result.object_id);
  const std::string version = head.empty() ? "" : head.front().version;
  auto has = [&](const std::string& path) {
    for (const auto& f : head)
      if (f.logical_path == path) return true;
    return false;
  };
  if (!has(result.document_path) || !has(body_path) || !has(issue_path)) throw no_document();
  const bool with_ofd = has(ofd_path);
  const std::string body = store.Read(result.object_id, body_path, version);
  const std::string pdf = store.Read(result.object_id, result.document_path, version);
  Poco::Dynamic::Var record_var = ParseJson(store.Read(result.object_id, issue_path, version));
  Poco::JSON::Object::Ptr record = record_var.extract<Poco::JSON::Object::Ptr>();

  // The seal places come from the layout, so the stored body is laid out again; if that no longer gives the
  // document that was signed, the places may have moved.
  render::RenderedDocument doc;
  im.Timed("render", template_name, [&] { doc = im.renderer->Render(template_name, body); });
  const std::vector<layout::SealBox> places = im.SealPlaces(doc);
  if (places.size() < 2)
    throw Error(ErrorKind::kInvalidInput,
                RenderMessage(Msg::kCountersignOneSealPlace, {template_name}, ProcessLanguage()));
  if (Sha256Hex(doc.bytes) != StringAt(record_var, "/unsigned_sha256"))
    throw Error(ErrorKind::kConflict,
                RenderMessage(Msg::kCountersignLayoutChanged, {template_name}, ProcessLanguage()));
  const size_t signed_before = sign::VerifyPdf(pdf, {}).size();
  if (signed_before >= places.size())
    throw Error(ErrorKind::kConflict,
                RenderMessage(Msg::kCountersignComplete, {places.size()}, ProcessLanguage()));
  const layout::SealBox& place = places[signed_before];

  std::unique_ptr<sign::Signer> signer =
      sign::Signer::Create(CountersignSignerConfig(identity_dir, im.config.signer));
  sign::SignRequest request;
  request.reason = ReasonFor(*im.renderer, template_name);
  request.title = doc.title;
  request.appearance = AppearanceAt(place, im.config.visible_signature);
  std::string countersigned;
  im.Timed("sign", template_name, [&] { countersigned = signer->Countersign(pdf, request); });

  Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
  entry.set("signer", signer->subject());
  entry.set("signer_certificate_sha256", signer->certificate_sha256());
  entry.set("development_identity", signer->is_development());
  Poco::JSON::Object who(Poco::JSON_PRESERVE_KEY_ORDER);
  who.set("name", user.name.empty() ? std::string("zhiping") : user.name);
  if (!user.address.empty()) who.set("address", user.address);
  entry.set("user", who);

  std::vector<archive::FileInput> files = {{result.document_path, countersigned}};
  if (with_ofd) {
    std::unique_ptr<seal::SealIdentity> seal_identity = im.LoadSeal(CountersignSealConfig(identity_dir));
    im.Timed("seal", template_name, [&] {
      ofd::Package package = ofd::ReadZip(store.Read(result.object_id, ofd_path, version));
      // The same pages written again: the places converted to the package's terms (page IDs, millimetres) as
      // for the first seal, these places being the ones chosen above.
      layout::LaidOutDocument pages = *doc.layout;
      pages.seals = places;
      const ofd::OfdDocument od = ofd::WriteOfd(pages);
      const ofd::OfdSealPlace& at = od.seals.at(signed_before);
      seal::SealRequest sr = SealRequestAt(od, at, std::time(nullptr));
      sr.identity = seal_identity.get();
      seal::AddSeal(package, sr);
      result.ofd = ofd::WriteZip(package, 1);
    });
    Poco::JSON::Object ofd(Poco::JSON_PRESERVE_KEY_ORDER);
    ofd.set("path", ofd_path);
    ofd.set("sealed_by", seal_identity->seal.info.name);
    ofd.set("seal_id", seal_identity->seal.info.es_id);
    ofd.set("seal_certificate_sha256", Sha256Hex(seal_identity->cert_der));
    ofd.set("development_seal", seal_identity->development);
    entry.set("ofd", ofd);
    result.ofd_path = ofd_path;
    result.development_seal = seal_identity->development;
    files.push_back({ofd_path, result.ofd});
  }

  Poco::JSON::Object::Ptr seals = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  seals->set("required", static_cast<int>(places.size()));
  seals->set("signed", static_cast<int>(signed_before + 1));
  record->set("seals", seals);
  Poco::JSON::Array::Ptr entries = record->has("countersignatures") ? record->getArray("countersignatures")
                                                                    : Poco::JSON::Array::Ptr(new Poco::JSON::Array);
  if (!entries) entries = new Poco::JSON::Array;
  entries->add(entry);
  record->set("countersignatures", entries);
  files.push_back({issue_path, JsonText(record, 2) + "\n"});

  archive::CommitResult commit;
  im.Timed("archive", template_name, [&] {
    commit = im.store->Commit(result.object_id, files, user, message.empty() ? "countersign " + template_name : message,
                          [&](const archive::HeadState& now) { return now.version != version; });
  });
  if (!commit.created)  // another process changed the object since it was read: nothing of this is kept
    throw Error(ErrorKind::kConflict, RenderMessage(Msg::kCountersignRaced, {template_name}, ProcessLanguage()));
  result.version = commit.version;
  result.created = true;
  for (const std::string& path : {result.document_path, ofd_path, body_path, issue_path})
    for (const auto& f : commit.files)
      if (f.logical_path == path) result.files.push_back({f.logical_path, f.digest, f.size});
  result.document = std::move(countersigned);
  result.development_identity = signer->is_development();
  result.seals_required = static_cast<int>(places.size());
  result.seals_signed = static_cast<int>(signed_before + 1);
  return result;
}

IssueResult Issuer::Issue(const std::string& template_name, const std::string& body_json, const archive::User& user,
                          const std::string& message, const IssueOptions& options) const {
  if (!impl_->renderer->HasTemplate(template_name)) {
    throw Error(ErrorKind::kNotFound, "unknown template '" + template_name + "'");
  }
  if (options.ofd) impl_->renderer->CheckFormatOf(template_name, render::OutputFormat::kOfd);  // before the body
  // 1. Render: parses the whole body first, so bad data reports every problem and nothing else happens.
  render::RenderedDocument doc;
  impl_->Timed("render", template_name, [&] { doc = impl_->renderer->Render(template_name, body_json); });
  return impl_->IssueRendered(template_name, std::move(doc), body_json, user, message, options);
}

IssueResult Issuer::Issue(model::Request request, const archive::User& user, const std::string& message,
                          const IssueOptions& options) const {
  const std::string template_name = model::TemplateOf(request);
  if (!impl_->renderer->HasTemplate(template_name)) {
    throw Error(ErrorKind::kNotFound, "unknown template '" + template_name + "'");
  }
  std::string body_json = model::ToJsonText(request);  // before the request moves into the document
  render::RenderedDocument doc;
  impl_->Timed("render", template_name, [&] { doc = impl_->renderer->Render(std::move(request)); });
  return impl_->IssueRendered(template_name, std::move(doc), body_json, user, message, options);
}

std::string Issuer::Impl::SealedOfd(const render::RenderedDocument& doc, const model::Batch& batch,
                                    std::time_t now) const {
  if (!doc.layout) throw Error(ErrorKind::kInternal, "a PDF rendered without its layout");
  ofd::OfdOptions oo;
  if (batch.office) oo.author = batch.office->name;
  oo.creation_date = LocalDate(now);
  ofd::OfdDocument od = ofd::WriteOfd(*doc.layout, oo);
  seal::SealRequest sr = SealRequestAt(od, od.seal, now);
  sr.identity = &Seal();
  seal::Seal(od.package, sr);
  return ofd::WriteZip(od.package, 1);
}

IssueResult Issuer::Impl::IssueRendered(const std::string& template_name, render::RenderedDocument doc,
                                        const std::string& body_json, const archive::User& user,
                                        const std::string& message, const IssueOptions& options) const {
  const render::Renderer& renderer = *this->renderer;
  auto timed = [&](const char* stage, auto&& fn) { Timed(stage, template_name, fn); };
  const Subject subject = SubjectOf(*doc.request);

  // 2. The object and the logical paths.
  IssueResult result;
  result.applicant = subject.applicant;
  result.key = subject.key;
  result.object_id = subject.applicant ? archive::ApplicantObjectId(subject.key) : archive::BatchObjectId(subject.key);
  const std::string& stem = subject.stem;
  result.document_path = stem + "." + doc.extension;
  result.media_type = doc.media_type;
  const std::string body_path = stem + ".json";
  const std::string issue_path = stem + ".issue.json";
  const std::string ofd_path = stem + ".ofd";
  if (options.ofd) render::CheckOutputFormat(render::OutputFormat::kOfd, template_name, doc.extension);
  const std::string unsigned_sha256 = Sha256Hex(doc.bytes);
  const std::string content_sha256 = doc.extension == "xlsx" ? XlsxContentSha256(doc.bytes) : "";
  result.development_identity = doc.extension == "pdf" && signer->is_development();

  const archive::Store& store = *this->store;
  std::lock_guard<std::mutex> lock(stripes[std::hash<std::string>{}(result.object_id) % kStripes]);

  auto collect = [&](const std::vector<archive::FileEntry>& head) {
    result.files.clear();
    for (const std::string& path : {result.document_path, ofd_path, body_path, issue_path}) {
      if (path == ofd_path && !options.ofd) continue;
      for (const auto& f : head) {
        if (f.logical_path == path) result.files.push_back({f.logical_path, f.digest, f.size});
      }
    }
  };

  // 3. Same output and same body as the head: nothing to do. Asked first without the archive's lock (so an
  // unchanged re-issue is not even signed), then again inside Commit under the object's lock, where another
  // process may meanwhile have committed this very body.
  auto same_as_head = [&](const std::vector<archive::FileEntry>& head,
                          const std::function<std::string(const std::string&)>& read) {
    bool has_issue = false, has_body = false, has_doc = false, has_ofd = false;
    for (const auto& f : head) {
      has_issue |= f.logical_path == issue_path;
      has_body |= f.logical_path == body_path;
      has_doc |= f.logical_path == result.document_path;
      has_ofd |= f.logical_path == ofd_path;
    }
    // An OFD asked for must be there; one not asked for may stay (the same body made it).
    if (!(has_issue && has_body && has_doc) || (options.ofd && !has_ofd)) return false;
    std::string previous, previous_content;
    try {
      const auto record = ParseJson(read(issue_path));  // our own record of the issue, not a request body
      previous = StringAt(record, "/unsigned_sha256");
      previous_content = StringAt(record, "/content_sha256");
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::kInvalidInput) throw;  // an unreadable record: issue anew
    }
    const bool same_output =
        previous == unsigned_sha256 || (!content_sha256.empty() && previous_content == content_sha256);
    return same_output && read(body_path) == body_json;
  };
  auto unchanged = [&](const std::string& version, const std::vector<archive::FileEntry>& head) {
    result.version = version;
    result.created = false;
    collect(head);
    result.document = store.Read(result.object_id, result.document_path, version);
    if (options.ofd) {
      result.ofd_path = ofd_path;
      result.ofd = store.Read(result.object_id, ofd_path, version);
      result.development_seal = Seal().development;
    }
    return result;
  };
  if (store.Exists(result.object_id)) {
    std::vector<archive::FileEntry> head = store.Files(result.object_id);
    const std::string version = head.empty() ? "" : head.front().version;
    auto read = [&](const std::string& path) { return store.Read(result.object_id, path, version); };
    if (same_as_head(head, read)) return unchanged(version, head);
  }

  // 4. Sign.
  std::string stored = doc.bytes;
  if (doc.extension == "pdf") {
    sign::SignRequest request;
    request.reason = ReasonFor(renderer, template_name);
    if (subject.batch->office) request.location = subject.batch->office->name;
    request.title = doc.title;  // PDF/A metadata (author: the office, from location)
    request.appearance = AppearanceAt({doc.seal_page, doc.seal_x, doc.seal_y, doc.seal_w, doc.seal_h},
                                      config.visible_signature);
    timed("sign", [&] { stored = signer->Sign(doc.bytes, request); });
  }
  std::string sealed_ofd;
  if (options.ofd) timed("seal", [&] { sealed_ofd = SealedOfd(doc, *subject.batch, std::time(nullptr)); });

  // 5. What produced it, and commit.
  Poco::JSON::Object record(Poco::JSON_PRESERVE_KEY_ORDER);
  record.set("template", template_name);
  record.set("template_digest", doc.template_digest);
  record.set("zhiping_version", std::string(ZHIPING_VERSION));
  record.set("unsigned_sha256", unsigned_sha256);
  if (!content_sha256.empty()) record.set("content_sha256", content_sha256);
  Poco::JSON::Object who(Poco::JSON_PRESERVE_KEY_ORDER);
  who.set("name", user.name.empty() ? std::string("zhiping") : user.name);
  if (!user.address.empty()) who.set("address", user.address);
  record.set("user", who);
  const bool is_signed = doc.extension == "pdf";
  record.set("signed", is_signed);
  if (is_signed) {
    record.set("signer", signer->subject());
    record.set("signer_certificate_sha256", signer->certificate_sha256());
    record.set("development_identity", signer->is_development());
  }
  const size_t places = is_signed ? SealPlaces(doc).size() : 0;
  if (places >= 2) {  // a joint document: signed by the lead organ, waiting for the others (Countersign)
    Poco::JSON::Object seals(Poco::JSON_PRESERVE_KEY_ORDER);
    seals.set("required", static_cast<int>(places));
    seals.set("signed", 1);
    record.set("seals", seals);
    result.seals_required = static_cast<int>(places);
    result.seals_signed = 1;
  }
  if (options.ofd) {
    const seal::SealIdentity& seal = Seal();
    Poco::JSON::Object ofd(Poco::JSON_PRESERVE_KEY_ORDER);
    ofd.set("path", ofd_path);
    ofd.set("sealed_by", seal.seal.info.name);
    ofd.set("seal_id", seal.seal.info.es_id);
    ofd.set("seal_certificate_sha256", Sha256Hex(seal.cert_der));
    ofd.set("development_seal", seal.development);
    record.set("ofd", ofd);
  }

  std::vector<archive::FileInput> files = {
      {result.document_path, stored}, {body_path, body_json}, {issue_path, JsonText(record, 2) + "\n"}};
  // An OFD of an earlier body must not stay beside this one's PDF: it is made now or dropped from the head.
  if (options.ofd) files.push_back({ofd_path, sealed_ofd});
  else files.push_back({ofd_path, "", true});
  std::string why = message.empty() ? "issue " + template_name : message;
  archive::CommitResult commit;
  timed("archive", [&] {
    commit = this->store->Commit(result.object_id, files, user, why, [&](const archive::HeadState& head) {
      return same_as_head(head.files, head.read);
    });
  });
  if (!commit.created) return unchanged(commit.version, commit.files);  // another process issued it meanwhile
  if (config.observe) config.observe("issued", template_name, 0);
  result.version = commit.version;
  result.created = commit.created;
  collect(commit.files);
  result.document = std::move(stored);
  if (options.ofd) {
    result.ofd_path = ofd_path;
    result.ofd = std::move(sealed_ofd);
    result.development_seal = Seal().development;
  }
  return result;
}

}  // namespace zhiping::issuing
