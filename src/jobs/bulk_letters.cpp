#include "jobs/bulk_letters.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <mutex>
#include <thread>

#include "common/error.h"
#include "common/json.h"
#include "common/utf8.h"
#include "jobs/documents_zip.h"

namespace zhiping::jobs {

using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

std::string Reason(const Error& e) {
  if (e.problems().empty()) return e.what();
  std::string out;
  const Lang lang = ProcessLanguage();  // the command line's --lang; the service's: Chinese
  for (const Problem& p : e.problems()) {
    if (!out.empty()) out += lang == Lang::kZh ? "；" : "; ";
    out += FormatProblem(p, lang);
    // Scripts reading a job's failures keep the pointer (into the item's letter) in either language.
    if (lang == Lang::kZh && !p.pointer.empty() && !p.omitted) out += "（" + SanitizeText(p.pointer) + "）";
  }
  return out;
}

}  // namespace

BulkBody::BulkBody(model::LazyBody body, const BulkKind& kind)
    : kind_(&kind), body_(std::make_shared<const model::LazyBody>(std::move(body))) {
  items_ = body_->Find(model::kBulkItemsList);
}

BulkBody BulkBody::Parse(std::string text, const BulkKind& kind) {
  CheckJsonSyntax(text);  // the same message as every other body's ("malformed JSON at line L, column C: …")
  return BulkBody(model::LazyBody::FromText(std::move(text), {model::kBulkItemsList}), kind);
}

model::Parsed<model::Request> BulkBody::Document(size_t index, const model::ValidationContext& ctx) const {
  if (kind_ == &LettersKind()) {
    model::Parsed<model::LetterRequest> letter = Letter(index, ctx);
    if (!letter.ok()) return model::Parsed<model::Request>(letter.TakeProblems());
    return model::Parsed<model::Request>(model::Request(letter.TakeValue()));
  }
  model::LazyBody::Reader reader(*body_);
  return model::ParseBulkDocument(kind_->template_name, *body_, reader, index, ctx);
}

model::Parsed<model::LetterRequest> BulkBody::Letter(size_t index, const model::ValidationContext& ctx) const {
  model::LazyBody::Reader reader(*body_);  // one per call: items are parsed on many threads
  return model::ParseBulkLetter(*body_, reader, index, ctx);
}

bool BulkBody::ItemNameAndUnit(size_t index, std::string* name, std::string* unit) const {
  if (!items_ || index >= size()) return false;
  try {
    model::LazyBody::Reader reader(*body_);
    Poco::Dynamic::Var item = reader.Parse(*items_, index);
    Object::Ptr o = item.extract<Object::Ptr>();
    if (!o) return false;
    auto text = [&](const char* object, const char* key) {
      Object::Ptr parent = o->getObject(object);
      Poco::Dynamic::Var v = parent ? parent->get(key) : Poco::Dynamic::Var();
      return v.isString() ? v.extract<std::string>() : std::string();
    };
    *name = text(kind_->first_object, kind_->first_key);
    *unit = text(kind_->second_object, kind_->second_key);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

Problems BulkBody::EnvelopeProblems(size_t max_items) const {
  if (kind_ == &LettersKind())
    return model::ParseBulkEnvelope(*body_, max_items, model::ValidationContext()).TakeProblems();
  return model::ParseBulkDocumentsEnvelope(kind_->template_name, *body_, max_items, model::ValidationContext())
      .TakeProblems();
}

std::string IssuedObjectId(const ItemIssued& item) {
  return item.object_id.empty() ? archive::ApplicantObjectId(item.applicant_id) : item.object_id;
}

std::string IssuedPath(const ItemIssued& item) { return item.path.empty() ? "letter.pdf" : item.path; }

BulkResult RunBulk(const issuing::Issuer& issuer, const BulkBody& body, const archive::User& user,
                   const std::string& message, const BulkOptions& options) {
  BulkResult result;
  result.total = body.size();
  // Eight a core by default: an item waits on its archive fsyncs (13 of them, ~0.3 ms each on the test machine's
  // disk) as long as it computes, and with two a core the cores idled a fifth of the run (bench/bulk_compare.sh).
  // Memory does not follow the threads: renders share a bounded pool of PDF writers (pdf/haru_document_pool.h).
  unsigned threads =
      options.threads ? options.threads : std::max(2u, std::thread::hardware_concurrency() * kThreadsPerCore);
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, result.total)));
  std::atomic<size_t> next{options.first_item};
  std::mutex mu;  // guards result, progress and the callbacks
  BulkProgress progress;
  progress.total = result.total;
  progress.done = options.first_item;
  auto worker = [&] {
    for (;;) {
      if (options.stop && options.stop->load()) return;
      const size_t i = next.fetch_add(1);
      if (i >= result.total) return;
      ItemOutcome outcome = IssueBulkItem(issuer, body, i, user, message, options.issue);
      const bool failed = outcome.failed;
      const ItemIssued& ok = outcome.issued;
      const ItemFailed& bad = outcome.failure;
      std::lock_guard<std::mutex> lock(mu);
      ++progress.done;
      if (failed) {
        ++progress.failed;
        result.failed.push_back(bad);
        if (options.on_failed) options.on_failed(bad);
      } else {
        if (options.on_issued) options.on_issued(ok);
        result.issued.push_back(ok);
        result.issued.back().bytes.reset();  // the result keeps where each document is, not its bytes
      }
      if (options.on_progress) options.on_progress(progress);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  result.stopped = options.stop && options.stop->load() && progress.done < result.total;
  auto by_index = [](const auto& a, const auto& b) { return a.index < b.index; };
  std::sort(result.issued.begin(), result.issued.end(), by_index);
  std::sort(result.failed.begin(), result.failed.end(), by_index);
  return result;
}

ItemOutcome IssueBulkItem(const issuing::Issuer& issuer, const BulkBody& body, size_t index, const archive::User& user,
                          const std::string& message, const issuing::IssueOptions& options) {
  ItemOutcome out;
  try {
    const model::ValidationContext ctx = issuer.renderer().validation_context();
    model::Request document = body.Document(index, ctx).ValueOrThrow(std::string(body.kind().template_name) + " data");
    issuing::IssueResult r = issuer.Issue(std::move(document), user, message, options);
    out.issued = ItemIssued{index, r.key, r.version, r.created, r.object_id, r.document_path,
                            std::make_shared<const ArchivedBytes>(ArchivedBytes{std::move(r.document), std::move(r.ofd)})};
  } catch (const Error& e) {
    out.failed = true;
    out.failure = ItemFailed{index, Reason(e)};
    out.error_kind = e.kind();
  } catch (const std::exception& e) {
    out.failed = true;
    out.failure = ItemFailed{index, e.what()};
  }
  return out;
}

std::string OfdPathOf(const std::string& pdf_path) {
  const size_t dot = pdf_path.rfind('.');
  return (dot == std::string::npos ? pdf_path : pdf_path.substr(0, dot)) + ".ofd";
}

void WriteDocumentsZip(const archive::Store& store, const std::vector<ItemIssued>& issued, std::ostream& out,
                       bool ofd) {
  DocumentsZip zip(store, out, ofd);
  for (const ItemIssued& item : issued) zip.Add(item);
  zip.Close();
}

}  // namespace zhiping::jobs
