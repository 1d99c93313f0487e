// xlsx/row_queue.h — rows handed to the roster writer by another thread, typed and in order.
//
// Why: render validates every applicant of a large roster once (model::RosterValidation, which types it) while the
// writer writes the rows before it; the typed applicant travels on instead of being parsed twice. Rows travel in
// batches (one lock and wake-up per batch, not per row), and read batches travel back so that the producer frees
// what it allocated (no malloc arena shared by the threads). Bounded: the producer waits while `max_batches`
// batches are queued, so memory does not grow with the rows.
//
// Thread safety: one producer thread (Push, Close, WouldWait), one consumer thread (Pop); Cancel and cancelled from
// either.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

namespace zhiping::xlsx {

template <typename Row>
class RowQueue {
 public:
  explicit RowQueue(size_t batch_rows = 64, size_t max_batches = 8)
      : batch_rows_(batch_rows), max_batches_(max_batches) {}

  // Producer. Push returns false (dropping the row) once the queue is cancelled.
  bool Push(Row row) {
    filling_.push_back(std::move(row));
    if (filling_.size() < batch_rows_) return !cancelled();
    return Flush();
  }
  // No more rows (hands over the last, partial batch).
  void Close() {
    if (!filling_.empty() && !Flush()) return;
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    changed_.notify_all();
  }
  // True when the next Push would wait for the consumer (the queue is full): the producer may do other work first.
  bool WouldWait() const {
    if (filling_.size() + 1 < batch_rows_) return false;  // the row would only join the batch being filled
    std::lock_guard<std::mutex> lock(mu_);
    return !cancelled_ && batches_.size() >= max_batches_;
  }
  // Either side: stop. The consumer's Pop then fails, and the producer's Push returns at once.
  void Cancel() {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
    batches_.clear();
    changed_.notify_all();
  }
  bool cancelled() const {
    std::lock_guard<std::mutex> lock(mu_);
    return cancelled_;
  }

  // Consumer: the next row, valid until the next Pop; nullptr when cancelled, or closed and empty.
  const Row* Pop() {
    if (next_ == draining_.size()) {
      next_ = 0;
      std::unique_lock<std::mutex> lock(mu_);
      if (!draining_.empty()) spent_.push_back(std::move(draining_));  // back to the producer, to be freed there
      draining_.clear();
      changed_.wait(lock, [&] { return cancelled_ || closed_ || !batches_.empty(); });
      if (cancelled_ || batches_.empty()) return nullptr;
      draining_ = std::move(batches_.front());
      batches_.pop_front();
      changed_.notify_all();
    } else if (next_ % 16 == 0 && cancelled()) {
      return nullptr;
    }
    return &draining_[next_++];
  }

 private:
  using Batch = std::vector<Row>;

  bool Flush() {  // producer: hands `filling_` over
    std::vector<Batch> spent;
    {
      std::unique_lock<std::mutex> lock(mu_);
      changed_.wait(lock, [&] { return cancelled_ || batches_.size() < max_batches_; });
      spent.swap(spent_);
      if (cancelled_) {
        filling_.clear();
        return false;
      }
      batches_.push_back(std::move(filling_));
      changed_.notify_all();
    }
    filling_ = Batch();
    filling_.reserve(batch_rows_);
    return true;  // `spent` is freed here, outside the lock, by the thread that made it
  }

  const size_t batch_rows_, max_batches_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::deque<Batch> batches_;
  bool closed_ = false, cancelled_ = false;
  std::vector<Batch> spent_;  // read by the consumer, freed by the producer
  Batch filling_;             // producer's side
  Batch draining_;            // consumer's side
  size_t next_ = 0;
};

}  // namespace zhiping::xlsx
