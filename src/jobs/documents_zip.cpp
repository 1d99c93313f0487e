#include "jobs/documents_zip.h"

#include <Poco/DateTime.h>
#include <Poco/MemoryStream.h>
#include <Poco/Path.h>

#include <string>
#include <utility>

namespace zhiping::jobs {

DocumentsZip::DocumentsZip(const archive::Store& store, std::ostream& out, bool ofd)
    : store_(store), zip_(out, false), ofd_(ofd) {}

void DocumentsZip::Add(const ItemIssued& item) {
  static const Poco::DateTime kWhen(2000, 1, 1);  // fixed: the same documents give the same zip
  const std::string object = IssuedObjectId(item), path = IssuedPath(item);
  const std::string name = object == archive::ApplicantObjectId(item.applicant_id) ? item.applicant_id + ".pdf" : path;
  // The bytes the run archived when it handed them over; otherwise read back (the archive's own checks apply).
  auto entry = [&](const std::string* held, const std::string& archived_path, const std::string& entry_name) {
    std::string read;
    if (!held) read = store_.Read(object, archived_path, item.version);
    const std::string& bytes = held ? *held : read;
    Poco::MemoryInputStream in(bytes.data(), bytes.size());
    zip_.addFile(in, kWhen, Poco::Path(entry_name), Poco::Zip::ZipCommon::CM_STORE);
  };
  entry(item.bytes ? &item.bytes->document : nullptr, path, name);
  if (ofd_) entry(item.bytes && !item.bytes->ofd.empty() ? &item.bytes->ofd : nullptr, OfdPathOf(path), OfdPathOf(name));
}

void DocumentsZip::Close() { zip_.close(); }

DocumentsZipFeed::DocumentsZipFeed(const archive::Store& store, std::ostream& out, bool ofd, size_t first_index)
    : zip_(store, out, ofd), next_(first_index) {
  thread_ = std::thread([this] { Run(); });
}

DocumentsZipFeed::~DocumentsZipFeed() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    abandoned_ = true;
  }
  ready_.notify_one();
  thread_.join();
}

void DocumentsZipFeed::Issued(const ItemIssued& item) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::optional<ItemIssued>& waiting = waiting_[item.index];
    waiting = item;
    if (held_ < kMaxHeldDocuments) {
      if (item.bytes) ++held_;
    } else {  // an early item is slow and many later ones wait: these are read back from the archive instead
      waiting->bytes.reset();
    }
  }
  ready_.notify_one();
}

void DocumentsZipFeed::Failed(size_t index) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    waiting_[index] = std::nullopt;
  }
  ready_.notify_one();
}

void DocumentsZipFeed::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    ready_.wait(lock, [&] { return abandoned_ || finishing_ || waiting_.count(next_) > 0; });
    if (abandoned_) return;
    auto it = waiting_.find(next_);
    if (it == waiting_.end()) {  // finishing: the items a stopped run never started are skipped
      if (waiting_.empty()) return;
      it = waiting_.begin();
    }
    std::optional<ItemIssued> item = std::move(it->second);
    next_ = it->first + 1;
    waiting_.erase(it);
    if (!item) continue;
    if (item->bytes) --held_;
    lock.unlock();
    try {
      zip_.Add(*item);
    } catch (...) {
      lock.lock();
      error_ = std::current_exception();
      return;
    }
    lock.lock();
  }
}

void DocumentsZipFeed::Finish() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    finishing_ = true;
  }
  ready_.notify_one();
  thread_.join();
  if (error_) std::rethrow_exception(error_);
  zip_.Close();
}

}  // namespace zhiping::jobs
