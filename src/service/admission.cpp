#include "service/admission.h"

namespace zhiping::service {

Admission::Admission(int slots, std::chrono::milliseconds max_wait)
    : slots_(slots > 0 ? slots : 1), max_wait_(max_wait) {}

bool Admission::Enter() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (busy_ < slots_) {
    ++busy_;
    return true;
  }
  ++waiting_;
  const bool admitted = freed_.wait_for(lock, max_wait_, [this] { return busy_ < slots_; });
  --waiting_;
  if (admitted) ++busy_;
  return admitted;
}

void Admission::Leave() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --busy_;
  }
  freed_.notify_one();
}

int Admission::busy() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return busy_;
}

int Admission::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiting_;
}

}  // namespace zhiping::service
