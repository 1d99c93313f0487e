// jobs/documents_zip.h — the zip of a run's documents, and a feed that writes it while the run goes on.
//
// A DocumentsZip appends issued documents read back from the archive, stored, not recompressed (PDFs are
// compressed already): "{applicant id}.pdf" for an applicant's document, its archive path ("report-{committee
// id}.pdf") for a round's; with `ofd`, each one's sealed OFD follows it. Entries are dated 2000-01-01, so the same
// documents in the same order give the same bytes. One document is held at a time.
//
// Why a feed: `zhiping bulk letters --zip` used to read every document back after the last one was issued, on one
// thread, while the other core idled: 0.56 s of 3.4 for 1,000 letters. DocumentsZipFeed takes the run's
// callbacks (jobs/bulk_letters.h BulkOptions::on_issued, on_failed) and writes each item's entries on a thread of its
// own as soon as every earlier item has been issued or has failed — item order, exactly the zip written afterwards.
// Only the items' names wait in memory, never their documents.
//
// Thread safety: DocumentsZip is used by one thread at a time. DocumentsZipFeed's Issued and Failed may be called
// from any thread; Finish from the one that made it. Errors: the archive's or the stream's, as zhiping::Error or
// std::exception, from Add and Close, and from Finish for whatever the feed's thread met (it stops at the first).
#pragma once

#include <Poco/Zip/Compress.h>

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <thread>

#include "archive/archive.h"
#include "jobs/bulk_letters.h"

namespace zhiping::jobs {

class DocumentsZip {
 public:
  // Borrows `store` and `out`, which must outlive it.
  DocumentsZip(const archive::Store& store, std::ostream& out, bool ofd);
  // The item's document (and its OFD), read from the archive and appended.
  void Add(const ItemIssued& item);
  // Writes the central directory; nothing may be added afterwards.
  void Close();

 private:
  const archive::Store& store_;
  Poco::Zip::Compress zip_;
  bool ofd_;
};

class DocumentsZipFeed {
 public:
  // Items are expected from `first_index` on (BulkOptions::first_item).
  DocumentsZipFeed(const archive::Store& store, std::ostream& out, bool ofd, size_t first_index = 0);
  // Without Finish (the run threw): stops the thread; the zip is left unfinished for the caller to discard.
  ~DocumentsZipFeed();
  DocumentsZipFeed(const DocumentsZipFeed&) = delete;
  DocumentsZipFeed& operator=(const DocumentsZipFeed&) = delete;

  void Issued(const ItemIssued& item);
  void Failed(size_t index);
  // No more items will come (a stopped run may have left some out: skipped). Writes what is left in item order,
  // closes the zip, and rethrows the first error the feed's thread met.
  void Finish();

 private:
  void Run();

  DocumentsZip zip_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::map<size_t, std::optional<ItemIssued>> waiting_;  // by index; nullopt: the item failed
  size_t next_;                                          // the item whose entries come next
  bool finishing_ = false, abandoned_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace zhiping::jobs
