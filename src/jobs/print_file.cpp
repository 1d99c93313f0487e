#include "jobs/print_file.h"

#include <Poco/JSON/Object.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <exception>
#include <mutex>
#include <thread>

#include "common/error.h"
#include "common/utf8.h"
#include "fonts/font_set.h"
#include "jobs/pdf_merge.h"
#include "layout/document_layout.h"
#include "pdf/pdf_writer.h"

namespace zhiping::jobs {

namespace {

std::u32string U32(const std::string& s) {
  std::u32string out;
  DecodeUtf8(s, &out);
  return out;
}

// The index as a PDF: a title and one table row per entry; `offset` is added to every document's page (the index's
// own pages, padded to even, come first).
std::string IndexPdf(const fonts::FontSet& fonts, const PrintIndex& index, const std::vector<PrintEntry>& entries,
                     const std::vector<int>& starts, int offset, size_t* pages) {
  layout::DocumentSpec spec;
  spec.page_numbers = false;
  spec.title = index.title;
  layout::Block heading;
  heading.kind = layout::BlockKind::kTitle;
  heading.text = U32(index.title);
  spec.blocks.push_back(std::move(heading));
  layout::Block table;
  table.kind = layout::BlockKind::kTable;
  table.table_font_size = 12;
  table.columns = {{U"序号", 0.1, layout::Align::kCenter},
                   {U32(index.first_heading), index.first_width, layout::Align::kCenter},
                   {U32(index.second_heading), 0.72 - index.first_width, layout::Align::kLeft},
                   {U"页码", 0.18, layout::Align::kCenter}};
  table.rows.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    table.rows.push_back({U32(std::to_string(i + 1)), U32(entries[i].name), U32(entries[i].unit),
                          starts[i] ? U32(std::to_string(starts[i] + offset)) : std::u32string(U"未生成")});
  }
  spec.blocks.push_back(std::move(table));
  const layout::LaidOutDocument doc = layout::LayOutDocument(spec, fonts);
  *pages = doc.pages.size();
  return pdf::WritePdf(doc);
}

// The entries' documents, read and opened by kThreads threads, at most kAhead beyond the one the writer waits for,
// handed out in the entries' order.
class DocumentPrefetch {
 public:
  static constexpr size_t kAhead = 8;
  static constexpr unsigned kThreads = 2;

  DocumentPrefetch(const archive::Store& store, const std::vector<PrintEntry>& entries)
      : store_(store), entries_(entries) {
    for (size_t i = 0; i < entries.size(); ++i)
      if (!entries[i].object_id.empty()) order_.push_back(i);
    for (unsigned t = 0; t < kThreads; ++t) threads_.emplace_back([this] { Run(); });
  }
  ~DocumentPrefetch() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    changed_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

  // Entry `index`'s document (entries with a document are asked for in order, each once); rethrows its error.
  PdfMerger::OpenedPtr Next(size_t index) {
    std::unique_lock<std::mutex> lock(mu_);
    const size_t k = given_;
    if (k >= order_.size() || order_[k] != index) throw Error(ErrorKind::kInternal, "打印文件的文档顺序错乱");
    changed_.wait(lock, [&] { return ready_.count(k) > 0; });
    Slot slot = std::move(ready_[k]);
    ready_.erase(k);
    ++given_;
    changed_.notify_all();
    if (slot.error) std::rethrow_exception(slot.error);
    return std::move(slot.opened);
  }

 private:
  struct Slot {
    PdfMerger::OpenedPtr opened;
    std::exception_ptr error;
  };

  void Run() {
    for (;;) {
      size_t k;
      {
        std::unique_lock<std::mutex> lock(mu_);
        changed_.wait(lock, [&] { return stop_ || taken_ < given_ + kAhead; });
        if (stop_ || taken_ >= order_.size()) return;
        k = taken_++;
      }
      const PrintEntry& e = entries_[order_[k]];
      Slot slot;
      try {
        slot.opened = PdfMerger::Open(store_.Read(e.object_id, e.path, e.version),
                                      e.object_id + " " + e.path + " " + e.version);
      } catch (...) {
        slot.error = std::current_exception();  // the writer stops at it
      }
      std::lock_guard<std::mutex> lock(mu_);
      ready_.emplace(k, std::move(slot));
      changed_.notify_all();
    }
  }

