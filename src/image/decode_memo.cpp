#include "image/decode_memo.h"

#include <list>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace zhiping::image {

namespace {

class Memo {
 public:
  std::shared_ptr<const DecodedImage> Find(const std::string& bytes) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = index_.find(bytes);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);  // most recently used first
    return it->second->second;
  }

  void Keep(const std::string& bytes, std::shared_ptr<const DecodedImage> image) {
    const size_t cost = Cost(bytes, *image);
    if (cost > kMemoBudget) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (index_.count(bytes)) return;
    while (!order_.empty() && used_ + cost > kMemoBudget) {
      used_ -= Cost(order_.back().first, *order_.back().second);
      index_.erase(std::string_view(order_.back().first));
      order_.pop_back();
    }
    order_.emplace_front(bytes, std::move(image));
    index_.emplace(std::string_view(order_.front().first), order_.begin());
    used_ += cost;
  }

 private:
  static size_t Cost(const std::string& bytes, const DecodedImage& img) {
    return bytes.size() + img.pixels.size() + img.jpeg.size();
  }

  using Entry = std::pair<std::string, std::shared_ptr<const DecodedImage>>;
  std::mutex mu_;
  std::list<Entry> order_;
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;  // keys point into order_
  size_t used_ = 0;
};

Memo& TheMemo() {
  static Memo* memo = new Memo;  // never destroyed: threads may still decode while the process exits
  return *memo;
}

}  // namespace

std::shared_ptr<const DecodedImage> DecodeRemembered(const std::string& bytes, std::string* problem) {
  if (auto found = TheMemo().Find(bytes)) {
    problem->clear();
    return found;
  }
  auto image = std::make_shared<DecodedImage>();
  *problem = DecodeImage(bytes, image.get());
  if (!problem->empty()) return nullptr;
  TheMemo().Keep(bytes, image);
  return image;
}

}  // namespace zhiping::image
