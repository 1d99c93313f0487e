// jobs/bulk_letters.h — a round's letters in one run: one signed, archived letter per item, spread over threads.
//
// Contract: a bulk body ({batch, letter:{issued}, items:[{applicant, result, letter_no?}]}) in; per item either the
// archived letter (applicant id, version) or the reason it failed, out. One bad item fails alone — its problems
// are its reason — and the others are issued. Re-running the same body makes no new versions (the issuer returns
// the unchanged head). Memory does not grow with the number of items: each letter goes to the archive as it is
// made, and the zip is written afterwards by reading the letters back one at a time.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "archive/archive.h"
#include "common/problem.h"
#include "issuing/issuer.h"
#include "model/parse.h"
#include "model/lazy_body.h"

namespace zhiping::jobs {

// A bulk body held as its text, with the items located but not parsed: a 10,000-item round costs its text
// (~1.5 KB an item), not a parsed tree (5-8 times that), and each item is parsed only when it is issued.
class BulkBody {
 public:
  // Throws zhiping::Error kInvalidInput ("malformed JSON: …") when `text` is not JSON.
  static BulkBody Parse(std::string text);

  BulkBody() = default;
  size_t size() const { return items_ ? static_cast<size_t>(items_->count) : 0; }
  // The letter item `index` stands for, parsed (model::ParseBulkLetter): its problems point into that letter.
  // Thread-safe (each call parses with its own reader).
  model::Parsed<model::LetterRequest> Letter(size_t index, const model::ValidationContext& ctx) const;
  // The item's applicant.name and applicant.unit as written, unchecked (the print file's index lists failed items
  // too). False when the item cannot be read as an object at all. Thread-safe.
  bool ItemNameAndUnit(size_t index, std::string* name, std::string* unit) const;
  // Problems with the body as a whole (its batch, letter.issued, the items list; not single items): these fail
  // the whole job (model::ParseBulkEnvelope).
  Problems EnvelopeProblems(size_t max_items) const;

 private:
  explicit BulkBody(model::LazyBody body);
  // The text with "items" located by the same scanner as a roster's lists (model/lazy_body.h).
  std::shared_ptr<const model::LazyBody> body_;
  const model::LazyBody::List* items_ = nullptr;
};


struct ItemIssued {
  size_t index = 0;
  std::string applicant_id, version;
  bool created = false;
};

struct ItemFailed {
  size_t index = 0;
  std::string reason;  // "/applicant/id_number: checksum digit should be X; …"
};

struct BulkProgress {
  size_t done = 0;    // issued or failed
  size_t failed = 0;
  size_t total = 0;
};

struct BulkOptions {
  unsigned threads = 0;  // 0: hardware threads × 2 (archive fsyncs wait on the disk, not the CPU)
  std::function<void(const BulkProgress&)> on_progress;  // called after every item, from worker threads, serialised
  std::function<void(const ItemIssued&)> on_issued;      // likewise
  std::function<void(const ItemFailed&)> on_failed;      // likewise
  const std::atomic<bool>* stop = nullptr;               // set: finish items in flight, start no new ones
  size_t first_item = 0;                                 // resume: items before this one are skipped
};

struct BulkResult {
  size_t total = 0;
  std::vector<ItemIssued> issued;  // in item order
  std::vector<ItemFailed> failed;  // in item order
  bool stopped = false;            // the stop flag ended the run early
};

BulkResult RunBulkLetters(const issuing::Issuer& issuer, const BulkBody& body, const archive::User& user,
                          const std::string& message, const BulkOptions& options);

// Streams every issued letter from the archive into a zip (stored, not recompressed: PDFs are compressed already),
// named "{applicant id}.pdf". Reads one letter at a time.
void WriteLettersZip(const archive::Store& store, const std::vector<ItemIssued>& issued, std::ostream& out);

}  // namespace zhiping::jobs
