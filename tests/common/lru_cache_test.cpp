// common/lru_cache.h: the least recently used goes first, the budget counts cost, a value dearer than the whole
// budget is not kept, and a value found stays valid after it is dropped.
#include "common/lru_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace zhiping {
namespace {

TEST(common_LruCache, TheLeastRecentlyUsedGoesFirst) {
  LruCache<int> cache(2);
  cache.Keep("a", std::make_shared<int>(1));
  cache.Keep("b", std::make_shared<int>(2));
  ASSERT_NE(cache.Find("a"), nullptr);  // "a" is now the most recently used
  cache.Keep("c", std::make_shared<int>(3));
  EXPECT_EQ(cache.Find("b"), nullptr);
  ASSERT_NE(cache.Find("a"), nullptr);
  EXPECT_EQ(*cache.Find("a"), 1);
  EXPECT_EQ(*cache.Find("c"), 3);
}

TEST(common_LruCache, TheBudgetCountsCostAndTooDearIsNotKept) {
  LruCache<std::string> cache(10, [](const std::string&, const std::string& v) { return v.size(); });
  cache.Keep("x", std::make_shared<std::string>("123456"));
  auto held = cache.Find("x");
  cache.Keep("y", std::make_shared<std::string>("12345"));  // 6 + 5 > 10: "x" goes
  EXPECT_EQ(cache.Find("x"), nullptr);
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(*held, "123456");  // still valid for whoever holds it
  cache.Keep("z", std::make_shared<std::string>("12345678901"));  // dearer than the budget
  EXPECT_EQ(cache.Find("z"), nullptr);
  EXPECT_NE(cache.Find("y"), nullptr);
}

TEST(common_LruCache, TheFirstKeptWinsAndThreadsShareIt) {
  LruCache<int> cache(100);
  cache.Keep("k", std::make_shared<int>(1));
  cache.Keep("k", std::make_shared<int>(2));
  EXPECT_EQ(*cache.Find("k"), 1);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = std::to_string((i * 7 + t) % 300);
        if (!cache.Find(key)) cache.Keep(key, std::make_shared<int>(i));
      }
    });
  for (auto& th : threads) th.join();
  size_t kept = 0;
  for (int i = 0; i < 300; ++i) kept += cache.Find(std::to_string(i)) != nullptr;
  EXPECT_LE(kept, 100u);
  EXPECT_GT(kept, 0u);
}

}  // namespace
}  // namespace zhiping
