#include "archive/inventory.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "common/error.h"
#include "common/json.h"

namespace zhiping::archive {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

[[noreturn]] void Malformed(const std::string& why) {
  throw Error(ErrorKind::kInternal, "inventory is not usable: " + why);
}

std::string GetString(const Object::Ptr& o, const std::string& key, bool required) {
  if (!o->has(key)) {
    if (required) Malformed("missing " + key);
    return "";
  }
  Poco::Dynamic::Var v = o->get(key);
  if (!v.isString()) Malformed(key + " is not a string");
  return v.extract<std::string>();
}

DigestMap GetDigestMap(const Object::Ptr& o, const std::string& key) {
  DigestMap out;
  Object::Ptr m = o->getObject(key);
  if (m.isNull()) Malformed(key + " is not an object");
  for (const auto& name : m->getNames()) {
    Array::Ptr a = m->getArray(name);
    if (a.isNull()) Malformed(key + "/" + name + " is not an array");
    std::vector<std::string>& paths = out[name];
    for (size_t i = 0; i < a->size(); ++i) {
      Poco::Dynamic::Var p = a->get(static_cast<unsigned>(i));
      if (!p.isString()) Malformed(key + "/" + name + " holds a non-string");
      paths.push_back(p.extract<std::string>());
    }
  }
  return out;
}


void AppendDigestMap(const DigestMap& m, const std::string& indent, std::string* out) {
  if (m.empty()) {
    *out += "{}";
    return;
  }
  *out += "{\n";
  size_t i = 0;
  for (const auto& [digest, paths] : m) {
    *out += indent + "  ";
    AppendJsonString(digest, out);
    *out += ": [";
    for (size_t j = 0; j < paths.size(); ++j) {
      *out += j == 0 ? "\n" : ",\n";
      *out += indent + "    ";
      AppendJsonString(paths[j], out);
    }
    *out += "\n" + indent + "  ]";
    *out += ++i < m.size() ? ",\n" : "\n";
  }
  *out += indent + "}";
}

}  // namespace

const InventoryVersion* Inventory::Find(const std::string& version) const {
  for (const auto& v : versions)
    if (v.name == version) return &v;
  return nullptr;
}

Inventory ParseInventory(const std::string& text) {
  Poco::Dynamic::Var root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(text);
  } catch (const Poco::Exception& e) {
    Malformed("not JSON (" + e.displayText() + ")");
  }
  if (root.type() != typeid(Object::Ptr)) Malformed("not a JSON object");
  Object::Ptr o = root.extract<Object::Ptr>();
  Inventory inv;
  try {
    inv.id = GetString(o, "id", true);
    inv.type = GetString(o, "type", true);
    inv.digest_algorithm = GetString(o, "digestAlgorithm", true);
    inv.head = GetString(o, "head", true);
    inv.content_directory = GetString(o, "contentDirectory", false);
    inv.manifest = GetDigestMap(o, "manifest");
    Object::Ptr versions = o->getObject("versions");
    if (versions.isNull()) Malformed("versions is not an object");
    for (const auto& name : versions->getNames()) {
      Object::Ptr vo = versions->getObject(name);
      if (vo.isNull() || VersionNumber(name) < 1) Malformed("bad version " + name);
      InventoryVersion v;
      v.name = name;
      v.created = GetString(vo, "created", true);
      v.has_message = vo->has("message");
      v.message = GetString(vo, "message", false);
      Object::Ptr user = vo->getObject("user");
      if (!user.isNull()) {
        v.has_user = true;
        v.user.name = GetString(user, "name", false);
        v.user.address = GetString(user, "address", false);
      }
      v.state = GetDigestMap(vo, "state");
      inv.versions.push_back(std::move(v));
    }
  } catch (const Poco::Exception& e) {
    Malformed(e.displayText());
  }
  std::sort(inv.versions.begin(), inv.versions.end(), [](const InventoryVersion& a, const InventoryVersion& b) {
    return VersionNumber(a.name) < VersionNumber(b.name);
  });
  if (inv.versions.empty() || inv.versions.back().name != inv.head) Malformed("head is not the newest version");
  return inv;
}

std::string SerializeInventory(const Inventory& inv) {
  std::string out = "{\n  \"id\": ";
  AppendJsonString(inv.id, &out);
  out += ",\n  \"type\": ";
  AppendJsonString(inv.type, &out);
  out += ",\n  \"digestAlgorithm\": ";
  AppendJsonString(inv.digest_algorithm, &out);
  out += ",\n  \"head\": ";
  AppendJsonString(inv.head, &out);
  if (!inv.content_directory.empty()) {
    out += ",\n  \"contentDirectory\": ";
    AppendJsonString(inv.content_directory, &out);
  }
  out += ",\n  \"manifest\": ";
  AppendDigestMap(inv.manifest, "  ", &out);
  out += ",\n  \"versions\": {";
  for (size_t i = 0; i < inv.versions.size(); ++i) {
    const InventoryVersion& v = inv.versions[i];
    out += i == 0 ? "\n    " : ",\n    ";
    AppendJsonString(v.name, &out);
    out += ": {\n      \"created\": ";
    AppendJsonString(v.created, &out);
    if (v.has_message) {
      out += ",\n      \"message\": ";
      AppendJsonString(v.message, &out);
    }
    out += ",\n      \"state\": ";
    AppendDigestMap(v.state, "      ", &out);
    if (v.has_user) {
      out += ",\n      \"user\": {\n        \"name\": ";
      AppendJsonString(v.user.name, &out);
      if (!v.user.address.empty()) {
        out += ",\n        \"address\": ";
        AppendJsonString(v.user.address, &out);
      }
      out += "\n      }";
    }
    out += "\n    }";
  }
  out += inv.versions.empty() ? "}\n}\n" : "\n  }\n}\n";
  return out;
}

std::string SidecarText(const std::string& digest) { return digest + " inventory.json\n"; }

std::string SidecarDigest(const std::string& text) {
  size_t end = text.find_first_of(" \t");
  if (end == std::string::npos || end == 0) return "";
  std::string digest = text.substr(0, end);
  for (char c : digest)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return "";
  size_t name = text.find_first_not_of(" \t", end);
  if (name == std::string::npos) return "";
  std::string rest = text.substr(name);
  while (!rest.empty() && (rest.back() == '\n' || rest.back() == '\r' || rest.back() == ' ')) rest.pop_back();
  if (rest != "inventory.json") return "";
  return digest;
}

int VersionNumber(const std::string& name) {
  if (name.size() < 2 || name[0] != 'v' || name.size() > 10) return -1;
  int n = 0;
  for (size_t i = 1; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return -1;
    n = n * 10 + (name[i] - '0');
  }
  return n >= 1 ? n : -1;
}

std::string VersionName(int n, const std::string& like) {
  std::string digits = std::to_string(n);
  if (like.size() > 2 && like[1] == '0') {
    size_t width = like.size() - 1;
    if (digits.size() < width) digits = std::string(width - digits.size(), '0') + digits;
  }
  return "v" + digits;
}

std::map<std::string, std::string> StateByPath(const DigestMap& state) {
  std::map<std::string, std::string> out;
  for (const auto& [digest, paths] : state)
    for (const auto& p : paths) out[p] = digest;
  return out;
}

}  // namespace zhiping::archive
