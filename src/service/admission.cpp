#include "service/admission.h"

namespace zhiping::service {

Admission::Admission(int slots, std::chrono::milliseconds max_wait)
    : slots_(slots > 0 ? slots : 1), max_wait_(max_wait) {}

bool Admission::Enter() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (busy_ < slots_ && queue_.empty()) {
    ++busy_;
    return true;
  }
  Waiter me;
  auto place = queue_.insert(queue_.end(), &me);
  if (me.cv.wait_for(lock, max_wait_, [&me] { return me.admitted; })) return true;  // the slot was handed over
  queue_.erase(place);  // not admitted, so Leave() has not taken it out of the queue
  return false;
}

void Admission::Leave() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (queue_.empty()) {
    --busy_;
    return;
  }
  // Hand the slot straight to the longest waiter: busy_ stays, so no newcomer can take it in between.
  Waiter* next = queue_.front();
  queue_.pop_front();
  next->admitted = true;
  next->cv.notify_one();
}

int Admission::busy() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return busy_;
}

int Admission::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(queue_.size());
}

}  // namespace zhiping::service
