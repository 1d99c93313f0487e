// The writer and the readers of archive.h. The numbered steps are those of docs/archive.md ("Writing a version
// (crash safety)"), which explains why each one is there.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "archive/archive.h"
#include "archive/digest.h"
#include "archive/fs_util.h"
#include "archive/inventory.h"
#include "archive/object_index.h"
#include "archive/object_lock.h"
#include "archive/staged_sync.h"
#include "archive/store_internal.h"
#include "common/durable_file.h"
#include "common/error.h"
#include "common/ids.h"
#include "common/utf8.h"

namespace zhiping::archive {

void (*g_commit_step_hook)(const char* step) = nullptr;

namespace {

constexpr char kObjectDeclaration[] = "0=ocfl_object_1.1";
constexpr char kRootDeclaration[] = "0=ocfl_1.1";

void Step(const char* name) {
  if (g_commit_step_hook != nullptr) g_commit_step_hook(name);
}

std::string NowRfc3339() {
  time_t now = ::time(nullptr);
  struct tm tm;
  ::gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool IsHex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// Writes `bytes` to a fresh temp file in `tmp_dir` and renames it over `target`: readers see old or new, never half.
void ReplaceFile(const std::string& tmp_dir, const std::string& prefix, const std::string& target,
                 const std::string& bytes) {
  std::string tmp = fs::Join(tmp_dir, prefix + "." + UniqueTempSuffix());
  fs::WriteFileDurable(tmp, bytes);
  fs::Rename(tmp, target);
}

std::string NewestVersionDir(const std::string& object_root) {
  std::string best;
  int best_n = 0;
  for (const auto& e : fs::List(object_root)) {
    int n = VersionNumber(e.name);
    if (e.is_dir && n > best_n) {
      best_n = n;
      best = e.name;
    }
  }
  return best;
}

std::string SidecarName(const std::string& dir) {
  if (fs::IsFile(fs::Join(dir, "inventory.json.sha512"))) return "inventory.json.sha512";
  for (const auto& e : fs::List(dir))
    if (e.is_file && e.name.rfind("inventory.json.", 0) == 0) return e.name;
  return "inventory.json.sha512";
}

// True when `dir` has an inventory whose sidecar states its digest.
bool SidecarMatches(const std::string& dir, const std::string& inventory_bytes) {
  std::string name = SidecarName(dir);
  std::string algorithm = name.substr(std::string("inventory.json.").size());
  if (!IsSupportedDigest(algorithm) || !fs::IsFile(fs::Join(dir, name))) return false;
  std::string stated = SidecarDigest(fs::Read(fs::Join(dir, name)));
  return !stated.empty() && ToLower(stated) == HexDigest(algorithm, inventory_bytes);
}

// Where an object's files are read from: below the storage root (opened as configured), along the object's path
// from extension 0004, every segment opened without following a link (fs::OpenBeneath).
struct ObjectFiles {
  std::string root;  // the storage root
  std::string rel;   // "3c0/ff4/240/3c0ff424…"
  std::string id;
  ObjectFiles(const std::string& storage_root, const std::string& object_id)
      : root(storage_root), rel(ObjectPathFromHash(ObjectHash(object_id))), id(object_id) {}
  std::string Content(const std::string& content_path) const { return rel + "/" + content_path; }
  std::string Absolute() const { return fs::Join(root, rel); }
  [[noreturn]] void Damaged(const std::string& why) const {
    throw Error(ErrorKind::kInternal, "archive object " + id + " is damaged: " + why + "; nothing of it is served");
  }
};

// The inventory readers and the writer believe, refused whole when a content path could name anything outside
// the object root: the rule is the verifier's (E099/E100, CheckPathRules), checked before any path is opened.
void CheckContentPaths(const Inventory& inv, const ObjectFiles& object) {
  for (const auto& [digest, paths] : inv.manifest)
    for (const std::string& path : paths)
      if (CheckPathRules(path) != PathFault::kNone)
        object.Damaged("its inventory names a content path outside the object root (OCFL E099/E100)");
}

Inventory LoadChecked(const ObjectFiles& object, std::string* digest = nullptr) {
  Inventory inv = LoadCurrentInventory(object.Absolute(), digest);
  CheckContentPaths(inv, object);
  return inv;
}

std::vector<FileEntry> ListState(const Inventory& inv, const InventoryVersion& v, const ObjectFiles& object) {
  std::vector<FileEntry> out;
  for (const auto& [path, digest] : StateByPath(v.state)) {
    FileEntry f;
    f.logical_path = path;
    f.digest = digest;
    f.version = v.name;
    auto it = inv.manifest.find(digest);
    // A missing content file lists as size 0 (verification reports it); a link is never followed, not even to stat.
    if (it != inv.manifest.end() && !it->second.empty() &&
        !fs::FileSizeBeneath(object.root, object.Content(it->second.front()), &f.size) && errno != ENOENT)
      object.Damaged("a content file of " + v.name + " is a symbolic link or not a regular file");
    out.push_back(f);
  }
  return out;
}

// `logical_path` of version `v`: only bytes that still match their digest are served; a damaged copy is an error,
// never a silent wrong document.
std::string ReadState(const Inventory& inv, const InventoryVersion& v, const std::string& logical_path,
                      const ObjectFiles& object) {
  auto state = StateByPath(v.state);
  auto it = state.find(logical_path);
  if (it == state.end())
    throw Error(ErrorKind::kNotFound, "object " + object.id + " " + v.name + " has no file " + logical_path);
  auto m = inv.manifest.find(it->second);
  if (m == inv.manifest.end())
    throw Error(ErrorKind::kInternal, "object " + object.id + ": digest of " + logical_path + " not in manifest");
  for (const auto& content_path : m->second) {
    std::string bytes;
    try {
      bytes = fs::ReadBeneath(object.root, object.Content(content_path));
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::kNotFound) continue;  // another copy may be there
      object.Damaged("a content file of " + v.name + " is a symbolic link or cannot be read");
    }
    if (HexDigest(inv.digest_algorithm, bytes) == ToLower(it->second)) return bytes;
  }
  throw Error(ErrorKind::kInternal,
              "object " + object.id + ": stored " + logical_path + " (" + v.name + ") fails its fixity check");
}

// Runs `fn`; a zhiping::Error it throws is rethrown with every mention of the storage root cut from its message,
// so paths reach clients relative to the root ("3c0/ff4/…/v2/content/letter.pdf"), never the server's own.
template <class Fn>
auto RootRelativeErrors(const std::string& root, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Error& e) {
    std::string message = e.what();
    const std::string prefix = root == "/" ? root : root + "/";
    // Only where a path starts (message start, after a space, '(' or a quote), so "arch/" is not cut from "search/".
    for (size_t at = message.find(prefix); at != std::string::npos; at = message.find(prefix, at + 1)) {
      if (at == 0 || std::strchr(" (\"'", message[at - 1]) != nullptr) message.erase(at, prefix.size());
    }
    throw Error(e.kind(), message, e.problems());
  }
}

const InventoryVersion& FindVersion(const Inventory& inv, const std::string& version, const std::string& id) {
  const InventoryVersion* v = inv.Find(version.empty() ? inv.head : version);
  if (v == nullptr) throw Error(ErrorKind::kNotFound, "object " + id + " has no version " + version);
  return *v;
}

// Logical paths may not be both a file and a directory: "a" and "a/b" in one state is refused.
void CheckNoConflicts(const std::map<std::string, std::string>& state) {
  std::string previous;
  for (const auto& [path, digest] : state) {
    if (!previous.empty() && path.size() > previous.size() && path.compare(0, previous.size(), previous) == 0 &&
        path[previous.size()] == '/')
      ThrowInvalid("/files", "logical path " + path + " conflicts with file " + previous);
    previous = path;
  }
}

struct Workspace {
  std::string dir;      // <root>/extensions/zhiping-workspace
  std::string tmp;      // dir/tmp: one entry per update in flight, named "<object hash>.<unique>"
  std::string locks;    // dir/locks: "<object hash>.lock", never deleted (deleting a lock file races)
  explicit Workspace(const std::string& root)
      : dir(fs::Join(root, kWorkspaceDir)), tmp(fs::Join(dir, "tmp")), locks(fs::Join(dir, "locks")) {}
  std::string LockFile(const std::string& hash) const { return fs::Join(locks, hash + ".lock"); }
};

// With the object's lock held: drops the object's dead workspace entries and makes the root inventory equal to the
// newest vN/inventory.json (a crash may have happened after installing vN and before replacing the root inventory).
void RepairLocked(const std::string& root, const Workspace& ws, const std::string& hash) {
  for (const auto& e : fs::List(ws.tmp))
    if (e.name.rfind(hash + ".", 0) == 0) fs::RemoveTree(fs::Join(ws.tmp, e.name));
  std::string object_root = fs::Join(root, ObjectPathFromHash(hash));
  if (!fs::IsDir(object_root)) {
    // New objects appear whole (InstallNewObject), but a crash in an earlier zhiping build could leave a store
    // with empty tuple directories; rmdir refuses non-empty ones, so shared directories stay.
    std::string dir = fs::Dirname(object_root);
    for (int level = 0; level < 3; ++level, dir = fs::Dirname(dir))
      if (::rmdir(dir.c_str()) != 0 && errno != ENOENT) break;  // a crash in MakeDirs leaves only upper levels
    return;
  }
  std::string newest = NewestVersionDir(object_root);
  if (newest.empty()) return;
  std::string vdir = fs::Join(object_root, newest);
  if (!fs::IsFile(fs::Join(vdir, "inventory.json"))) return;
  std::string sidecar = SidecarName(vdir);
  std::string v_inventory = fs::Read(fs::Join(vdir, "inventory.json"));
  std::string v_sidecar = fs::Read(fs::Join(vdir, sidecar));
  std::string root_inventory = fs::IsFile(fs::Join(object_root, "inventory.json"))
                                   ? fs::Read(fs::Join(object_root, "inventory.json"))
                                   : std::string();
  std::string root_sidecar = fs::IsFile(fs::Join(object_root, sidecar))
                                 ? fs::Read(fs::Join(object_root, sidecar))
                                 : std::string();
  if (root_inventory == v_inventory && root_sidecar == v_sidecar) return;
  ReplaceFile(ws.tmp, hash, fs::Join(object_root, "inventory.json"), v_inventory);
  ReplaceFile(ws.tmp, hash, fs::Join(object_root, sidecar), v_sidecar);
  fs::SyncDir(object_root);
}

// What one workspace entry stages: directories made without fsync, and files written without fsync. Nothing there is
// visible until one rename publishes it, so all of them are made durable together just before that rename
// (SyncAll, archive/staged_sync.h): the names of the files and the directories that hold them are then durable
// with the files' bytes. Syncing at every step, as an early build did, bought nothing and cost twice the fsyncs;
// syncing together lets a lone commit issue them at once.
class Staged {
 public:
  explicit Staged(std::string work) : work_(std::move(work)) {}
  void MakeDir(const std::string& dir) {
    fs::MakeDirs(dir, /*sync=*/false);
    for (std::string d = dir; d.size() > work_.size(); d = fs::Dirname(d)) dirs_.insert(d);
  }
  void WriteFile(const std::string& path, const std::string& bytes) {
    fs::WriteFileStaged(path, bytes);
    files_.push_back(path);
  }
  void SyncAll() const {
    std::vector<StagedPath> paths;
    for (const std::string& f : files_) paths.push_back({f, false});
    for (const std::string& d : dirs_) paths.push_back({d, true});
    SyncStaged(paths);
  }

