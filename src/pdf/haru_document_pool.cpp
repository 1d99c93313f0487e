#include "pdf/haru_document_pool.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "common/error.h"
#include "pdf/haru_copy.h"

namespace zhiping::pdf {

void HaruDocument::OnError(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* self) {
  auto* doc = static_cast<HaruDocument*>(self);
  if (!doc->error_) {
    doc->error_ = error_no;
    doc->detail_ = detail_no;
  }
}

HaruDocument::HaruDocument() {
  // Links pdf/haru_copy.cpp into every program that writes PDFs: its HPDF_MemCpy replaces libharu's byte loop.
  static const bool fast_copies = HaruCopiesWithMemcpy();
  (void)fast_copies;
  doc_ = HPDF_New(OnError, this);
  if (!doc_) throw Error(ErrorKind::kInternal, "libharu: cannot create a document");
}

HaruDocument::~HaruDocument() {
  if (doc_) HPDF_Free(doc_);
}

void HaruDocument::Clear() {
  error_ = 0;
  HPDF_ResetError(doc_);
}

void HaruDocument::Check(const std::string& what) {
  if (!error_) return;
  char buf[64];
  std::snprintf(buf, sizeof buf, "0x%04X (detail %u)", static_cast<unsigned>(error_), static_cast<unsigned>(detail_));
  Clear();
  throw Error(ErrorKind::kInternal, "libharu error " + std::string(buf) + " while " + what);
}

struct HaruDocumentPool::State {
  size_t max = 4;
  size_t created = 0;
  std::vector<std::unique_ptr<HaruDocument>> idle;
  mutable std::mutex mu;
  std::condition_variable freed;
};

HaruDocumentPool& HaruDocumentPool::Shared() {
  static HaruDocumentPool pool(std::max<size_t>(4, 2 * std::thread::hardware_concurrency()));
  return pool;
}

HaruDocumentPool::HaruDocumentPool(size_t max_documents) : state_(std::make_unique<State>()) {
  state_->max = std::max<size_t>(1, max_documents);
}

HaruDocumentPool::~HaruDocumentPool() = default;

HaruDocumentPool::Lease HaruDocumentPool::Acquire() {
  std::unique_lock<std::mutex> lock(state_->mu);
  state_->freed.wait(lock, [&] { return !state_->idle.empty() || state_->created < state_->max; });
  if (!state_->idle.empty()) {
    std::unique_ptr<HaruDocument> doc = std::move(state_->idle.back());
    state_->idle.pop_back();
    return Lease(this, std::move(doc));
  }
  ++state_->created;
  lock.unlock();
  try {
    return Lease(this, std::make_unique<HaruDocument>());
  } catch (...) {
    std::lock_guard<std::mutex> relock(state_->mu);
    --state_->created;
    state_->freed.notify_one();
    throw;
  }
}

void HaruDocumentPool::Return(std::unique_ptr<HaruDocument> doc) {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->idle.push_back(std::move(doc));
  }
  state_->freed.notify_one();
}

size_t HaruDocumentPool::created() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->created;
}

HaruDocumentPool::Lease::~Lease() {
  if (pool_ && doc_) pool_->Return(std::move(doc_));
}

}  // namespace zhiping::pdf
