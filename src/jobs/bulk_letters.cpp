#include "jobs/bulk_letters.h"

#include <Poco/DateTime.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Zip/Compress.h>

#include <algorithm>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/error.h"
#include "common/json.h"
#include "common/utf8.h"

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

BulkBody::BulkBody(model::LazyBody body) : body_(std::make_shared<const model::LazyBody>(std::move(body))) {
  items_ = body_->Find(model::kBulkItemsList);
}

BulkBody BulkBody::Parse(std::string text) {
  CheckJsonSyntax(text);  // the same message as every other body's ("malformed JSON at line L, column C: …")
  return BulkBody(model::LazyBody::FromText(std::move(text), {model::kBulkItemsList}));
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
    Object::Ptr applicant = o ? o->getObject("applicant") : nullptr;
    if (!applicant) return false;
    auto text = [&](const char* key) {
      Poco::Dynamic::Var v = applicant->get(key);
      return v.isString() ? v.extract<std::string>() : std::string();
    };
    *name = text("name");
    *unit = text("unit");
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

Problems BulkBody::EnvelopeProblems(size_t max_items) const {
  return model::ParseBulkEnvelope(*body_, max_items, model::ValidationContext()).TakeProblems();
}

BulkResult RunBulkLetters(const issuing::Issuer& issuer, const BulkBody& body, const archive::User& user,
                          const std::string& message, const BulkOptions& options) {
  BulkResult result;
  result.total = body.size();
  unsigned threads = options.threads ? options.threads : std::max(2u, std::thread::hardware_concurrency() * 2);
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, result.total)));
  std::atomic<size_t> next{options.first_item};
  std::mutex mu;  // guards result, progress and the callbacks
  BulkProgress progress;
  progress.total = result.total;
  const model::ValidationContext ctx = issuer.renderer().validation_context();
  progress.done = options.first_item;
  auto worker = [&] {
    for (;;) {
      if (options.stop && options.stop->load()) return;
      const size_t i = next.fetch_add(1);
      if (i >= result.total) return;
      ItemIssued ok;
      ItemFailed bad;
      bool failed = false;
      try {
        model::Request letter = body.Letter(i, ctx).ValueOrThrow("letter data");
        issuing::IssueResult r = issuer.Issue(std::move(letter), user, message);
        ok = ItemIssued{i, r.key, r.version, r.created};
      } catch (const Error& e) {
        failed = true;
        bad = ItemFailed{i, Reason(e)};
      } catch (const std::exception& e) {
        failed = true;
        bad = ItemFailed{i, e.what()};
      }
      std::lock_guard<std::mutex> lock(mu);
      ++progress.done;
      if (failed) {
        ++progress.failed;
        result.failed.push_back(bad);
        if (options.on_failed) options.on_failed(bad);
      } else {
        result.issued.push_back(ok);
        if (options.on_issued) options.on_issued(ok);
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

void WriteLettersZip(const archive::Store& store, const std::vector<ItemIssued>& issued, std::ostream& out) {
  Poco::Zip::Compress zip(out, false);
  const Poco::DateTime when(2000, 1, 1);  // fixed: the same letters give the same zip
  for (const ItemIssued& item : issued) {
    std::istringstream pdf(store.Read(archive::ApplicantObjectId(item.applicant_id), "letter.pdf", item.version));
    zip.addFile(pdf, when, Poco::Path(item.applicant_id + ".pdf"), Poco::Zip::ZipCommon::CM_STORE);
  }
  zip.close();
}

}  // namespace zhiping::jobs