 private:
  std::string work_;
  std::vector<std::string> files_;
  std::set<std::string> dirs_;
};

// A new object's place: the four levels of its path (<t1>/<t2>/<t3>/<hash>), and how many of the upper ones the
// storage root already has. The object is built under the workspace entry `work` as a mirror of only the missing
// levels (few directories to make: this runs for every letter of a bulk job).
struct NewObjectPlace {
  std::vector<std::string> levels;  // t1, t2, t3, hash
  size_t existing = 0;              // levels[0..existing) are directories in the root

  NewObjectPlace(const std::string& root, const std::string& hash) {
    const std::string rel = ObjectPathFromHash(hash);
    for (size_t start = 0; start <= rel.size();) {
      size_t end = rel.find('/', start);
      if (end == std::string::npos) end = rel.size();
      levels.push_back(rel.substr(start, end - start));
      start = end + 1;
    }
    while (existing + 1 < levels.size() && fs::IsDir(fs::Join(root, Path(0, existing + 1)))) ++existing;
  }
  // levels[from..to) joined with '/'.
  std::string Path(size_t from, size_t to) const {
    std::string path;
    for (size_t i = from; i < to; ++i) path += (path.empty() ? "" : "/") + levels[i];
    return path;
  }
  // Where the object root is built under `work`.
  std::string BuildDir(const std::string& work) const { return fs::Join(work, Path(existing, levels.size())); }
};

// Moves a new object built under `work` (see NewObjectPlace) into `root` by renaming its topmost directory that the
// root lacks: the whole branch appears at once, so a crash at any moment leaves either no trace in the hierarchy or
// the complete object, never an empty tuple directory (E073). A writer that creates the same tuple directory first
// makes our rename fail with EEXIST; we then go one level deeper. Returns the installed path, or "" when the object
// root itself already exists.
std::string InstallNewObject(const std::string& root, const std::string& work, const NewObjectPlace& place) {
  size_t level = place.existing;  // levels[level] is the topmost one to move
  for (int attempt = 0; attempt < 16; ++attempt) {
    const std::string target = fs::Join(root, place.Path(0, level + 1));
    if (fs::RenameNoReplace(fs::Join(work, place.Path(place.existing, level + 1)), target)) return target;
    if (errno == EEXIST || errno == ENOTEMPTY) {
      if (level + 1 == place.levels.size()) return "";  // the object root exists
      ++level;                                          // another writer made this level: go in one deeper
    } else if (errno == ENOENT && level > 0) {
      // A level above vanished (recovery removing an empty directory left by an old build): make it again.
      fs::MakeDirs(fs::Join(root, place.Path(0, level)));
    } else {
      fs::ThrowErrno("cannot move new object into", target, errno);
    }
  }
  return "";
}

void EnsureFile(const std::string& root, const std::string& name, const std::string& bytes) {
  std::string path = fs::Join(root, name);
  if (fs::IsFile(path) && fs::Read(path) == bytes) return;
  ReplaceFile(root, ".zhiping-init", path, bytes);
}

}  // namespace

