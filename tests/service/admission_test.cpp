// Admission (service/admission.h): slots are taken and given back, a waiter gets a slot freed during its wait,
// and no waiter waits longer than the bound.
#include "service/admission.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

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

}  // namespace
}  // namespace zhiping::service