  const archive::Store& store_;
  const std::vector<PrintEntry>& entries_;
  std::vector<size_t> order_;  // the entries with a document, in order
  std::mutex mu_;
  std::condition_variable changed_;
  std::map<size_t, Slot> ready_;  // by position in order_
  size_t taken_ = 0, given_ = 0;  // positions in order_: next to open, next to hand out
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace

PrintIndex PrintIndexOf(const BulkKind& kind) {
  PrintIndex index;
  index.title = kind.print_title;
  index.first_heading = kind.first_heading;
  index.second_heading = kind.second_heading;
  // A name is short; a committee's name is the long column.
  index.first_width = index.first_heading == "姓名" ? 0.18 : 0.40;
  return index;
}

PrintSummary WritePrintFile(const archive::Store& store, const fonts::FontSet& fonts, const PrintIndex& print_index,
                            const std::vector<PrintEntry>& entries, std::ostream& out,
                            const std::function<void(size_t done, size_t total)>& on_progress) {
  PrintSummary summary;
  summary.first_pages.assign(entries.size(), 0);
  PdfMerger merger(out);
  // The documents first (their pages counted from 1 after the index), the index last, placed in front: its page
  // numbers are known only once every document's page count is.
  // Reading a document from the archive and parsing it (PdfMerger::Open) is most of the work (~80% of the CPU);
  // two threads do it a few documents ahead of the writer (bounded: memory stays a few documents).
  DocumentPrefetch prefetch(store, entries);
  int next = 1;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (on_progress) on_progress(i, entries.size());
    if (entries[i].object_id.empty()) {
      ++summary.failed;
      continue;
    }
    const int n = merger.Append(prefetch.Next(i));
    summary.first_pages[i] = next;
    next += n;
    if (n % 2) {
      merger.AppendBlank();
      ++summary.blank_pages;
      ++next;
    }
    ++summary.documents;
  }
  if (on_progress) on_progress(entries.size(), entries.size());
  // The index's page count decides the numbers printed on it; a longer number can in turn lengthen the index, so
  // lay it out until the count it was made for is the count it has (once or twice in practice).
  const auto index_start = std::chrono::steady_clock::now();
  size_t index_pages = 0, assumed = 2;
  std::string index;
  for (int round = 0; round < 5; ++round) {
    index = IndexPdf(fonts, print_index, entries, summary.first_pages, static_cast<int>(assumed), &index_pages);
    const size_t padded = index_pages + index_pages % 2;
    if (padded == assumed) break;
    assumed = padded;
  }
  if (index_pages + index_pages % 2 != assumed)
    throw Error(ErrorKind::kInternal, "打印文件的索引页数无法确定");
  merger.Append(index, "index", /*front=*/true);
  if (index_pages % 2) {
    merger.AppendBlank(/*front=*/true);
    ++summary.blank_pages;
  }
  summary.index_pages = index_pages;
  summary.index_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - index_start).count();
  for (int& p : summary.first_pages) p = p ? p + static_cast<int>(assumed) : 0;
  merger.Finish(print_index.title);
  summary.pages = merger.pages();
  return summary;
}

std::vector<PrintEntry> PrintEntries(const BulkBody& body, const std::vector<ItemIssued>& issued) {
  std::vector<PrintEntry> entries(body.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!body.ItemNameAndUnit(i, &entries[i].name, &entries[i].unit)) entries[i].name = "（无法读取）";
  }
  for (const ItemIssued& item : issued) {
    if (item.index >= entries.size()) continue;
    PrintEntry& e = entries[item.index];
    e.object_id = IssuedObjectId(item);
    e.path = IssuedPath(item);
    e.version = item.version;
  }
  return entries;
}

}  // namespace zhiping::jobs
