// pdf/haru_document_pool.h — libharu document handles, reused, and never more of them than a fixed bound.
//
// Why a pool: an HPDF_Doc is cheap to reuse (HPDF_NewDoc/HPDF_FreeDoc keep its memory manager) and wasteful to make
// per document; one per thread (what the writer did before) grew with every HTTP and bulk thread. The page writer
// no longer loads fonts into libharu (pdf_writer.cpp writes the text and the font objects itself), so a handle holds
// only libharu's own buffers; the bound keeps even those flat however many threads write PDFs.
//
// Thread safety: Acquire may be called from any thread; a Lease is used by one thread at a time. Acquire waits when
// every handle is leased. Errors: Acquire throws zhiping::Error kInternal when libharu cannot make a document.
#pragma once

#include <hpdf.h>

#include <memory>
#include <string>

#include "pdf/deflater.h"

namespace zhiping::pdf {

// One libharu document handle with its error state: libharu reports errors through a callback, and a C++ exception
// must not unwind through libharu's frames, so the callback records the first error and Check throws it afterwards.
class HaruDocument {
 public:
  HaruDocument();
  ~HaruDocument();
  HaruDocument(const HaruDocument&) = delete;
  HaruDocument& operator=(const HaruDocument&) = delete;

  HPDF_Doc doc() { return doc_; }
  // The zlib stream the writer compresses this document's streams with (pdf/deflater.h).
  Deflater& deflater() { return deflater_; }
  bool failed() const { return error_ != 0; }
  // Forgets a reported error (libharu reports reaching the end of its own output stream as one).
  void Clear();
  // Throws zhiping::Error kInternal naming `what` if libharu reported an error since the last Check or Clear.
  void Check(const std::string& what);

 private:
  static void OnError(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* self);
  HPDF_Doc doc_ = nullptr;
  Deflater deflater_;
  HPDF_STATUS error_ = 0, detail_ = 0;
};

class HaruDocumentPool {
 public:
  class Lease {
   public:
    ~Lease();
    Lease(Lease&& other) noexcept : pool_(other.pool_), doc_(std::move(other.doc_)) { other.pool_ = nullptr; }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    HaruDocument& operator*() { return *doc_; }
    HaruDocument* operator->() { return doc_.get(); }

   private:
    friend class HaruDocumentPool;
    Lease(HaruDocumentPool* pool, std::unique_ptr<HaruDocument> doc) : pool_(pool), doc_(std::move(doc)) {}
    HaruDocumentPool* pool_;
    std::unique_ptr<HaruDocument> doc_;
  };

  // The process's pool: at most twice the cores' handles (at least 4).
  static HaruDocumentPool& Shared();

  explicit HaruDocumentPool(size_t max_documents);
  ~HaruDocumentPool();
  Lease Acquire();

  size_t created() const;  // handles made so far (≤ the bound): for tests and the benchmark

 private:
  struct State;
  void Return(std::unique_ptr<HaruDocument> doc);
  std::unique_ptr<State> state_;
};

}  // namespace zhiping::pdf
