// archive/inventory.h — the OCFL inventory as the writer and the readers use it.
//
// Internal to the archive stage. ParseInventory is lenient about what it does not need (the verifier, not this
// parser, judges conformance); SerializeInventory writes exactly the keys of OCFL 1.1 §3.5 in a fixed order so the
// same inventory always produces the same bytes and therefore the same sidecar digest.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "archive/archive.h"

namespace zhiping::archive {

inline constexpr char kInventoryType[] = "https://ocfl.io/1.1/spec/#inventory";
inline constexpr char kInventoryType10[] = "https://ocfl.io/1.0/spec/#inventory";

using DigestMap = std::map<std::string, std::vector<std::string>>;  // digest -> paths

struct InventoryVersion {
  std::string name;  // "v3"
  std::string created;
  bool has_message = false;
  std::string message;
  bool has_user = false;
  User user;
  DigestMap state;  // digest -> logical paths
};

struct Inventory {
  std::string id;
  std::string type = kInventoryType;
  std::string digest_algorithm = "sha512";
  std::string head;
  std::string content_directory;  // "" when the key is absent ("content" applies)
  DigestMap manifest;             // digest -> content paths
  std::vector<InventoryVersion> versions;  // ascending version number

  const InventoryVersion* Find(const std::string& version) const;
  std::string ContentDir() const { return content_directory.empty() ? "content" : content_directory; }
};

// kInternal when `text` is not JSON or lacks the structure a reader needs.
Inventory ParseInventory(const std::string& text);
std::string SerializeInventory(const Inventory& inv);
// "<digest> inventory.json\n"
std::string SidecarText(const std::string& digest);
// The digest in a sidecar's text, "" when it does not have the form "DIGEST inventory.json".
std::string SidecarDigest(const std::string& text);

// "v3" -> 3, "v003" -> 3; -1 for anything that is not v followed by digits (or "v0").
int VersionNumber(const std::string& name);
// The name of version `n` in the convention of `like` ("v0002" keeps width 5; "v7" stays unpadded).
std::string VersionName(int n, const std::string& like);

// Logical path -> digest for one version's state.
std::map<std::string, std::string> StateByPath(const DigestMap& state);

}  // namespace zhiping::archive