std::string ObjectHash(const std::string& object_id) { return HexDigest("sha256", object_id); }

std::string ObjectPathFromHash(const std::string& hash) {
  return hash.substr(0, 3) + "/" + hash.substr(3, 3) + "/" + hash.substr(6, 3) + "/" + hash;
}

PathFault CheckPathRules(const std::string& path) {
  if (path.empty() || path.front() == '/' || path.back() == '/') return PathFault::kEdgeSlash;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return PathFault::kBadSegment;
    start = end + 1;
  }
  return PathFault::kNone;
}

bool IsValidLogicalPath(const std::string& path) {
  std::u32string decoded;
  return CheckPathRules(path) == PathFault::kNone && path.find('\0') == std::string::npos &&
         DecodeUtf8(path, &decoded);
}

bool IsRfc3339(const std::string& t) {
  auto digits = [&](size_t pos, size_t n) {
    if (pos + n > t.size()) return false;
    for (size_t i = pos; i < pos + n; ++i)
      if (t[i] < '0' || t[i] > '9') return false;
    return true;
  };
  if (!digits(0, 4) || t.size() < 20 || t[4] != '-' || !digits(5, 2) || t[7] != '-' || !digits(8, 2) ||
      (t[10] != 'T' && t[10] != 't') || !digits(11, 2) || t[13] != ':' || !digits(14, 2) || t[16] != ':' ||
      !digits(17, 2))
    return false;
  size_t pos = 19;
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') ++pos;
    if (pos == start) return false;
  }
  if (pos < t.size() && (t[pos] == 'Z' || t[pos] == 'z')) return pos + 1 == t.size();
  return pos + 6 == t.size() && (t[pos] == '+' || t[pos] == '-') && digits(pos + 1, 2) && t[pos + 3] == ':' &&
         digits(pos + 4, 2);
}

