// Reindex and the row arithmetic of object_index.h.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "archive/fs_util.h"
#include "archive/object_index.h"
#include "archive/store_internal.h"
#include "common/error.h"

namespace zhiping::archive {

bool operator==(const FileEntry& a, const FileEntry& b) {
  return std::tie(a.logical_path, a.digest, a.size, a.version) == std::tie(b.logical_path, b.digest, b.size, b.version);
}

bool operator==(const VersionEntry& a, const VersionEntry& b) {
  return std::tie(a.version, a.created, a.user.name, a.user.address, a.message, a.files) ==
         std::tie(b.version, b.created, b.user.name, b.user.address, b.message, b.files);
}

bool operator==(const IndexedObject& a, const IndexedObject& b) {
  return std::tie(a.object_id, a.head, a.inventory_digest, a.versions) ==
         std::tie(b.object_id, b.head, b.inventory_digest, b.versions);
}

size_t RowCount(const IndexedObject& o) {
  size_t rows = 1;
  for (const auto& v : o.versions) rows += 1 + v.files.size();
  return rows;
}

namespace {

// A version's own row, without its files.
bool SameVersionRow(const VersionEntry& a, const VersionEntry& b) {
  return std::tie(a.version, a.created, a.user.name, a.user.address, a.message) ==
         std::tie(b.version, b.created, b.user.name, b.user.address, b.message);
}

size_t DifferingFiles(const std::vector<FileEntry>& a, const std::vector<FileEntry>& b) {
  std::map<std::string, const FileEntry*> by_path;
  for (const auto& f : b) by_path[f.logical_path] = &f;
  size_t rows = 0;
  for (const auto& f : a) {
    auto it = by_path.find(f.logical_path);
    if (it == by_path.end()) {
      ++rows;
      continue;
    }
    if (!(f == *it->second)) ++rows;
    by_path.erase(it);
  }
  return rows + by_path.size();
}

}  // namespace

size_t DifferingRows(const IndexedObject& a, const IndexedObject& b) {
  size_t rows = std::tie(a.object_id, a.head, a.inventory_digest) ==
                        std::tie(b.object_id, b.head, b.inventory_digest)
                    ? 0
                    : 1;
  std::map<std::string, const VersionEntry*> by_name;
  for (const auto& v : b.versions) by_name[v.version] = &v;
  for (const auto& v : a.versions) {
    auto it = by_name.find(v.version);
    if (it == by_name.end()) {
      rows += 1 + v.files.size();
      continue;
    }
    rows += (SameVersionRow(v, *it->second) ? 0 : 1) + DifferingFiles(v.files, it->second->files);
    by_name.erase(it);
  }
  for (const auto& [name, v] : by_name) rows += 1 + v->files.size();
  return rows;
}

namespace {

bool IsHexName(const std::string& name, size_t size) {
  if (name.size() != size) return false;
  for (char c : name)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// Compares `batch` (read from disk) with the index and writes what differs, in one transaction.
void Settle(ObjectIndex& index, std::vector<IndexedObject>* batch, ReindexReport* report) {
  if (batch->empty()) return;
  std::vector<std::string> ids;
  for (const auto& o : *batch) ids.push_back(o.object_id);
  std::map<std::string, IndexedObject> recorded = index.Find(ids);
  std::vector<IndexedObject> changed;
  for (auto& o : *batch) {
    auto it = recorded.find(o.object_id);
    size_t wrong = it == recorded.end() ? RowCount(o) : DifferingRows(o, it->second);
    if (wrong == 0) continue;
    report->rows_fixed += wrong;
    ++report->objects_fixed;
    changed.push_back(std::move(o));
  }
  // Forced (not only_if_newer): a tampered head must not make the index keep its rows.
  if (!changed.empty()) index.Put(changed, /*only_if_newer=*/false);
  batch->clear();
}

}  // namespace

ReindexReport Reindex(const Store& store, ObjectIndex& index, size_t batch_size) {
  ReindexReport report;
  const std::string& root = store.root();
  std::vector<IndexedObject> batch;
  // Extension 0004: <3 hex>/<3 hex>/<3 hex>/<64 hex>. One directory's listing at a time (at most 4096 names).
  for (const auto& t1 : fs::List(root)) {
    if (!t1.is_dir || !IsHexName(t1.name, 3)) continue;
    for (const auto& t2 : fs::List(fs::Join(root, t1.name))) {
      if (!t2.is_dir || !IsHexName(t2.name, 3)) continue;
      const std::string p2 = t1.name + "/" + t2.name;
      for (const auto& t3 : fs::List(fs::Join(root, p2))) {
        if (!t3.is_dir || !IsHexName(t3.name, 3)) continue;
        const std::string p3 = p2 + "/" + t3.name;
        for (const auto& o : fs::List(fs::Join(root, p3))) {
          if (!o.is_dir || !IsHexName(o.name, 64)) continue;
          const std::string rel = p3 + "/" + o.name;
          try {
            batch.push_back(ReadIndexRecord(root, rel));
          } catch (const Error& e) {
            if (e.kind() == ErrorKind::kUnavailable) throw;
            report.unreadable.push_back(rel);
            continue;
          }
          ++report.objects;
          report.versions += batch.back().versions.size();
          if (batch.size() >= batch_size) Settle(index, &batch, &report);
        }
      }
    }
  }
  Settle(index, &batch, &report);
  // Indexed objects the storage root lacks (removed by hand, or an index filled from another archive).
  std::string after;
  for (;;) {
    std::vector<std::string> ids = index.List(after, batch_size);
    if (ids.empty()) break;
    after = ids.back();
    std::vector<std::string> gone;
    for (const auto& id : ids)
      if (!store.Exists(id)) gone.push_back(id);
    if (gone.empty()) continue;
    for (const auto& [id, o] : index.Find(gone)) report.rows_fixed += RowCount(o);
    report.objects_removed += gone.size();
    index.Forget(gone);
  }
  return report;
}

}  // namespace zhiping::archive
