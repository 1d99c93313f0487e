// tests/archive/test_util.h — what the archive tests share: verify reports as text, and forging an object's
// inventory. Scratch folders are tests/support's (temp_dir.h).
#pragma once

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include <algorithm>

#include "archive/archive.h"
#include "archive/digest.h"
#include "archive/fs_util.h"
#include "archive/inventory.h"
#include "support/temp_dir.h"

namespace zhiping::archive::testing {

using zhiping::testing::FreshDir;
using zhiping::testing::ScratchDir;  // removed when the test passed, kept when it failed

// "[E092] v1/content/a.pdf: sha512 mismatch" lines, for failure messages.
inline std::string Describe(const VerifyReport& r) {
  std::string s;
  for (const auto& i : r.issues) s += "  [" + i.code + "] " + r.object_root + ": " + i.message + "\n";
  return s;
}

inline std::string Describe(const std::vector<VerifyReport>& reports) {
  std::string s;
  for (const auto& r : reports) s += Describe(r);
  return s;
}

// What an attacker who can write one object's files would do: rewrites the object's inventories (and sidecars,
// so they are believed) so that `logical_path` of the head is the content path `content_path` with the digest of
// `bytes_there` — the bytes a reader that followed the path would find and serve.
inline void PointHeadAt(const Store& store, const std::string& id, const std::string& logical_path,
                        const std::string& content_path, const std::string& bytes_there) {
  const std::string object_root = store.ObjectRoot(id);
  Inventory inv = ParseInventory(fs::Read(object_root + "/inventory.json"));
  const std::string digest = HexDigest(inv.digest_algorithm, bytes_there);
  inv.manifest[digest] = {content_path};
  DigestMap& state = inv.versions.back().state;
  for (auto it = state.begin(); it != state.end();) {
    auto& paths = it->second;
    paths.erase(std::remove(paths.begin(), paths.end(), logical_path), paths.end());
    it = paths.empty() ? state.erase(it) : std::next(it);
  }
  state[digest].push_back(logical_path);
  const std::string text = SerializeInventory(inv);
  // The root inventory and the head version's copy alike, as a consistent forgery would (a root inventory alone
  // would be taken for a crash leftover and replaced by the next commit).
  for (const std::string& dir : {object_root, object_root + "/" + inv.head}) {
    ::unlink((dir + "/inventory.json").c_str());
    ::unlink((dir + "/inventory.json.sha512").c_str());
    fs::WriteFileDurable(dir + "/inventory.json", text);
    fs::WriteFileDurable(dir + "/inventory.json.sha512", SidecarText(HexDigest("sha512", text)));
  }
}

}  // namespace zhiping::archive::testing