Inventory LoadCurrentInventory(const std::string& object_root, std::string* digest) {
  std::string newest = NewestVersionDir(object_root);
  std::string root_path = fs::Join(object_root, "inventory.json");
  if (newest.empty() && !fs::IsFile(root_path))
    throw Error(ErrorKind::kNotFound, "no OCFL object at " + object_root);
  if (fs::IsFile(root_path)) {
    std::string bytes = fs::Read(root_path);
    if (SidecarMatches(object_root, bytes)) {
      try {
        Inventory inv = ParseInventory(bytes);
        if (newest.empty() || VersionNumber(inv.head) >= VersionNumber(newest)) {
          if (digest != nullptr) *digest = HexDigest(inv.digest_algorithm, bytes);
          return inv;
        }
      } catch (const Error&) {
        // fall through to the newest version's own inventory
      }
    }
  }
  if (newest.empty()) throw Error(ErrorKind::kInternal, "object at " + object_root + " has no usable inventory");
  std::string vdir = fs::Join(object_root, newest);
  std::string bytes = fs::Read(fs::Join(vdir, "inventory.json"));
  if (!SidecarMatches(vdir, bytes))
    throw Error(ErrorKind::kInternal, newest + "/inventory.json of " + object_root + " does not match its sidecar");
  Inventory inv = ParseInventory(bytes);
  if (digest != nullptr) *digest = HexDigest(inv.digest_algorithm, bytes);
  return inv;
}

namespace {

// Every version of `inv` as listed to readers (the sizes from the content files).
std::vector<VersionEntry> ListVersions(const Inventory& inv, const ObjectFiles& object) {
  std::vector<VersionEntry> out;
  for (const auto& v : inv.versions) {
    VersionEntry e;
    e.version = v.name;
    e.created = v.created;
    e.user = v.user;
    e.message = v.message;
    e.files = ListState(inv, v, object);
    out.push_back(std::move(e));
  }
  return out;
}

IndexedObject RecordOf(const Inventory& inv, const std::string& digest, const ObjectFiles& object) {
  IndexedObject record;
  record.object_id = inv.id;
  record.head = inv.head;
  record.inventory_digest = digest;
  record.versions = ListVersions(inv, object);
  return record;
}

// What the root sidecar of an object states ("" when it has no sha512 sidecar in the expected form).
std::string RootSidecarDigest(const std::string& object_root) {
  const std::string path = fs::Join(object_root, "inventory.json.sha512");
  if (!fs::IsFile(path)) return "";
  return ToLower(SidecarDigest(fs::Read(path)));
}

}  // namespace

