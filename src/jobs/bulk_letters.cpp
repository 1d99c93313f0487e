#include "jobs/bulk_letters.h"

#include <Poco/DateTime.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Zip/Compress.h>

#include <algorithm>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/error.h"

namespace zhiping::jobs {

using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

Object::Ptr AsObject(const Poco::Dynamic::Var& v) {
  return v.type() == typeid(Object::Ptr) ? v.extract<Object::Ptr>() : Object::Ptr();
}
Array::Ptr AsArray(const Poco::Dynamic::Var& v) {
  return v.type() == typeid(Array::Ptr) ? v.extract<Array::Ptr>() : Array::Ptr();
}

std::string Reason(const Error& e) {
  if (e.problems().empty()) return e.what();
  std::string out;
  for (const Problem& p : e.problems()) {
    if (!out.empty()) out += "; ";
    out += FormatProblem(p);
  }
  return out;
}

}  // namespace

Problems ValidateBulkEnvelope(const Poco::Dynamic::Var& body, size_t max_items) {
  Problems out;
  Object::Ptr root = AsObject(body);
  if (!root) return {{"", "must be a JSON object"}};
  if (!AsObject(root->get("batch"))) out.push_back({"/batch", "required (an object)"});
  Object::Ptr letter = AsObject(root->get("letter"));
  if (!letter) out.push_back({"/letter", "required (an object with issued)"});
  else if (!letter->has("issued") || !letter->get("issued").isString()) out.push_back({"/letter/issued", "required (a date YYYY-MM-DD)"});
  Array::Ptr items = AsArray(root->get("items"));
  if (!items) out.push_back({"/items", "required (a list)"});
  else if (items->size() == 0) out.push_back({"/items", "must hold at least one item"});
  else if (items->size() > max_items)
    out.push_back({"/items", "must hold at most " + std::to_string(max_items) + " items (got " +
                                 std::to_string(items->size()) + "); split the round into several jobs"});
  return out;
}

size_t BulkItemCount(const Poco::Dynamic::Var& body) {
  Object::Ptr root = AsObject(body);
  Array::Ptr items = root ? AsArray(root->get("items")) : Array::Ptr();
  return items ? items->size() : 0;
}

std::string LetterBodyForItem(const Poco::Dynamic::Var& body, size_t index) {
  Object::Ptr root = AsObject(body);
  Array::Ptr items = AsArray(root->get("items"));
  Object::Ptr item = AsObject(items->get(static_cast<unsigned>(index)));
  Object::Ptr out = new Object;
  out->set("batch", root->get("batch"));
  if (item) {
    if (item->has("applicant")) out->set("applicant", item->get("applicant"));
    if (item->has("result")) out->set("result", item->get("result"));
  }
  Object::Ptr letter = new Object;
  Object::Ptr shared = AsObject(root->get("letter"));
  if (shared)
    for (const auto& [k, v] : *shared) letter->set(k, v);
  if (item && item->has("letter_no")) letter->set("no", item->get("letter_no"));
  out->set("letter", letter);
  std::ostringstream ss;
  Poco::JSON::Stringifier::stringify(out, ss);
  return ss.str();
}

BulkResult RunBulkLetters(const issuing::Issuer& issuer, const Poco::Dynamic::Var& body, const archive::User& user,
                          const std::string& message, const BulkOptions& options) {
  BulkResult result;
  result.total = BulkItemCount(body);
  unsigned threads = options.threads ? options.threads : std::max(2u, std::thread::hardware_concurrency() * 2);
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
      ItemIssued ok;
      ItemFailed bad;
      bool failed = false;
      try {
        const std::string letter = LetterBodyForItem(body, i);
        issuing::IssueResult r = issuer.Issue("letter", letter, user, message);
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
