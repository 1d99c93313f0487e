// common/lru_cache.h — a small thread-safe cache of immutable values by string key, bounded by a budget of cost
// (bytes, or simply 1 an entry), dropping the least recently used first. For what is made again and again with
// the same result: a photo decoded (image/decode_memo.h), the signature's font (sign/appearance_font.h).
//
// Values are shared_ptr<const V>: a value found stays valid for its holder after it is dropped. Making a value
// happens outside the cache (callers Find, make on a miss, then Keep), so two threads may make the same one at
// once; the first kept wins. A value costing more than the whole budget is not kept. Thread-safe (one mutex).
#pragma once

#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace zhiping {

template <typename V>
class LruCache {
 public:
  using Cost = std::function<size_t(const std::string& key, const V& value)>;
  // `cost` of one entry (default: 1, so `budget` counts entries).
  explicit LruCache(size_t budget, Cost cost = nullptr) : budget_(budget), cost_(std::move(cost)) {}

  std::shared_ptr<const V> Find(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);  // most recently used first
    return it->second->value;
  }

  void Keep(const std::string& key, std::shared_ptr<const V> value) {
    const size_t cost = cost_ ? cost_(key, *value) : 1;
    if (cost > budget_) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (index_.count(key)) return;
    while (!order_.empty() && used_ + cost > budget_) {
      used_ -= order_.back().cost;
      index_.erase(std::string_view(order_.back().key));
      order_.pop_back();
    }
    order_.push_front(Entry{key, std::move(value), cost});
    index_.emplace(std::string_view(order_.front().key), order_.begin());
    used_ += cost;
  }

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const V> value;
    size_t cost;
  };
  const size_t budget_;
  const Cost cost_;
  std::mutex mu_;
  std::list<Entry> order_;
  std::unordered_map<std::string_view, typename std::list<Entry>::iterator> index_;  // keys point into order_
  size_t used_ = 0;
};

}  // namespace zhiping