IndexedObject ReadIndexRecord(const std::string& storage_root, const std::string& rel) {
  const std::string object_root = fs::Join(storage_root, rel);
  std::string digest;
  Inventory inv = LoadCurrentInventory(object_root, &digest);
  const std::string hash = rel.substr(rel.rfind('/') + 1);
  if (ObjectHash(inv.id) != hash)
    throw Error(ErrorKind::kInternal, "the object at " + rel + " says it is " + inv.id + ", which belongs elsewhere");
  const ObjectFiles object(storage_root, inv.id);
  CheckContentPaths(inv, object);
  return RecordOf(inv, digest, object);
}

std::string ApplicantObjectId(const std::string& applicant_id) {
  if (!IsValidArchiveKey(applicant_id))
    ThrowInvalid("", std::string("applicant id ") + kIdRule);
  return "urn:zhiping:applicant:" + applicant_id;
}

std::string BatchObjectId(const std::string& batch_id) {
  if (!IsValidArchiveKey(batch_id)) ThrowInvalid("", std::string("batch id ") + kIdRule);
  return "urn:zhiping:batch:" + batch_id;
}

bool IsValidArchiveKey(const std::string& key) { return IsValidId(key); }

Store::Store(std::string root) : Store(std::move(root), StoreOptions()) {}

Store::Store(std::string root, StoreOptions options) : root_(std::move(root)), options_(std::move(options)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
  if (root_.empty()) ThrowInvalid("", "archive root is empty");
  fs::MakeDirs(root_);
  if (!fs::IsFile(fs::Join(root_, kRootDeclaration))) {
    // Only an empty directory (or one a concurrent start-up is initialising) becomes a storage root.
    for (const auto& e : fs::List(root_)) {
      // The declaration itself too: another Store (a thread, or an instance on shared storage) may have written it
      // since the check above.
      bool ours = e.name == kRootDeclaration || e.name == "ocfl_layout.json" || e.name == "extensions" ||
                  e.name.rfind(".zhiping-init.", 0) == 0;
      if (!ours)
        throw Error(ErrorKind::kUnavailable, root_ + " is not an OCFL storage root and not empty (found " +
                                                  e.name + ")");
    }
  }
  fs::MakeDirs(fs::Join(root_, std::string("extensions/") + kLayoutExtension));
  EnsureFile(root_, std::string("extensions/") + kLayoutExtension + "/config.json",
             "{\n  \"extensionName\": \"0004-hashed-n-tuple-storage-layout\",\n  \"digestAlgorithm\": \"sha256\",\n"
             "  \"tupleSize\": 3,\n  \"numberOfTuples\": 3,\n  \"shortObjectRoot\": false\n}\n");
  EnsureFile(root_, "ocfl_layout.json",
             "{\n  \"extension\": \"0004-hashed-n-tuple-storage-layout\",\n  \"description\": \"Objects at "
             "sha256(id) split into three 3-character directories, then the full digest.\"\n}\n");
  EnsureFile(root_, kRootDeclaration, "ocfl_1.1\n");
  fs::SyncDir(root_);
  Workspace ws(root_);
  fs::MakeDirs(ws.tmp);
  fs::MakeDirs(ws.locks);
  // Recovery. An entry in tmp/ whose object lock we can take belongs to a writer that died: the update it carried
  // never happened (or finished everything but the clean-up). Entries of live writers are left alone.
  std::set<std::string> hashes;
  for (const auto& e : fs::List(ws.tmp)) {
    std::string hash = e.name.substr(0, e.name.find('.'));
    if (IsHex64(hash))
      hashes.insert(hash);
  }
  for (const auto& hash : hashes) {
    fs::FileLock lock(ws.LockFile(hash), /*try_only=*/true);
    if (lock.held()) RepairLocked(root_, ws, hash);
  }
}

std::string Store::ObjectRoot(const std::string& object_id) const {
  return fs::Join(root_, ObjectPathFromHash(ObjectHash(object_id)));
}

bool Store::Exists(const std::string& object_id) const {
  std::string object_root = ObjectRoot(object_id);
  return fs::IsDir(object_root) && (fs::IsFile(fs::Join(object_root, "inventory.json")) ||
                                    !NewestVersionDir(object_root).empty());
}

