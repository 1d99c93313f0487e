// archive/object_index.h — the object index: object → versions → files, kept beside the archive so listings need
// not read the OCFL inventories, and the archive's objects can be listed without walking the tree.
//
// The archive stays the truth. archive::Store (given an index in StoreOptions) uses it like this:
// - Every indexed object records the sha512 its root inventory's sidecar (`inventory.json.sha512`) states. A read
//   (Store::Versions, Store::Files) reads that sidecar — one small file, not a tree walk — and answers from the
//   index only when the recorded digest equals it and the version after the recorded head does not exist (a crash
//   between installing vN and replacing the root inventory leaves the root one behind). Otherwise (not indexed, an
//   archive from before the index, a version committed by a process without the index, a tampered sidecar) it
//   reads the inventory from disk as without an index and puts what it read into the index.
// - A commit adds its version to the index while the object's lock is still held, after the version is durable.
//   When that fails (the database went away) the version stays stored: the failure is logged and the next read
//   repairs the index by the digest rule.
// - `zhiping archive reindex` (Reindex below) rebuilds the index from every OCFL object in the storage root.
//
// Contract of implementations (archive/database_object_index.h): thread-safe; every call either completes or
// throws zhiping::Error (kUnavailable when the database cannot be reached); each Put/AddVersion/Forget is one
// transaction, so an object's rows are never seen half written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "archive/archive.h"

namespace zhiping::archive {

// One object as the index holds it. `versions` ascending; each version's `files` its whole state (sizes
// included), sorted by logical path (bytewise), each FileEntry::version the version's own name.
struct IndexedObject {
  std::string object_id;
  std::string head;              // "v3"
  std::string inventory_digest;  // what the root inventory's sidecar says (lowercase hex sha512)
  std::vector<VersionEntry> versions;
};
bool operator==(const FileEntry& a, const FileEntry& b);
bool operator==(const VersionEntry& a, const VersionEntry& b);
bool operator==(const IndexedObject& a, const IndexedObject& b);
// Index rows (one for the object, one per version, one per file of each version) in which `a` and `b` differ,
// or that only one of them has: what `reindex` reports as wrong or missing.
size_t DifferingRows(const IndexedObject& a, const IndexedObject& b);
// Rows `o` takes in the index.
size_t RowCount(const IndexedObject& o);

class ObjectIndex {
 public:
  virtual ~ObjectIndex() = default;
  // The objects of `ids` that are indexed, by id (absent: not indexed).
  virtual std::map<std::string, IndexedObject> Find(const std::vector<std::string>& ids) const = 0;
  // Replaces each object's rows, all in one transaction. `only_if_newer`: an object whose recorded head is newer
  // than the given one is left as it is (a reader that read the disk before a commit must not undo the commit's
  // update; the digest rule would repair it, but later).
  virtual void Put(const std::vector<IndexedObject>& objects, bool only_if_newer) = 0;
  // Adds `object.versions.back()` and makes `object`'s head and digest the recorded ones, when the recorded
  // digest is `previous_digest` ("" and nothing recorded for a new object). False, nothing changed, otherwise —
  // the caller then Puts the whole object.
  virtual bool AddVersion(const IndexedObject& object, const std::string& previous_digest) = 0;
  virtual void Forget(const std::vector<std::string>& ids) = 0;
  // Indexed object ids after `after` ("" from the start) in the index's order, at most `limit`.
  virtual std::vector<std::string> List(const std::string& after, size_t limit) const = 0;
};

struct ReindexReport {
  size_t objects = 0;          // OCFL objects found in the storage root and indexed
  size_t versions = 0;         // their versions
  size_t rows_fixed = 0;       // index rows that were wrong or missing (now right)
  size_t objects_fixed = 0;    // objects whose rows were wrong or missing
  size_t objects_removed = 0;  // indexed objects the storage root does not have (their rows removed)
  std::vector<std::string> unreadable;  // object roots (relative) whose inventory could not be read: not indexed
};

// Rebuilds `index` from every OCFL object under `store`'s root (the archive is the truth): objects missing or
// different in the index are written, indexed objects the root lacks are forgotten. Memory stays bounded by
// `batch` objects however large the archive: the tree is walked one directory level at a time and the index is
// compared and written `batch` objects per transaction. Idempotent: a second run finds nothing to fix.
// Throws zhiping::Error kUnavailable when the index cannot be reached.
ReindexReport Reindex(const Store& store, ObjectIndex& index, size_t batch = 256);

}  // namespace zhiping::archive
