// Admission (service/admission.h): slots are taken and given back, a waiter gets a slot freed during its wait,
// and no waiter waits longer than the bound.
#include "service/admission.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace zhiping::service {
namespace {

using Clock = std::chrono::steady_clock;

TEST(AdmissionTest, RefusesAfterTheBoundedWaitWhenEverySlotIsTaken) {
  Admission admission(2, std::chrono::milliseconds(100));
  ASSERT_TRUE(admission.Enter());
  ASSERT_TRUE(admission.Enter());
  EXPECT_EQ(admission.busy(), 2);
  const Clock::time_point t = Clock::now();
  EXPECT_FALSE(admission.Enter());
  const auto waited = Clock::now() - t;
  EXPECT_GE(waited, std::chrono::milliseconds(95));
  EXPECT_LT(waited, std::chrono::seconds(10));
  EXPECT_EQ(admission.busy(), 2);  // a refusal takes nothing
  admission.Leave();
  EXPECT_TRUE(admission.Enter());
  admission.Leave();
  admission.Leave();
  EXPECT_EQ(admission.busy(), 0);
}

TEST(AdmissionTest, AWaiterGetsASlotFreedDuringItsWait) {
  Admission admission(1, std::chrono::seconds(30));
  ASSERT_TRUE(admission.Enter());
  std::atomic<bool> admitted{false};
  std::thread waiter([&] {
    admitted = admission.Enter();
    if (admitted) admission.Leave();
  });
  // Free the slot once the waiter is waiting for it.
  const Clock::time_point end = Clock::now() + std::chrono::seconds(30);
  while (admission.waiting() == 0 && Clock::now() < end) std::this_thread::yield();
  EXPECT_EQ(admission.waiting(), 1);
  { AdmissionSlot slot(admission); }  // gives back the slot taken above
  waiter.join();
  EXPECT_TRUE(admitted);
  EXPECT_EQ(admission.busy(), 0);
}

// First come, first served: freed slots go to waiters in the order they came, and a newcomer arriving while others
// wait queues behind them instead of taking the slot (barging doubled the tail latency under load).
TEST(AdmissionTest, WaitersAreAdmittedInArrivalOrderAndNewcomersDoNotBarge) {
  Admission admission(1, std::chrono::seconds(30));
  ASSERT_TRUE(admission.Enter());
  std::mutex mutex;
  std::vector<int> order;
  std::vector<std::thread> waiters;
  std::atomic<bool> checked{false};  // waiter 0 keeps its slot until the test has looked at busy()
  const Clock::time_point end = Clock::now() + std::chrono::seconds(30);
  for (int i = 0; i < 4; ++i) {
    waiters.emplace_back([&, i] {
      if (!admission.Enter()) return;
      {
        std::lock_guard<std::mutex> lock(mutex);
        order.push_back(i);
      }
      while (i == 0 && !checked && Clock::now() < end) std::this_thread::yield();
      admission.Leave();
    });
    // The next waiter starts only once this one is queued, so arrival order is known.
    while (admission.waiting() != i + 1 && Clock::now() < end) std::this_thread::yield();
  }
  ASSERT_EQ(admission.waiting(), 4);
  // Giving back the slot hands it to waiter 0 at once: busy stays 1, so a newcomer has to wait behind the queue.
  admission.Leave();
  EXPECT_EQ(admission.busy(), 1);
  checked = true;
  for (auto& t : waiters) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(admission.busy(), 0);
  EXPECT_EQ(admission.waiting(), 0);
}

TEST(AdmissionTest, AWaiterThatGivesUpLeavesTheQueue) {
  Admission admission(1, std::chrono::milliseconds(50));
  ASSERT_TRUE(admission.Enter());
  EXPECT_FALSE(admission.Enter());  // times out
  EXPECT_EQ(admission.waiting(), 0);
  admission.Leave();  // nobody queued: the slot is free again
  EXPECT_EQ(admission.busy(), 0);
  EXPECT_TRUE(admission.Enter());
  admission.Leave();
}

}  // namespace
}  // namespace zhiping::service