CommitResult Store::Commit(const std::string& object_id, const std::vector<FileInput>& files, const User& user,
                           const std::string& message, const std::function<bool(const HeadState&)>& skip_if) {
  if (object_id.empty()) ThrowInvalid("", "object id is empty");
  if (files.empty()) ThrowInvalid("/files", "a version needs at least one file");
  Problems problems;
  std::set<std::string> seen;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string& p = files[i].logical_path;
    std::string pointer = "/files/" + std::to_string(i) + "/logical_path";
    if (!IsValidLogicalPath(p))
      problems.push_back({pointer, "\"" + p + "\" is not a valid logical path (no leading /, no . .. or empty parts)"});
    else if (!seen.insert(p).second)
      problems.push_back({pointer, "\"" + p + "\" appears twice"});
  }
  if (!problems.empty()) throw Error(ErrorKind::kInvalidInput, FormatProblem(problems.front()), problems);
  return RootRelativeErrors(root_, [&] {
    CommitResult result = CommitChecked(object_id, files, user, message, skip_if);
    // No new version (the same document issued again — often because the process that committed it died before
    // telling anyone, maybe before indexing it): make sure the index has the head, as a read would.
    if (!result.created && options_.index) IndexedVersions(object_id);
    return result;
  });
}

CommitResult Store::CommitChecked(const std::string& object_id, const std::vector<FileInput>& files,
                                  const User& user, const std::string& message,
                                  const std::function<bool(const HeadState&)>& skip_if) {
  const std::string hash = ObjectHash(object_id);
  const ObjectFiles object(root_, object_id);
  const std::string object_root = object.Absolute();
  Workspace ws(root_);
  fs::MakeDirs(ws.tmp);
  fs::MakeDirs(ws.locks);
  // Step 3 (taken first): one writer per object, across threads and processes; with ObjectLocks across the
  // deployment's instances too (object_lock.h), that lock first and released last. A database that cannot be
  // reached fails the commit here, before anything is written.
  std::unique_ptr<ObjectLocks::Held> instance_lock;
  if (options_.locks) instance_lock = options_.locks->Acquire(object_id);
  fs::FileLock lock(ws.LockFile(hash));
  RepairLocked(root_, ws, hash);

  const bool exists = Exists(object_id);
  Inventory inv;
  std::string start_sidecar;
  std::string start_digest;  // what the index should have recorded for the head this version is built on
  std::string sidecar_name = "inventory.json.sha512";
  if (exists) {
    inv = LoadChecked(object, &start_digest);
    if (inv.id != object_id)
      throw Error(ErrorKind::kConflict, "object root " + object_root + " holds " + inv.id + ", not " + object_id);
    sidecar_name = "inventory.json." + inv.digest_algorithm;
    start_sidecar = fs::Read(fs::Join(object_root, sidecar_name));
  } else {
    inv.id = object_id;
  }
  if (!IsSupportedDigest(inv.digest_algorithm))
    throw Error(ErrorKind::kInternal, "object " + object_id + " uses unsupported " + inv.digest_algorithm);

  std::map<std::string, std::string> head_state;
  if (exists) head_state = StateByPath(inv.Find(inv.head)->state);
  std::map<std::string, std::string> new_state = head_state;
  std::vector<std::string> digests(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    if (files[i].remove) {
      new_state.erase(files[i].logical_path);
      continue;
    }
    digests[i] = HexDigest(inv.digest_algorithm, files[i].bytes);
    new_state[files[i].logical_path] = digests[i];
  }
  if (new_state.empty()) ThrowInvalid("/files", "a version needs at least one file");
  CommitResult result;
  result.object_id = object_id;
  if (exists) {
    const InventoryVersion& head = *inv.Find(inv.head);
    result.version = inv.head;
    result.created = false;
    result.files = ListState(inv, head, object);
    if (new_state == head_state) return result;
    if (skip_if) {
      HeadState view;
      view.version = inv.head;
      view.files = result.files;
      view.read = [&](const std::string& logical_path) { return ReadState(inv, head, logical_path, object); };
      if (skip_if(view)) return result;
    }
    result.files.clear();
  }
  CheckNoConflicts(new_state);

  const std::string vname = exists ? VersionName(VersionNumber(inv.head) + 1, inv.head) : "v1";
  const std::string work = fs::Join(ws.tmp, hash + "." + UniqueTempSuffix());
  // The workspace entry goes on every way out: done, conflict, or a failed write (a full disk must not keep what
  // it was given until the next start). A crash skips this; recovery removes the entry then.
  struct RemoveWhenDone {
    const std::string& path;
    ~RemoveWhenDone() {
      try {
        fs::RemoveTree(path);
      } catch (const Error&) {
        // best effort: recovery (the next Commit of the object, or the next start) removes what is left
      }
    }
  } remove_work{work};
  bool installed = false;  // vN (or the new object) is in place: from here on, a failure has stored the version
  try {
    // Step 6: a new object is built whole under the workspace entry and appears by one rename.
    std::unique_ptr<NewObjectPlace> place;
    if (!exists) place = std::make_unique<NewObjectPlace>(root_, hash);
    const std::string build = exists ? work : place->BuildDir(work);
    const std::string vdir = fs::Join(build, vname);
    Staged staged(work);
    staged.MakeDir(vdir);

    // Step 1: content, stored once per digest across all versions.
    std::set<std::string> written;
    for (size_t i = 0; i < files.size(); ++i) {
      if (files[i].remove) continue;
      const std::string& digest = digests[i];
      if (inv.manifest.count(digest) != 0 || written.count(digest) != 0) continue;
      std::string content_path = vname + "/" + inv.ContentDir() + "/" + files[i].logical_path;
      std::string target = fs::Join(build, content_path);
      staged.MakeDir(fs::Dirname(target));
      staged.WriteFile(target, files[i].bytes);
      inv.manifest[digest].push_back(content_path);
      written.insert(digest);
    }
    Step("content-written");

    // Step 2: the version's inventory (full history), then its sidecar.
    InventoryVersion version;
    version.name = vname;
    version.created = NowRfc3339();
    version.has_message = true;
    version.message = message;
    version.has_user = true;
    version.user.name = user.name.empty() ? "zhiping" : user.name;
    version.user.address = user.address;
    for (const auto& [path, digest] : new_state) version.state[digest].push_back(path);
    inv.head = vname;
    inv.versions.push_back(version);
    const std::string inventory = SerializeInventory(inv);
    const std::string sidecar = SidecarText(HexDigest(inv.digest_algorithm, inventory));
    staged.WriteFile(fs::Join(vdir, "inventory.json"), inventory);
    staged.WriteFile(fs::Join(vdir, sidecar_name), sidecar);
    Step("version-inventory-written");

    if (!exists) {
      staged.WriteFile(fs::Join(build, kObjectDeclaration), "ocfl_object_1.1\n");
      // The root inventory is the version's, byte for byte: a second name for the file just made durable.
      fs::LinkOrWriteDurable(fs::Join(vdir, "inventory.json"), fs::Join(build, "inventory.json"), inventory);
      fs::LinkOrWriteDurable(fs::Join(vdir, sidecar_name), fs::Join(build, sidecar_name), sidecar);
      staged.SyncAll();
      Step("object-built");
      std::string installed_at = InstallNewObject(root_, work, *place);
      if (installed_at.empty())
        throw Error(ErrorKind::kConflict, "object " + object_id + " appeared while it was being created");
      installed = true;
      fs::SyncDir(fs::Dirname(installed_at));
      Step("object-installed");
    } else {
      // The root inventory and its sidecar are written into the workspace now, before vN is installed: every
      // byte of the update is on disk before the first change a reader can see, so a full disk stops the update
      // while the object is still exactly its last good version. Step 5 is then two renames.
      const std::string root_inventory = fs::Join(work, "inventory." + UniqueTempSuffix());
      const std::string root_sidecar = fs::Join(work, "sidecar." + UniqueTempSuffix());
      fs::LinkOrWriteDurable(fs::Join(vdir, "inventory.json"), root_inventory, inventory);
      fs::LinkOrWriteDurable(fs::Join(vdir, sidecar_name), root_sidecar, sidecar);
      // Step 3, compare-and-swap: the head must still be the one this version was built on.
      if (fs::Read(fs::Join(object_root, sidecar_name)) != start_sidecar)
        throw Error(ErrorKind::kConflict, "object " + object_id + " changed while a version was being written");
      // Step 4: install vN by a single rename; it fails rather than replace an existing vN.
      staged.SyncAll();
      if (!fs::RenameNoReplace(vdir, fs::Join(object_root, vname))) {
        if (errno != EEXIST && errno != ENOTEMPTY) fs::ThrowErrno("cannot install", fs::Join(object_root, vname), errno);
        throw Error(ErrorKind::kConflict, "object " + object_id + " already has " + vname);
      }
      installed = true;
      fs::SyncDir(object_root);
      Step("version-installed");
      // Step 5: root inventory, then its sidecar; temp files live in the workspace, outside the object root.
      fs::Rename(root_inventory, fs::Join(object_root, "inventory.json"));
      Step("root-inventory-replaced");
      fs::Rename(root_sidecar, fs::Join(object_root, sidecar_name));
      fs::SyncDir(object_root);
      Step("root-sidecar-replaced");
    }
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kUnavailable) throw;
    // Readers believe the newest vN/inventory.json when the root one is behind, and the object's next update
    // repairs the root inventory (RepairLocked), so an installed version stays served.
    throw Error(ErrorKind::kUnavailable,
                std::string(e.what()) + (installed ? "; " + vname + " was stored, the object's root inventory is "
                                                                  "brought up to date by its next update"
                                                    : "; nothing was stored"));
  }
  fs::RemoveTree(work);
  Step("done");

  result.version = vname;
  result.created = true;
  result.files = ListState(inv, inv.versions.back(), object);
  if (options_.index) {
    // The version is durable; the object's locks are still held, so no other commit's index update interleaves.
    const InventoryVersion& v = inv.versions.back();
    VersionEntry added{v.name, v.created, v.user, v.message, result.files};
    IndexCommit(object_id, start_digest, HexDigest(inv.digest_algorithm, SerializeInventory(inv)), vname, added);
  }
  return result;
}

