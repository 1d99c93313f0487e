// The verifier of archive.h: OCFL 1.1 object and storage-root validation with the spec's own codes
// (ocfl.io/1.1/spec/validation-codes.html). It reports every problem it can find rather than stopping at the first,
// reads files only to hash them, and never writes.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "archive/archive.h"
#include "archive/digest.h"
#include "archive/fs_util.h"
#include "archive/inventory.h"
#include "archive/store_internal.h"
#include "common/error.h"

namespace zhiping::archive {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

const std::set<std::string> kInventoryKeys = {"id",       "type",     "digestAlgorithm", "head", "contentDirectory",
                                              "manifest", "versions", "fixity"};
// Extensions registered at github.com/OCFL/extensions; anything else in an extensions/ directory is a warning.
const std::set<std::string> kRegisteredExtensions = {
    "0001-digest-algorithms",         "0002-flat-direct-storage-layout",
    "0003-hash-and-id-n-tuple-storage-layout", "0004-hashed-n-tuple-storage-layout",
    "0005-mutable-head",              "0006-flat-omit-prefix-storage-layout",
    "0007-n-tuple-omit-prefix-storage-layout", "0008-schema-registry",
    "0009-digest-algorithms",         "0010-differential-ocfl-version",
    "0011-direct-clean-path-layout"};
// Fixity algorithms of OCFL 1.1 §"Digests" and extension 0001/0009.
const std::set<std::string> kFixityAlgorithms = {"md5",         "sha1",        "sha256",      "sha512",
                                                 "blake2b-512", "blake2b-160", "blake2b-256", "blake2b-384",
                                                 "sha512/256",  "size",        "crc32"};

bool IsObject(const Var& v) { return v.type() == typeid(Object::Ptr); }
bool IsArray(const Var& v) { return v.type() == typeid(Array::Ptr); }

bool IsHexOfLength(const std::string& s, size_t length) {
  if (length == 0 || s.size() != length) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// A URI has a scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" followed by something.
bool LooksLikeUri(const std::string& s) {
  size_t colon = s.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= s.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (size_t i = 1; i < colon; ++i) {
    char c = s[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

// Path rules shared by logical paths (E052/E053) and content paths (E099/E100): returns the code broken or "".
std::string PathRuleBroken(const std::string& path, const char* edge_code, const char* segment_code) {
  switch (CheckPathRules(path)) {
    case PathFault::kEdgeSlash: return edge_code;
    case PathFault::kBadSegment: return segment_code;
    case PathFault::kNone: break;
  }
  return "";
}

// The strings of a JSON array; nullopt when `v` is not an array or holds anything but strings.
std::optional<std::vector<std::string>> StringArray(const Var& v) {
  if (!IsArray(v)) return std::nullopt;
  Array::Ptr a = v.extract<Array::Ptr>();
  std::vector<std::string> out;
  for (size_t i = 0; i < a->size(); ++i) {
    Var item = a->get(static_cast<unsigned>(i));
    if (!item.isString()) return std::nullopt;
    out.push_back(item.extract<std::string>());
  }
  return out;
}

// Paths that are equal, or where one is a directory prefix of the other ("a" and "a/b").
std::vector<std::string> ConflictingPaths(std::vector<std::string> paths) {
  std::vector<std::string> bad;
  std::sort(paths.begin(), paths.end());
  for (size_t i = 1; i < paths.size(); ++i) {
    const std::string& a = paths[i - 1];
    const std::string& b = paths[i];
    if (a == b) bad.push_back(a + " (twice)");
  }
  std::set<std::string> all(paths.begin(), paths.end());
  for (const auto& p : all) {
    for (size_t slash = p.find('/'); slash != std::string::npos; slash = p.find('/', slash + 1))
      if (all.count(p.substr(0, slash)) != 0) bad.push_back(p.substr(0, slash) + " and " + p);
  }
  return bad;
}

struct ParsedVersion {
  std::string name;
  std::string created;
  Var message;  // empty when absent
  Var user;
  std::map<std::string, std::string> state;  // logical path -> digest
};

struct ParsedInventory {
  std::string where;  // "root inventory", "v2 inventory"
  std::string bytes;
  std::string id;
  std::string spec;  // "1.0" or "1.1", from type
  std::string algorithm;
  std::string head;
  bool has_content_directory = false;
  std::string content_directory = "content";
  DigestMap manifest;                        // digest (as written) -> content paths
  std::map<std::string, std::string> content_to_digest;  // content path -> digest
  std::vector<ParsedVersion> versions;       // ascending
  std::map<std::string, DigestMap> fixity;   // algorithm -> digest -> content paths
  const ParsedVersion* Find(const std::string& name) const {
    for (const auto& v : versions)
      if (v.name == name) return &v;
    return nullptr;
  }
};

class ObjectVerifier {
 public:
  explicit ObjectVerifier(const std::string& object_root) { report_.object_root = object_root; }

  VerifyReport Run();

 private:
  void Fail(const std::string& code, const std::string& message) { report_.issues.push_back({code, message, true}); }
  void Warn(const std::string& code, const std::string& message) { report_.issues.push_back({code, message, false}); }
  std::string Path(const std::string& rel) const { return fs::Join(report_.object_root, rel); }

  std::optional<ParsedInventory> CheckInventory(const std::string& dir_rel, const std::string& where);
  void CheckSidecar(const std::string& dir_rel, const ParsedInventory& inv);
  void CheckManifest(const Object::Ptr& o, ParsedInventory* inv);
  void CheckVersions(const Object::Ptr& o, ParsedInventory* inv);
  void CheckFixityBlock(const Object::Ptr& o, ParsedInventory* inv);
  void CheckRootEntries(const ParsedInventory& inv);
  void CheckVersionDirectory(const ParsedInventory& root, const ParsedVersion& version,
                             std::optional<ParsedInventory>* previous);
  void CheckPriorInventory(const ParsedInventory& root, const ParsedInventory& prior, const std::string& vname);
  void CheckContent(const ParsedInventory& root);
  void CheckManifestFixity(const ParsedInventory& inv, int up_to_version);
  std::string DigestOf(const std::string& algorithm, const std::string& content_path);

  VerifyReport report_;
  std::string fallback_head_;  // set when the root inventory is unusable and this version's stands in for it
  std::map<std::pair<std::string, std::string>, std::string> digest_cache_;  // (algorithm, content path) -> digest
  std::set<std::string> content_files_;                                      // "v1/content/a.txt"
  std::map<std::string, std::set<std::string>> content_by_version_;          // "v1" -> its content files
};

std::string ObjectVerifier::DigestOf(const std::string& algorithm, const std::string& content_path) {
  auto key = std::make_pair(algorithm, content_path);
  auto it = digest_cache_.find(key);
  if (it != digest_cache_.end()) return it->second;
  // Like every read of the store: through no link, never outside the object root (fs::OpenBeneath).
  // A link on the way (or an unreadable file) matches no digest, so it is reported as a mismatch.
  std::string d;
  try {
    Hasher h(algorithm);
    fs::ReadChunksBeneath(report_.object_root, content_path,
                          [&](const char* data, size_t size) { h.Update(data, size); });
    d = h.HexFinal();
  } catch (const Error&) {
    d = "(unreadable)";
  }
  digest_cache_[key] = d;
  return d;
}

std::optional<ParsedInventory> ObjectVerifier::CheckInventory(const std::string& dir_rel, const std::string& where) {
  ParsedInventory inv;
  inv.where = where;
  std::string path = fs::Join(dir_rel, "inventory.json");
  inv.bytes = fs::Read(Path(path));
  Var root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(inv.bytes);
  } catch (const Poco::Exception& e) {
    Fail("E033", path + ": not valid JSON (" + e.displayText() + ")");
    return std::nullopt;
  }
  if (!IsObject(root)) {
    Fail("E033", path + ": not a JSON object");
    return std::nullopt;
  }
  Object::Ptr o = root.extract<Object::Ptr>();
  for (const auto& key : o->getNames())
    if (kInventoryKeys.count(key) == 0) Fail("E102", path + ": key \"" + key + "\" is not allowed");

  if (!o->has("id")) {
    Fail("E036", path + ": no id");
  } else if (!o->get("id").isString() || o->get("id").extract<std::string>().empty()) {
    Fail("E037", path + ": id is not a non-empty string");
  } else {
    inv.id = o->get("id").extract<std::string>();
    if (!LooksLikeUri(inv.id)) Warn("W005", path + ": id " + inv.id + " is not a URI");
  }
  if (!o->has("type")) {
    Fail("E036", path + ": no type");
  } else {
    std::string type = o->get("type").isString() ? o->get("type").extract<std::string>() : "";
    if (type == kInventoryType) inv.spec = "1.1";
    else if (type == kInventoryType10) inv.spec = "1.0";
    else Fail("E038", path + ": type is not an OCFL inventory type");
  }
  if (!o->has("digestAlgorithm")) {
    Fail("E036", path + ": no digestAlgorithm");
  } else {
    std::string alg = o->get("digestAlgorithm").isString() ? o->get("digestAlgorithm").extract<std::string>() : "";
    if (alg == "sha512" || alg == "sha256") {
      inv.algorithm = alg;
      if (alg == "sha256") Warn("W004", path + ": digestAlgorithm sha256; sha512 is recommended");
    } else {
      Fail("E025", path + ": digestAlgorithm must be sha512 or sha256");
    }
  }
  if (!o->has("head")) {
    Fail("E036", path + ": no head");
  } else if (!o->get("head").isString()) {
    Fail("E040", path + ": head is not a string");
  } else {
    inv.head = o->get("head").extract<std::string>();
  }
  if (o->has("contentDirectory")) {
    Var cd = o->get("contentDirectory");
    std::string value = cd.isString() ? cd.extract<std::string>() : "";
    if (!cd.isString() || value.empty() || value.find('/') != std::string::npos) {
      Fail("E017", path + ": contentDirectory must be a string without /");
    } else if (value == "." || value == "..") {
      Fail("E018", path + ": contentDirectory must not be . or ..");
    } else {
      inv.has_content_directory = true;
      inv.content_directory = value;
    }
  }
  if (!o->has("manifest")) {
    Fail("E041", path + ": no manifest");
  } else {
    CheckManifest(o, &inv);
  }
  if (!o->has("versions")) {
    Fail("E041", path + ": no versions");
  } else {
    CheckVersions(o, &inv);
  }
  if (o->has("fixity")) CheckFixityBlock(o, &inv);

  // E107: every manifest digest is some version's content.
  std::set<std::string> used;
  for (const auto& v : inv.versions)
    for (const auto& [p, d] : v.state) used.insert(d);
  for (const auto& [digest, paths] : inv.manifest)
    if (used.count(digest) == 0) Fail("E107", path + ": manifest digest " + digest.substr(0, 16) + "… is in no state");

  // E042: a content path lies in the content directory of a version of this inventory.
  for (const auto& [content_path, digest] : inv.content_to_digest) {
    size_t slash = content_path.find('/');
    std::string vname = content_path.substr(0, slash);
    bool ok = slash != std::string::npos && inv.Find(vname) != nullptr &&
              content_path.compare(slash + 1, inv.content_directory.size() + 1, inv.content_directory + "/") == 0;
    if (!ok) Fail("E042", path + ": content path " + content_path + " is not inside a version's content directory");
  }
  CheckSidecar(dir_rel, inv);
  return inv;
}

void ObjectVerifier::CheckSidecar(const std::string& dir_rel, const ParsedInventory& inv) {
  std::string where = dir_rel.empty() ? std::string("") : dir_rel + "/";
  std::string name = "inventory.json." + inv.algorithm;
  if (inv.algorithm.empty()) {
    for (const auto& e : fs::List(Path(dir_rel)))
      if (e.name.rfind("inventory.json.", 0) == 0) name = e.name;
    if (name == "inventory.json.") return;  // E025 already said why
  }
  if (!fs::IsFile(Path(fs::Join(dir_rel, name)))) {
    Fail("E058", where + name + " is missing");
    return;
  }
  std::string algorithm = name.substr(std::string("inventory.json.").size());
  std::string stated = SidecarDigest(fs::Read(Path(fs::Join(dir_rel, name))));
  if (stated.empty()) {
    Fail("E061", where + name + " is not \"DIGEST inventory.json\"");
    return;
  }
  if (!IsSupportedDigest(algorithm)) return;
  if (ToLower(stated) != HexDigest(algorithm, inv.bytes))
    Fail("E060", where + name + " does not match " + where + "inventory.json");
}

void ObjectVerifier::CheckManifest(const Object::Ptr& o, ParsedInventory* inv) {
  std::string where = inv->where;
  Var m = o->get("manifest");
  if (!IsObject(m)) {
    Fail("E106", where + ": manifest is not a JSON object");
    return;
  }
  Object::Ptr manifest = m.extract<Object::Ptr>();
  std::set<std::string> lowered;
  std::vector<std::string> all_paths;
  for (const auto& digest : manifest->getNames()) {
    if (!inv->algorithm.empty() && !IsHexOfLength(digest, DigestHexLength(inv->algorithm)))
      Fail("E025", where + ": manifest key " + digest + " is not a " + inv->algorithm + " digest");
    if (!lowered.insert(ToLower(digest)).second)
      Fail("E096", where + ": manifest digest " + digest.substr(0, 16) + "… appears twice");
    std::optional<std::vector<std::string>> value = StringArray(manifest->get(digest));
    if (!value) {
      Fail("E092", where + ": manifest value for " + digest.substr(0, 16) + "… is not an array of content paths");
      continue;
    }
    std::vector<std::string>& paths = inv->manifest[digest];
    for (const std::string& path : *value) {
      std::string broken = PathRuleBroken(path, "E100", "E099");
      if (!broken.empty()) Fail(broken, where + ": content path \"" + path + "\" is not a valid path");
      paths.push_back(path);
      all_paths.push_back(path);
      inv->content_to_digest[path] = digest;
    }
  }
  for (const auto& bad : ConflictingPaths(all_paths))
    Fail("E101", where + ": content paths not unique or conflicting: " + bad);
}

void ObjectVerifier::CheckVersions(const Object::Ptr& o, ParsedInventory* inv) {
  std::string where = inv->where;
  Var vs = o->get("versions");
  if (!IsObject(vs)) {
    Fail("E044", where + ": versions is not a JSON object");
    return;
  }
  Object::Ptr versions = vs.extract<Object::Ptr>();
  std::vector<std::string> names = versions->getNames();
  if (names.empty()) {
    Fail("E008", where + ": no versions");
    return;
  }
  std::map<int, std::string> by_number;
  bool padded = false, unpadded = false;
  std::set<size_t> padded_widths;
  for (const auto& name : names) {
    int n = VersionNumber(name);
    if (n < 1) {
      Fail("E104", where + ": version key " + name + " is not v followed by a positive number");
      continue;
    }
    if (name[1] == '0') {
      padded = true;
      padded_widths.insert(name.size());
    } else {
      unpadded = true;
    }
    if (!by_number.emplace(n, name).second) Fail("E012", where + ": version " + name + " appears twice");
  }
  if (padded && unpadded) {
    // v01..v09 then v10: the padded sequence overflowed its width, and the newer name broke the convention.
    Fail("E011", where + ": zero-padded version names mixed with names that do not start with v0");
    Fail("E013", where + ": a version does not follow the naming convention of the earlier versions");
  } else if (padded && padded_widths.size() > 1) {
    Fail("E012", where + ": zero-padded version names of different widths");
  } else if (padded)
    Warn("W001", where + ": version names are zero-padded");
  if (!by_number.empty() && by_number.begin()->first != 1) Fail("E009", where + ": versions do not start at 1");
  int expected = 1;
  for (const auto& [n, name] : by_number) {
    if (n != expected && expected != 1) Fail("E010", where + ": version " + VersionName(expected, name) + " missing");
    expected = n + 1;
  }
  if (!by_number.empty()) {
    const std::string& newest = by_number.rbegin()->second;
    if (inv->head != newest) {
      bool padded_head = inv->head.size() > 2 && inv->head[1] == '0';
      if (VersionNumber(inv->head) == by_number.rbegin()->first && padded_head != padded)
        Fail("E011", where + ": head " + inv->head + " does not follow the version naming of " + newest);
      Fail("E040", where + ": head " + inv->head + " is not the newest version " + newest);
    }
  }

  for (const auto& [n, name] : by_number) {
    Var value = versions->get(name);
    if (!IsObject(value)) {
      Fail("E047", where + ": version " + name + " is not a JSON object");
      continue;
    }
    Object::Ptr vo = value.extract<Object::Ptr>();
    ParsedVersion v;
    v.name = name;
    std::string at = where + " " + name;
    if (!vo->has("created")) {
      Fail("E048", at + ": no created");
    } else if (!vo->get("created").isString() || !IsRfc3339(vo->get("created").extract<std::string>())) {
      Fail("E049", at + ": created is not RFC 3339 with seconds and a time zone");
    } else {
      v.created = vo->get("created").extract<std::string>();
    }
    if (!vo->has("state")) {
      Fail("E048", at + ": no state");
    } else if (!IsObject(vo->get("state"))) {
      Fail("E048", at + ": state is not a JSON object");
    } else {
      Object::Ptr state = vo->getObject("state");
      std::vector<std::string> logical;
      for (const auto& digest : state->getNames()) {
        if (inv->manifest.count(digest) == 0)
          Fail("E050", at + ": state digest " + digest.substr(0, 16) + "… is not in the manifest");
        std::optional<std::vector<std::string>> paths = StringArray(state->get(digest));
        if (!paths) {
          Fail("E051", at + ": state value is not an array of logical paths");
          continue;
        }
        for (const std::string& lp : *paths) {
          std::string broken = PathRuleBroken(lp, "E053", "E052");
          if (!broken.empty()) Fail(broken, at + ": logical path \"" + lp + "\" is not valid");
          logical.push_back(lp);
          v.state[lp] = digest;
        }
      }
      for (const auto& bad : ConflictingPaths(logical))
        Fail("E095", at + ": logical paths not unique or conflicting: " + bad);
    }
    if (vo->has("message")) {
      v.message = vo->get("message");
      if (!v.message.isString()) Fail("E094", at + ": message is not a string");
    }
    if (vo->has("user")) {
      v.user = vo->get("user");
      if (!IsObject(v.user)) {
        Fail("E054", at + ": user is not a JSON object");
      } else {
        Object::Ptr user = v.user.extract<Object::Ptr>();
        if (!user->has("name") || !user->get("name").isString() || user->get("name").extract<std::string>().empty())
          Fail("E054", at + ": user has no name string");
        if (!user->has("address")) {
          Warn("W008", at + ": user has no address");
        } else if (!user->get("address").isString()) {
          Fail("E054", at + ": user address is not a string");
        } else if (!LooksLikeUri(user->get("address").extract<std::string>())) {
          Warn("W009", at + ": user address is not a URI");
        }
      }
    }
    if (!vo->has("message") || !vo->has("user")) Warn("W007", at + ": no message or user");
    inv->versions.push_back(std::move(v));
  }
}

void ObjectVerifier::CheckFixityBlock(const Object::Ptr& o, ParsedInventory* inv) {
  std::string where = inv->where;
  Var f = o->get("fixity");
  if (!IsObject(f)) {
    Fail("E111", where + ": fixity is not a JSON object");
    return;
  }
  Object::Ptr fixity = f.extract<Object::Ptr>();
  for (const auto& algorithm : fixity->getNames()) {
    if (kFixityAlgorithms.count(algorithm) == 0) {
      Fail("E056", where + ": fixity algorithm " + algorithm + " is not a known digest algorithm");
      continue;
    }
    Var block = fixity->get(algorithm);
    if (!IsObject(block)) {
      Fail("E057", where + ": fixity " + algorithm + " is not a JSON object");
      continue;
    }
    Object::Ptr b = block.extract<Object::Ptr>();
    std::set<std::string> lowered;
    std::vector<std::string> all_paths;
    for (const auto& digest : b->getNames()) {
      if (!lowered.insert(ToLower(digest)).second)
        Fail("E097", where + ": fixity " + algorithm + " digest " + digest.substr(0, 16) + "… appears twice");
      std::optional<std::vector<std::string>> value = StringArray(b->get(digest));
      if (!value) {
        Fail("E057", where + ": fixity " + algorithm + " value is not an array of content paths");
        continue;
      }
      for (const std::string& path : *value) {
        std::string broken = PathRuleBroken(path, "E100", "E099");
        if (!broken.empty()) Fail(broken, where + ": fixity content path \"" + path + "\" is not a valid path");
        else if (inv->content_to_digest.count(path) == 0)
          Fail("E057", where + ": fixity content path " + path + " is not in the manifest");
        all_paths.push_back(path);
        inv->fixity[algorithm][digest].push_back(path);
      }
    }
    for (const auto& bad : ConflictingPaths(all_paths))
      Fail("E101", where + ": fixity " + algorithm + " content paths not unique: " + bad);
  }
}

void ObjectVerifier::CheckRootEntries(const ParsedInventory& inv) {
  for (const auto& e : fs::List(report_.object_root)) {
    const std::string& n = e.name;
    if (n.rfind("0=", 0) == 0 || n == "inventory.json") continue;
    if (n == "inventory.json." + inv.algorithm && e.is_file) continue;
    if (n == "logs" && e.is_dir) continue;
    if (n == "extensions" && e.is_dir) {
      for (const auto& x : fs::List(Path("extensions"))) {
        if (!x.is_dir) Fail("E067", "extensions/" + x.name + " is not an extension directory");
        else if (kRegisteredExtensions.count(x.name) == 0)
          Warn("W013", "extensions/" + x.name + " is not a registered extension");
      }
      continue;
    }
    if (VersionNumber(n) >= 1 && e.is_dir) {
      if (inv.Find(n) == nullptr) Fail("E046", n + "/ is a version directory the inventory does not list");
      continue;
    }
    Fail("E001", n + (e.is_dir ? "/" : "") + " is not allowed in an object root");
  }
}

// Compares a prior version inventory with the root inventory: the history it states must be the same (E066) and
// should carry the same metadata (W011). Digest algorithms may differ, so states are compared through content paths.
void ObjectVerifier::CheckPriorInventory(const ParsedInventory& root, const ParsedInventory& prior,
                                         const std::string& vname) {
  std::string where = vname + "/inventory.json";
  if (!prior.id.empty() && !root.id.empty() && prior.id != root.id)
    Fail("E037", where + ": id " + prior.id + " differs from the root inventory's " + root.id);
  if (prior.head != vname) Fail("E040", where + ": head is " + prior.head + ", not " + vname);
  if (prior.has_content_directory != root.has_content_directory ||
      prior.content_directory != root.content_directory)
    Fail("E019", where + ": contentDirectory differs from the root inventory's");
  for (const auto& pv : prior.versions) {
    const ParsedVersion* rv = root.Find(pv.name);
    if (rv == nullptr) {
      Fail("E066", where + ": version " + pv.name + " is not in the root inventory");
      continue;
    }
    bool same = pv.state.size() == rv->state.size();
    for (auto a = pv.state.begin(), b = rv->state.begin(); same && a != pv.state.end(); ++a, ++b) {
      if (a->first != b->first) {
        same = false;
      } else if (prior.algorithm == root.algorithm) {
        same = ToLower(a->second) == ToLower(b->second);
      } else {
        auto pm = prior.manifest.find(a->second);
        auto rm = root.manifest.find(b->second);
        std::set<std::string> pp, rp;
        if (pm != prior.manifest.end()) pp.insert(pm->second.begin(), pm->second.end());
        if (rm != root.manifest.end()) rp.insert(rm->second.begin(), rm->second.end());
        same = pp == rp;
      }
    }
    if (!same) Fail("E066", where + ": state of " + pv.name + " differs from the root inventory's");
    bool meta_same = pv.created == rv->created && pv.message.toString() == rv->message.toString() &&
                     pv.user.isEmpty() == rv->user.isEmpty();
    if (meta_same && !pv.user.isEmpty() && IsObject(pv.user) && IsObject(rv->user)) {
      std::ostringstream a, b;
      pv.user.extract<Object::Ptr>()->stringify(a);
      rv->user.extract<Object::Ptr>()->stringify(b);
      meta_same = a.str() == b.str();
    }
    if (!meta_same) Warn("W011", where + ": created/message/user of " + pv.name + " differ from the root inventory's");
  }
}

// Every content path a manifest lists (for versions up to `up_to_version`) exists and has the stated digest.
void ObjectVerifier::CheckManifestFixity(const ParsedInventory& inv, int up_to_version) {
  if (inv.algorithm.empty()) return;
  for (const auto& [content_path, digest] : inv.content_to_digest) {
    int n = VersionNumber(content_path.substr(0, content_path.find('/')));
    if (n > up_to_version) continue;
    if (CheckPathRules(content_path) != PathFault::kNone) continue;  // E099/E100 reported; never looked up outside
    if (!fs::IsFile(Path(content_path))) {
      Fail("E092", inv.where + ": content file " + content_path + " does not exist");
      continue;
    }
    if (DigestOf(inv.algorithm, content_path) != ToLower(digest))
      Fail("E092", content_path + ": " + inv.algorithm + " mismatch (" + inv.where + ")");
  }
  for (const auto& [algorithm, block] : inv.fixity) {
    if (!IsSupportedDigest(algorithm)) continue;  // E028: unsupported fixity algorithms are ignored
    for (const auto& [digest, paths] : block)
      for (const auto& content_path : paths) {
        if (CheckPathRules(content_path) != PathFault::kNone) continue;  // E099/E100 reported
        if (!fs::IsFile(Path(content_path))) {
          Fail("E093", inv.where + ": fixity names missing file " + content_path);
          continue;
        }
        if (DigestOf(algorithm, content_path) != ToLower(digest))
          Fail("E093", content_path + ": fixity " + algorithm + " mismatch (" + inv.where + ")");
      }
  }
}

void ObjectVerifier::CheckVersionDirectory(const ParsedInventory& root, const ParsedVersion& version,
                                           std::optional<ParsedInventory>* previous) {
  const std::string& vname = version.name;
  if (!fs::IsDir(Path(vname))) {
    Fail("E010", vname + "/ is listed in the inventory but missing");
    return;
  }
  bool has_inventory = false;
  for (const auto& e : fs::List(Path(vname))) {
    if (e.name == "inventory.json" && e.is_file) {
      has_inventory = true;
    } else if (e.name.rfind("inventory.json.", 0) == 0 && e.is_file) {
      // the sidecar; checked with the inventory
    } else if (e.name == root.content_directory && e.is_dir) {
      // content; walked below
    } else if (e.is_dir) {
      Warn("W002", vname + "/" + e.name + "/ is an extra directory in a version directory");
    } else {
      Fail("E015", vname + "/" + e.name + " is not allowed in a version directory");
    }
  }
  // Content files of this version: every file is in the manifest, no empty directories.
  std::set<std::string>& mine = content_by_version_[vname];
  std::vector<std::string> stack = {vname + "/" + root.content_directory};
  while (!stack.empty()) {
    std::string dir = stack.back();
    stack.pop_back();
    if (!fs::IsDir(Path(dir))) continue;
    auto entries = fs::List(Path(dir));
    if (entries.empty()) Fail("E024", dir + "/ is an empty directory in a content directory");
    for (const auto& e : entries) {
      std::string rel = dir + "/" + e.name;
      if (e.is_dir) {
        stack.push_back(rel);
      } else {
        if (!e.is_file) Fail("E090", rel + " is not a regular file");
        mine.insert(rel);
        content_files_.insert(rel);
      }
    }
  }
  if (!has_inventory) {
    Warn("W010", vname + "/ has no inventory.json");
    return;
  }
  std::optional<ParsedInventory> inv =
      vname == fallback_head_ ? std::optional<ParsedInventory>(root) : CheckInventory(vname, vname + " inventory");
  if (!inv) return;
  if (vname == root.head) {
    if (inv->bytes != root.bytes) Fail("E064", "inventory.json differs from " + vname + "/inventory.json");
  } else {
    CheckPriorInventory(root, *inv, vname);
    // Content of this and earlier versions must be in this inventory's manifest too.
    int n = VersionNumber(vname);
    for (const auto& [v, files] : content_by_version_) {
      if (VersionNumber(v) > n) continue;
      for (const auto& f : files)
        if (inv->content_to_digest.count(f) == 0)
          Fail("E023", f + " is not in the manifest of " + vname + "/inventory.json");
    }
    CheckManifestFixity(*inv, n);
  }
  if (*previous && !(*previous)->spec.empty() && !inv->spec.empty() && inv->spec < (*previous)->spec)
    Fail("E103", vname + "/inventory.json declares an older OCFL version than the version before it");
  *previous = std::move(inv);
}

void ObjectVerifier::CheckContent(const ParsedInventory& root) {
  for (const auto& f : content_files_)
    if (root.content_to_digest.count(f) == 0) Fail("E023", f + " is not in the manifest");
  CheckManifestFixity(root, 1 << 30);
}

VerifyReport ObjectVerifier::Run() {
  try {
    if (!fs::IsDir(report_.object_root)) {
      Fail("E003", "no object root at " + report_.object_root);
      return report_;
    }
    std::vector<std::string> declarations;
    for (const auto& e : fs::List(report_.object_root))
      if (e.name.rfind("0=", 0) == 0) declarations.push_back(e.name);
    std::string spec;
    if (declarations.empty()) {
      Fail("E003", "no object declaration (0=ocfl_object_1.1)");
    } else if (declarations.size() > 1) {
      Fail("E003", "more than one object declaration");
    } else {
      const std::string& d = declarations.front();
      if (d == "0=ocfl_object_1.1") spec = "1.1";
      else if (d == "0=ocfl_object_1.0") spec = "1.0";
      else Fail("E004", d + " is not an OCFL object declaration");
      if (!spec.empty() && (!fs::IsFile(Path(d)) || fs::Read(Path(d)) != d.substr(2) + "\n"))
        Fail("E007", d + " does not contain \"" + d.substr(2) + "\\n\"");
    }
    if (!fs::IsFile(Path("inventory.json"))) {
      Fail("E063", "no inventory.json in the object root");
      return report_;
    }
    std::optional<ParsedInventory> root = CheckInventory("", "root inventory");
    if (!root) {
      // Keep going with the newest version's inventory, so one broken file does not hide the other problems.
      std::string newest;
      for (const auto& e : fs::List(report_.object_root))
        if (e.is_dir && VersionNumber(e.name) > VersionNumber(newest) && fs::IsFile(Path(e.name + "/inventory.json")))
          newest = e.name;
      if (newest.empty()) return report_;
      root = CheckInventory(newest, newest + " inventory");
      if (!root) return report_;
      fallback_head_ = newest;
    }
    report_.object_id = root->id;
    if (!spec.empty() && !root->spec.empty() && spec != root->spec)
      Fail("E038", "inventory type is OCFL " + root->spec + " but the declaration says " + spec);
    CheckRootEntries(*root);
    std::optional<ParsedInventory> previous;
    for (const auto& v : root->versions) CheckVersionDirectory(*root, v, &previous);
    CheckContent(*root);
  } catch (const std::exception& e) {
    Fail("E033", std::string("unreadable object: ") + e.what());
  }
  return report_;
}

}  // namespace

VerifyReport VerifyObject(const std::string& object_root) { return ObjectVerifier(object_root).Run(); }

std::vector<VerifyReport> VerifyStore(const std::string& root, const std::vector<std::string>& object_ids) {
  std::vector<VerifyReport> reports;
  VerifyReport storage;
  storage.object_root = root;
  auto fail = [&](const std::string& code, const std::string& message) {
    storage.issues.push_back({code, message, true});
  };
  std::string declaration = fs::Join(root, "0=ocfl_1.1");
  if (!fs::IsFile(declaration)) fail("E069", "no storage root declaration 0=ocfl_1.1");
  else if (fs::Read(declaration) != "ocfl_1.1\n") fail("E080", "0=ocfl_1.1 does not contain \"ocfl_1.1\\n\"");
  std::string layout = fs::Join(root, "ocfl_layout.json");
  if (fs::IsFile(layout)) {
    try {
      Poco::JSON::Parser parser;
      Var v = parser.parse(fs::Read(layout));
      if (!IsObject(v) || !v.extract<Object::Ptr>()->has("extension") ||
          !v.extract<Object::Ptr>()->has("description"))
        fail("E070", "ocfl_layout.json lacks extension or description");
      else if (v.extract<Object::Ptr>()->getValue<std::string>("extension") != kLayoutExtension)
        fail("E071", "ocfl_layout.json names a layout this store does not use");
    } catch (const Poco::Exception& e) {
      fail("E070", "ocfl_layout.json is not JSON: " + e.displayText());
    }
  }
  for (const auto& e : fs::List(fs::Join(root, "extensions")))
    if (!e.is_dir) fail("E112", "extensions/" + e.name + " is not an extension directory");

  std::vector<std::pair<std::string, std::string>> objects;  // (object root, expected id or "")
  if (!object_ids.empty()) {
    for (const auto& id : object_ids) objects.emplace_back(fs::Join(root, ObjectPathFromHash(ObjectHash(id))), id);
  } else {
    // Walk the 0004 hierarchy: three tuple levels, then object roots. Anything else is not ours to hold.
    std::vector<std::pair<std::string, int>> stack;
    for (const auto& e : fs::List(root)) {
      if (e.name == "extensions" || e.name == "0=ocfl_1.1" || e.name == "ocfl_layout.json") continue;
      if (!e.is_dir) {
        if (e.name.rfind(".zhiping-init.", 0) != 0) fail("E072", e.name + " is not part of any object");
        continue;
      }
      stack.emplace_back(e.name, 1);
    }
    while (!stack.empty()) {
      auto [rel, depth] = stack.back();
      stack.pop_back();
      std::string abs = fs::Join(root, rel);
      auto entries = fs::List(abs);
      bool is_object = false;
      for (const auto& e : entries)
        if (e.name.rfind("0=ocfl_object_", 0) == 0) is_object = true;
      if (is_object) {
        objects.emplace_back(abs, "");
        continue;
      }
      if (entries.empty()) fail("E073", rel + "/ is an empty directory");
      for (const auto& e : entries) {
        if (!e.is_dir) fail("E084", rel + "/" + e.name + " is a file in the storage hierarchy");
        else stack.emplace_back(rel + "/" + e.name, depth + 1);
      }
    }
    std::sort(objects.begin(), objects.end());
  }
  reports.push_back(storage);
  for (const auto& [object_root, id] : objects) {
    if (!fs::IsDir(object_root)) {
      VerifyReport missing;
      missing.object_root = object_root;
      missing.object_id = id;
      missing.issues.push_back({"E063", "no object " + id + " in this storage root", true});
      reports.push_back(missing);
      continue;
    }
    VerifyReport r = VerifyObject(object_root);
    if (!r.object_id.empty()) {
      std::string expected = fs::Join(root, ObjectPathFromHash(ObjectHash(r.object_id)));
      if (expected != object_root)
        r.issues.push_back({"E083", "object " + r.object_id + " is not at its 0004 path " + expected, true});
    }
    reports.push_back(std::move(r));
  }
  return reports;
}

}  // namespace zhiping::archive
