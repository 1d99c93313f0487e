// archive/store_internal.h — pieces of the store shared with the verifier, the command and the tests.
//
// Not part of the stage's public contract.
#pragma once

#include <string>

#include "archive/inventory.h"
#include "archive/object_index.h"

namespace zhiping::archive {

// Where the writer keeps its workspace and lock files: inside the storage root's extensions/ directory (so on the
// same filesystem, which makes rename atomic) and never inside an object root.
inline constexpr char kWorkspaceDir[] = "extensions/zhiping-workspace";
inline constexpr char kLayoutExtension[] = "0004-hashed-n-tuple-storage-layout";

// sha256 of the UTF-8 id, lowercase hex (extension 0004).
std::string ObjectHash(const std::string& object_id);
// "3c0/ff4/240/3c0ff424..." relative to the storage root.
std::string ObjectPathFromHash(const std::string& hash);
// The path rules OCFL sets for logical paths (E052/E053) and content paths (E099/E100) alike.
enum class PathFault { kNone, kEdgeSlash /* empty, or begins or ends with / */, kBadSegment /* ., .. or // */ };
PathFault CheckPathRules(const std::string& path);
// OCFL logical path rules plus what this store adds: valid UTF-8, no NUL.
bool IsValidLogicalPath(const std::string& path);
// True when "2026-11-25T19:05:48Z" style: RFC 3339 with seconds and a zone.
bool IsRfc3339(const std::string& text);

// The inventory a reader should believe: the root inventory when its sidecar matches and it is the newest,
// otherwise the newest vN/inventory.json. Throws kNotFound when `object_root` holds no object. `digest`, when
// given, receives the digest the believed inventory's sidecar states (lowercase hex).
Inventory LoadCurrentInventory(const std::string& object_root, std::string* digest = nullptr);

// The object at `rel` below `storage_root` ("3c0/ff4/240/3c0ff424…") as the object index records it, read from
// its inventory (and the content files' sizes) with the checks of Store's readers. kNotFound when there is no
// object there; kInternal when it is damaged or its id does not belong at `rel`.
IndexedObject ReadIndexRecord(const std::string& storage_root, const std::string& rel);

// Test hook: called with the name of each step of Commit ("content-written", "version-installed", ...), so a test
// can end the process exactly between two steps. nullptr (the default) in production.
extern void (*g_commit_step_hook)(const char* step);

}  // namespace zhiping::archive