void Store::Log(const std::string& line) const {
  if (options_.log) {
    options_.log(line);
  } else {
    std::cerr << line << std::endl;
  }
}

void Store::IndexCommit(const std::string& object_id, const std::string& previous_digest,
                        const std::string& new_digest, const std::string& head, const VersionEntry& added) const {
  try {
    IndexedObject record;
    record.object_id = object_id;
    record.head = head;
    record.inventory_digest = new_digest;
    record.versions.push_back(added);
    if (options_.index->AddVersion(record, previous_digest)) return;
    // The index was not current for the head this version was built on: record the whole object.
    options_.index->Put({ReadIndexRecord(root_, ObjectPathFromHash(ObjectHash(object_id)))}, false);
  } catch (const std::exception& e) {
    // The version is stored; the index is behind, which the digest rule notices and repairs at the next read.
    Log("archive: " + object_id + " " + head + " is stored, but the object index was not updated (the next read "
        "of the object repairs it): " + e.what());
  }
}

std::vector<VersionEntry> Store::IndexedVersions(const std::string& object_id) const {
  const ObjectFiles object(root_, object_id);
  const std::string object_root = object.Absolute();
  const std::string on_disk = RootSidecarDigest(object_root);
  if (!on_disk.empty()) {
    try {
      auto found = options_.index->Find({object_id});
      auto it = found.find(object_id);
      if (it != found.end() && it->second.inventory_digest == on_disk &&
          !fs::Exists(fs::Join(object_root, VersionName(VersionNumber(it->second.head) + 1, it->second.head))))
        return std::move(it->second.versions);
    } catch (const std::exception& e) {
      Log("archive: the object index could not be read for " + object_id + "; read from the archive: " + e.what());
    }
  }
  std::string digest;
  Inventory inv = LoadChecked(object, &digest);
  IndexedObject record = RecordOf(inv, digest, object);
  try {
    options_.index->Put({record}, /*only_if_newer=*/true);
  } catch (const std::exception& e) {
    Log("archive: the object index could not be repaired for " + object_id + ": " + e.what());
  }
  return std::move(record.versions);
}

