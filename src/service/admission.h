// service/admission.h — how many heavy requests (render, issue, jobs) are at work at once, and how long one may
// wait for its turn.
//
// Connection threads are many and cheap (server.threads); the CPU is not. Heavy work therefore goes through this
// counting semaphore of server.max_busy slots: a request waits at most server.queue_wait_ms for a slot and is
// then refused (the dispatcher answers 429 with Retry-After). So under overload the requests that are admitted
// keep a bounded latency (their wait plus their own work) and the rest learn at once to come back later, instead
// of every request queueing behind every other one.
//
// Thread safety: every method may be called from any thread. Waiters are admitted first come, first served: a
// freed slot is handed to the longest waiter, and a newcomer never overtakes the queue. (An unordered wake-up let
// newcomers barge past waiters, which doubled the 99th-percentile latency at 16 connections.)
#pragma once

#include <chrono>
#include <condition_variable>
#include <list>
#include <mutex>

namespace zhiping::service {

class Admission {
 public:
  Admission(int slots, std::chrono::milliseconds max_wait);

  // Takes a slot, waiting up to max_wait for one; false when none came free (nothing taken).
  bool Enter();
  void Leave();  // gives back a slot taken by Enter()

  int slots() const { return slots_; }
  int busy() const;
  int waiting() const;

 private:
  const int slots_;
  const std::chrono::milliseconds max_wait_;
  struct Waiter {
    bool admitted = false;  // set by Leave() when it hands this waiter its slot
    std::condition_variable cv;
  };

  mutable std::mutex mutex_;
  std::list<Waiter*> queue_;  // oldest first; each Waiter lives on its Enter() call's stack
  int busy_ = 0;
};

// A slot held for a scope.
class AdmissionSlot {
 public:
  explicit AdmissionSlot(Admission& admission) : admission_(admission) {}
  ~AdmissionSlot() { admission_.Leave(); }
  AdmissionSlot(const AdmissionSlot&) = delete;
  AdmissionSlot& operator=(const AdmissionSlot&) = delete;

 private:
  Admission& admission_;
};

}  // namespace zhiping::service
