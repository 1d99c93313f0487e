// archive/archive.h — the OCFL 1.1 archive: every issued document, with the data that produced it, kept forever.
//
// Contract of this stage: bytes in, bytes out. It knows nothing of PDFs or templates. One OCFL object per archive
// key (applicant or round), storage layout extension 0004 (sha256 of the object id, 3×3 tuples), sha512 digests.
// Writes follow the crash-safety rules of docs/archive.md ("Writing a version"): a version reported as written is on
// disk; a crash at any point leaves the last good version readable. Safe across threads and processes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace zhiping::archive {

// Object ids as fixed by the contract.
std::string ApplicantObjectId(const std::string& applicant_id);  // urn:zhiping:applicant:{id}
std::string BatchObjectId(const std::string& batch_id);          // urn:zhiping:batch:{id}
// Archive keys users type: the one id rule (common/ids.h). Anything else is refused before touching disk.
bool IsValidArchiveKey(const std::string& key);

struct FileInput {
  std::string logical_path;  // "letter.pdf"
  std::string bytes;
  // true: the new version's state no longer has this path (it stays in the versions before; bytes unused). A path
  // the head does not have is no change. Why: a document issued again in fewer forms (letter.pdf without the
  // letter.ofd of an earlier issue) must not keep a form that no longer says what the new body says.
  bool remove = false;
};

struct FileEntry {
  std::string logical_path;
  std::string digest;   // sha512, lowercase hex
  uint64_t size = 0;
  std::string version;  // the version this listing was taken from ("v3")
};

struct User {
  std::string name;     // token name or local user
  std::string address;  // a URI, e.g. "mailto:..." or "urn:zhiping:user:NAME"
};

struct VersionEntry {
  std::string version;  // "v1"
  std::string created;  // RFC 3339
  User user;
  std::string message;
  std::vector<FileEntry> files;
};

// The head of an object as a Commit's skip_if sees it, while the object's lock is held.
struct HeadState {
  std::string version;           // "v3"
  std::vector<FileEntry> files;  // its state
  // A file of this head by logical path, checked like Store::Read (kNotFound when absent). Valid only during the
  // skip_if call.
  std::function<std::string(const std::string& logical_path)> read;
};

struct CommitResult {
  std::string object_id;
  std::string version;   // the head after the call
  bool created = false;  // false: every file was byte-identical to the head, no version was made
  std::vector<FileEntry> files;  // the head state
};

class ObjectLocks;  // archive/object_lock.h
class ObjectIndex;  // archive/object_index.h

// What a Store shares with the other instances of a deployment (docs/archive.md, "Several instances").
struct StoreOptions {
  // Taken for every commit before the object's flock and released after it. nullptr: flock alone.
  std::shared_ptr<ObjectLocks> locks;
  // Kept up to date by every commit and consulted by Versions/Files under the digest rule of object_index.h.
  // nullptr: every read reads the object's inventory.
  std::shared_ptr<ObjectIndex> index;
  // Told of index failures that lose nothing (the version is stored; the next read repairs the index).
  // nullptr: one line on stderr.
  std::function<void(const std::string& line)> log;
};

class Store {
 public:
  // Opens (creating if needed) a storage root, removes workspace leftovers and repairs root inventories.
  explicit Store(std::string root);
  Store(std::string root, StoreOptions options);

  // New version of `object_id` whose state is the head state with `files` added or replaced (or removed: remove).
  // kInvalidInput (one Problem per path) for an empty `files` or a logical path that is not valid OCFL (leading or
  // trailing /, empty, . or .. segments), repeated, or both a file and a directory. Identical to the head: no
  // version, created == false. Blocks while another thread or process writes the same object. An empty user.name
  // is recorded as "zhiping"; an empty address is left out.
  //
  // `skip_if`, when given and the object exists, is called once with its head while the object's lock is held (so
  // no other thread or process can commit to the object between the call and the decision): returning true makes
  // no version (created == false, the head state returned). It must not commit to the same object (the lock is not
  // re-entrant: flock belongs to an open file description) and should be quick; it may read this or any store.
  //
  // A full disk (ENOSPC, EDQUOT) or a failed write (EIO) throws kUnavailable, "the archive's disk is full (…);
  // nothing was stored": the workspace entry is removed at once and the object keeps its last good version. Error
  // messages of this class name files relative to the storage root, never by the root's own path.
  CommitResult Commit(const std::string& object_id, const std::vector<FileInput>& files, const User& user,
                      const std::string& message, const std::function<bool(const HeadState&)>& skip_if = nullptr);

  bool Exists(const std::string& object_id) const;
  // Throw zhiping::Error kNotFound for an unknown object / version / path.
  // Reads never leave the object root: an inventory naming a content path that breaks the OCFL path rules (E099,
  // E100: leading /, ., .. or empty segments), or a content file reached through a symbolic link, is kInternal for
  // that object ("… is damaged …", no file system path) and no byte of anything outside is served.
  std::vector<VersionEntry> Versions(const std::string& object_id) const;
  std::vector<FileEntry> Files(const std::string& object_id, const std::string& version = "") const;
  std::string Read(const std::string& object_id, const std::string& logical_path,
                   const std::string& version = "") const;

  const std::string& root() const { return root_; }
  std::string ObjectRoot(const std::string& object_id) const;

 private:
  CommitResult CommitChecked(const std::string& object_id, const std::vector<FileInput>& files, const User& user,
                             const std::string& message, const std::function<bool(const HeadState&)>& skip_if);
  // Versions from the index when it is current for the object (object_index.h), else from disk (refreshing it).
  std::vector<VersionEntry> IndexedVersions(const std::string& object_id) const;
  void IndexCommit(const std::string& object_id, const std::string& previous_digest,
                   const std::string& new_digest, const std::string& head, const VersionEntry& added) const;
  void Log(const std::string& line) const;

  std::string root_;
  StoreOptions options_;
};

// Verification with OCFL error/warning codes (E0xx / W0xx).
struct VerifyIssue {
  std::string code;     // "E092"
  std::string message;  // what and where, e.g. "v1/content/letter.pdf: sha512 mismatch"
  bool error = true;    // false for warnings
};

struct VerifyReport {
  std::string object_root;
  std::string object_id;
  std::vector<VerifyIssue> issues;
  bool valid() const {
    for (const auto& i : issues)
      if (i.error) return false;
    return true;
  }
};

VerifyReport VerifyObject(const std::string& object_root);
// Every object in the storage root (or only `object_ids`), plus the root's own declaration and layout.
// The first report is the storage root's (object_id ""); an id with no object gets a report with E063.
std::vector<VerifyReport> VerifyStore(const std::string& root, const std::vector<std::string>& object_ids = {});

}  // namespace zhiping::archive