std::vector<VersionEntry> Store::Versions(const std::string& object_id) const {
  return RootRelativeErrors(root_, [&] {
    if (!Exists(object_id)) throw Error(ErrorKind::kNotFound, "no archive object " + object_id);
    if (options_.index) return IndexedVersions(object_id);
    const ObjectFiles object(root_, object_id);
    return ListVersions(LoadChecked(object), object);
  });
}

std::vector<FileEntry> Store::Files(const std::string& object_id, const std::string& version) const {
  return RootRelativeErrors(root_, [&] {
    if (!Exists(object_id)) throw Error(ErrorKind::kNotFound, "no archive object " + object_id);
    if (options_.index) {
      std::vector<VersionEntry> versions = IndexedVersions(object_id);
      if (version.empty()) return versions.back().files;
      for (auto& v : versions)
        if (v.version == version) return std::move(v.files);
      throw Error(ErrorKind::kNotFound, "object " + object_id + " has no version " + version);
    }
    const ObjectFiles object(root_, object_id);
    Inventory inv = LoadChecked(object);
    return ListState(inv, FindVersion(inv, version, object_id), object);
  });
}

std::string Store::Read(const std::string& object_id, const std::string& logical_path,
                        const std::string& version) const {
  return RootRelativeErrors(root_, [&] {
    if (!Exists(object_id)) throw Error(ErrorKind::kNotFound, "no archive object " + object_id);
    const ObjectFiles object(root_, object_id);
    Inventory inv = LoadChecked(object);
    return ReadState(inv, FindVersion(inv, version, object_id), logical_path, object);
  });
}

}  // namespace zhiping::archive
