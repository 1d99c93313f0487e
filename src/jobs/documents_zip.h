// jobs/documents_zip.h — the zip of a run's documents, and a feed that writes it while the run goes on.
//
// A DocumentsZip appends issued documents, stored, not recompressed (PDFs are compressed already): "{applicant
// id}.pdf" for an applicant's document, its archive path ("report-{committee id}.pdf") for a round's; with `ofd`,
// each one's sealed OFD follows it. The bytes are the ones the run archived when the item carries them
// (ItemIssued::bytes), otherwise read back from the archive. Entries are dated 2000-01-01, so the same
// documents in the same order give the same bytes.
//
// Why a feed: `zhiping bulk letters --zip` used to read every document back after the last one was issued, on one
// thread, while the other core idled: 0.56 s of 3.4 for 1,000 letters. DocumentsZipFeed takes the run's
// callbacks (jobs/bulk_letters.h BulkOptions::on_issued, on_failed) and writes each item's entries on a thread of its
// own as soon as every earlier item has been issued or has failed — item order, exactly the zip written afterwards.
// Items wait with their documents' bytes (reading 1,000 letters back cost 3% of a run's CPU), at most
// kMaxHeldDocuments of them: past that, a waiting item keeps only its names and is read back, so one slow item
// cannot make memory grow with the run.
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
  // The item's document (and its OFD) appended: the bytes it carries, or else those read from the archive.
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

  // Documents held by waiting items at most (~90 KB a letter): a few times a run's threads.
  static constexpr size_t kMaxHeldDocuments = 64;

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
  size_t held_ = 0;                                      // waiting items that hold their document's bytes
  size_t next_;                                          // the item whose entries come next
  bool finishing_ = false, abandoned_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace zhiping::jobs
