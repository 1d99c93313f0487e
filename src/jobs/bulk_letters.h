// jobs/bulk_letters.h — a round's documents in one run: one signed, archived document per item, spread over
// threads. Named for its first kind; the kinds (letters, review forms, reports) are jobs/bulk_kind.h's.
//
// Contract: a bulk body of a kind in — letters {batch, letter:{issued}, items:[{applicant, result, letter_no?}]},
// the others {batch, items:[…]} (model::ParseBulkDocument) — and per item either the archived document (object,
// path, version) or the reason it failed, out. One bad item fails alone — its problems
// are its reason — and the others are issued. Re-running the same body makes no new versions (the issuer returns
// the unchanged head). Memory does not grow with the number of items: each letter goes to the archive as it is
// made, and the zip is written while the run goes on (jobs/documents_zip.h), from the bytes just archived.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "archive/archive.h"
#include "common/error.h"
#include "common/problem.h"
#include "jobs/bulk_kind.h"
#include "issuing/issuer.h"
#include "model/parse.h"
#include "model/lazy_body.h"

namespace zhiping::jobs {

// A bulk body held as its text, with the items located but not parsed: a 10,000-item round costs its text
// (~1.5 KB an item), not a parsed tree (5-8 times that), and each item is parsed only when it is issued.
class BulkBody {
 public:
  // Throws zhiping::Error kInvalidInput ("malformed JSON: …") when `text` is not JSON.
  static BulkBody Parse(std::string text, const BulkKind& kind = LettersKind());

  BulkBody() = default;
  const BulkKind& kind() const { return *kind_; }
  size_t size() const { return items_ ? static_cast<size_t>(items_->count) : 0; }
  // The letter item `index` stands for, parsed (model::ParseBulkLetter): its problems point into that letter.
  // Letters only. Thread-safe (each call parses with its own reader).
  model::Parsed<model::LetterRequest> Letter(size_t index, const model::ValidationContext& ctx) const;
  // The document item `index` stands for, of the body's kind (a letter as Letter() gives it; otherwise
  // model::ParseBulkDocument). Thread-safe.
  model::Parsed<model::Request> Document(size_t index, const model::ValidationContext& ctx) const;
  // The item's two index columns as written, unchecked (the kind's first_object.first_key and
  // second_object.second_key: applicant.name and applicant.unit for letters; the print file's index lists failed
  // items too). False when the item cannot be read as an object at all. Thread-safe.
  bool ItemNameAndUnit(size_t index, std::string* name, std::string* unit) const;
  // Problems with the body as a whole (its batch, letter.issued, the items list; not single items): these fail
  // the whole job (model::ParseBulkEnvelope, model::ParseBulkDocumentsEnvelope).
  Problems EnvelopeProblems(size_t max_items) const;

 private:
  BulkBody(model::LazyBody body, const BulkKind& kind);
  const BulkKind* kind_ = &LettersKind();
  // The text with "items" located by the same scanner as a roster's lists (model/lazy_body.h).
  std::shared_ptr<const model::LazyBody> body_;
  const model::LazyBody::List* items_ = nullptr;
};


// An issued item's document as archived, and its sealed OFD when it was issued with one ("" otherwise).
struct ArchivedBytes {
  std::string document, ofd;
};

struct ItemIssued {
  size_t index = 0;
  std::string applicant_id, version;  // applicant_id: the archive key (the batch id for a report)
  bool created = false;
  // The archived document: "" means a letter (urn:zhiping:applicant:{applicant_id}, letter.pdf).
  std::string object_id, path;
  // The bytes archived, as IssueBulkItem hands them to BulkOptions::on_issued: the zip writes them without
  // reading them back (jobs/documents_zip.h). RunBulk drops them before it keeps the item, so a run's result holds
  // no documents. Null: read them from the archive.
  std::shared_ptr<const ArchivedBytes> bytes;
};

// The archive object and logical path of an issued item's document.
std::string IssuedObjectId(const ItemIssued& item);
std::string IssuedPath(const ItemIssued& item);

struct ItemFailed {
  size_t index = 0;
  std::string reason;  // "/applicant/id_number: checksum digit should be X; …"
};

struct BulkProgress {
  size_t done = 0;    // issued or failed
  size_t failed = 0;
  size_t total = 0;
};

// The default worker count per core of RunBulk (BulkOptions::threads 0).
constexpr unsigned kThreadsPerCore = 8;

struct BulkOptions {
  unsigned threads = 0;  // 0: hardware threads × kThreadsPerCore (archive fsyncs wait on the disk, not the CPU)
  std::function<void(const BulkProgress&)> on_progress;  // called after every item, from worker threads, serialised
  std::function<void(const ItemIssued&)> on_issued;      // likewise
  std::function<void(const ItemFailed&)> on_failed;      // likewise
  const std::atomic<bool>* stop = nullptr;               // set: finish items in flight, start no new ones
  size_t first_item = 0;                                 // resume: items before this one are skipped
  issuing::IssueOptions issue;                           // what each issue makes (issue.ofd: the sealed OFD too)
};

struct BulkResult {
  size_t total = 0;
  std::vector<ItemIssued> issued;  // in item order
  std::vector<ItemFailed> failed;  // in item order
  bool stopped = false;            // the stop flag ended the run early
};

BulkResult RunBulk(const issuing::Issuer& issuer, const BulkBody& body, const archive::User& user,
                   const std::string& message, const BulkOptions& options);

// One item of a bulk body issued: its document or why it failed. `error_kind` is the failure's kind (kInternal
// for an exception that was not a zhiping::Error): a job's runner retries kUnavailable (the archive's disk or the
// database, for a while) instead of recording the item as failed. Thread-safe.
struct ItemOutcome {
  bool failed = false;
  ItemIssued issued;
  ItemFailed failure;
  ErrorKind error_kind = ErrorKind::kInternal;
};
ItemOutcome IssueBulkItem(const issuing::Issuer& issuer, const BulkBody& body, size_t index, const archive::User& user,
                          const std::string& message, const issuing::IssueOptions& options);

// The zip of `issued`, written after the run (jobs/documents_zip.h says what it holds; DocumentsZipFeed writes the
// same zip while the run goes on). Reads one document at a time.
std::string OfdPathOf(const std::string& pdf_path);  // "letter.pdf" -> "letter.ofd"
void WriteDocumentsZip(const archive::Store& store, const std::vector<ItemIssued>& issued, std::ostream& out,
                       bool ofd = false);

}  // namespace zhiping::jobs
