#include "service/config.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/String.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <map>
#include <set>
#include <thread>

#include "common/error.h"

namespace zhiping::service {

namespace {

const struct {
  Role role;
  const char* name;
} kRoleNames[] = {{kRoleRender, "render"}, {kRoleIssue, "issue"}, {kRoleRead, "read"}, {kRoleAdmin, "admin"}};

// Every leaf key below `prefix`, depth first (AbstractConfiguration only lists one level at a time).
void CollectKeys(const Poco::Util::AbstractConfiguration& conf, const std::string& prefix,
                 std::vector<std::string>* out) {
  Poco::Util::AbstractConfiguration::Keys keys;
  conf.keys(prefix, keys);
  if (keys.empty()) {
    if (!prefix.empty()) out->push_back(prefix);
    return;
  }
  // A key can be both a value and a prefix ("a = 1" and "a.b = 2"); keep the value too so it is checked.
  if (!prefix.empty() && conf.hasProperty(prefix)) out->push_back(prefix);
  for (const auto& k : keys) CollectKeys(conf, prefix.empty() ? k : prefix + "." + k, out);
}

// Keys whose value is a path, resolved against the configuration file's folder.
const std::map<std::string, std::string ServiceConfig::*> kPathKeys = {
    {"archive.dir", &ServiceConfig::archive_dir},     {"templates.dir", &ServiceConfig::templates_dir},
    {"fonts.role_map", &ServiceConfig::font_role_map}, {"fonts.cache_dir", &ServiceConfig::font_cache_dir},
    {"sign.key", &ServiceConfig::sign_key},           {"sign.cert", &ServiceConfig::sign_cert},
    {"sign.chain", &ServiceConfig::sign_chain},       {"sign.dev_identity_dir", &ServiceConfig::dev_identity_dir},
    {"calendar.file", &ServiceConfig::calendar_file}, {"sign.tsa_ca", &ServiceConfig::tsa_ca},
    {"seal.key", &ServiceConfig::seal_key},           {"seal.cert", &ServiceConfig::seal_cert},
    {"seal.file", &ServiceConfig::seal_file},         {"seal.chain", &ServiceConfig::seal_chain},
    {"seal.dev_dir", &ServiceConfig::seal_dev_dir},
    {"sign.seal_image", &ServiceConfig::seal_image},
};

bool ParseInt(const std::string& text, long min, long max, long* value) {
  std::string t = Poco::trim(text);
  if (t.empty()) return false;
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(t.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || v < min || v > max) return false;
  *value = v;
  return true;
}

// "8388608", "512 KiB", "8MiB" -> bytes.
bool ParseSize(const std::string& text, size_t* bytes) {
  std::string t = Poco::trim(text);
  size_t digits = 0;
  while (digits < t.size() && t[digits] >= '0' && t[digits] <= '9') ++digits;
  if (digits == 0 || digits > 12) return false;
  unsigned long long n = std::stoull(t.substr(0, digits));
  std::string unit = Poco::toLower(Poco::trim(t.substr(digits)));
  if (unit.empty() || unit == "b") {
  } else if (unit == "kib" || unit == "k") {
    n *= 1024ull;
  } else if (unit == "mib" || unit == "m") {
    n *= 1024ull * 1024ull;
  } else if (unit == "gib" || unit == "g") {
    n *= 1024ull * 1024ull * 1024ull;
  } else {
    return false;
  }
  if (n == 0) return false;
  *bytes = static_cast<size_t>(n);
  return true;
}

bool IsHexDigest(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// 1-64 of A-Z a-z 0-9 and the characters of `punctuation`.
bool IsNameOf(const std::string& name, const std::string& punctuation) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              punctuation.find(c) != std::string::npos;
    if (!ok) return false;
  }
  return true;
}

bool IsTokenName(const std::string& name) { return IsNameOf(name, "_-"); }

// Written into every JSON log line and the one thing telling instances apart: a host name's characters.
bool IsInstanceName(const std::string& name) { return IsNameOf(name, "_-.:"); }

bool ParseLogFormat(const std::string& text, LogFormat* format) {
  std::string v = Poco::toLower(Poco::trim(text));
  if (v == "text") *format = LogFormat::kText;
  else if (v == "json") *format = LogFormat::kJson;
  else return false;
  return true;
}

std::string ResolvePath(const std::string& value, const std::string& base_dir) {
  if (value.empty() || base_dir.empty()) return value;
  Poco::Path p(value);
  if (p.isAbsolute()) return value;
  return Poco::Path(base_dir).makeDirectory().resolve(p).toString();
}

}  // namespace

bool ParseRoles(const std::string& text, RoleSet* roles, std::string* bad) {
  RoleSet out = 0;
  std::string word;
  auto flush = [&]() -> bool {
    std::string w = Poco::trim(word);
    word.clear();
    if (w.empty()) return true;
    for (const auto& r : kRoleNames) {
      if (w == r.name) {
        out |= r.role;
        return true;
      }
    }
    *bad = w;
    return false;
  };
  for (char c : text) {
    if (c == ',' || c == ' ' || c == '\t') {
      if (!flush()) return false;
    } else {
      word += c;
    }
  }
  if (!flush()) return false;
  *roles = out;
  return true;
}

std::string FormatRoles(RoleSet roles) {
  std::string out;
  for (const auto& r : kRoleNames) {
    if (roles & r.role) out += (out.empty() ? "" : ",") + std::string(r.name);
  }
  return out;
}

int EffectiveMaxBusy(const ServiceConfig& config) {
  if (config.max_busy > 0) return config.max_busy;
  return 2 * std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
}

LogOptions LogOptionsFor(const ServiceConfig& config) {
  LogOptions options;
  options.format = config.log_format;
  options.instance = config.instance.empty() ? HostName() : config.instance;
  options.utc_offset_minutes = config.log_utc_offset_minutes;
  return options;
}

std::optional<std::string> SystemEnv(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

std::string TokenDigest(const std::string& token) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(token);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

ServiceConfig LoadConfig(const std::string& path, const EnvLookup& env) {
  ServiceConfig config;
  Problems problems;

  if (!path.empty()) {
    if (!Poco::File(path).exists()) throw Error(ErrorKind::kNotFound, "cannot read configuration " + path);
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> conf;
    try {
      conf = new Poco::Util::PropertyFileConfiguration(path);
    } catch (const Poco::Exception& e) {
      throw Error(ErrorKind::kNotFound, "cannot read configuration " + path + ": " + e.displayText());
    }
    std::string base_dir = Poco::Path(Poco::Path(path).absolute()).parent().toString();

    std::vector<std::string> keys;
    CollectKeys(*conf, "", &keys);
    std::map<std::string, TokenEntry> tokens;  // by name, so the file order does not matter
    for (const std::string& key : keys) {
      std::string value = Poco::trim(conf->getRawString(key, ""));
      auto bad = [&](const std::string& rule) { problems.push_back({key, rule}); };
      long n = 0;
      if (key == "server.bind") {
        if (value.empty()) bad("must name an address, e.g. 127.0.0.1");
        else config.bind = value;
      } else if (key == "server.port") {
        if (ParseInt(value, 0, 65535, &n)) config.port = static_cast<int>(n);
        else bad("must be a port number 0-65535");
      } else if (key == "server.body_limit") {
        if (!ParseSize(value, &config.body_limit)) bad("must be a size such as 8388608, 512 KiB or 8 MiB");
      } else if (key == "server.roster_body_limit") {
        if (!ParseSize(value, &config.roster_body_limit)) bad("must be a size such as 128 MiB");
      } else if (key == "server.request_timeout") {
        if (ParseInt(value, 1, 3600, &n)) config.request_timeout_seconds = static_cast<int>(n);
        else bad("must be seconds, 1-3600");
      } else if (key == "server.header_timeout") {
        if (ParseInt(value, 1, 3600, &n)) config.header_timeout_ms = static_cast<int>(n) * 1000;
        else bad("must be seconds, 1-3600");
      } else if (key == "server.body_timeout") {
        if (ParseInt(value, 1, 86400, &n)) config.body_timeout_ms = static_cast<int>(n) * 1000;
        else bad("must be seconds, 1-86400");
      } else if (key == "server.threads") {
        if (ParseInt(value, 1, 1024, &n)) config.threads = static_cast<int>(n);
        else bad("must be 1-1024");
      } else if (key == "server.max_queued") {
        if (ParseInt(value, 1, 10000, &n)) config.max_queued = static_cast<int>(n);
        else bad("must be 1-10000");
      } else if (key == "server.max_busy") {
        if (ParseInt(value, 0, 1024, &n)) config.max_busy = static_cast<int>(n);
        else bad("must be 0-1024 (0: the number of cores)");
      } else if (key == "server.queue_wait_ms") {
        if (ParseInt(value, 0, 60000, &n)) config.queue_wait_ms = static_cast<int>(n);
        else bad("must be milliseconds, 0-60000");
      } else if (key == "jobs.max_items") {
        if (ParseInt(value, 1, 1000000, &n)) config.job_max_items = static_cast<size_t>(n);
        else bad("must be 1-1000000");
      } else if (key == "jobs.max_queued") {
        if (ParseInt(value, 0, 1000, &n)) config.job_max_queued = static_cast<int>(n);
        else bad("must be 0-1000");
      } else if (key == "jobs.lease_seconds") {
        if (ParseInt(value, 3, 3600, &n)) config.job_lease_seconds = static_cast<int>(n);
        else bad("must be seconds, 3-3600");
      } else if (key == "jobs.workers") {
        if (ParseInt(value, 0, 256, &n)) config.job_workers = static_cast<int>(n);
        else bad("must be 0-256 (0: twice the number of cores)");
      } else if (key == "store.backend") {
        std::string v = Poco::toLower(Poco::trim(value));
        if (v == "sqlite" || v == "postgresql") config.store_backend = v;
        else bad("must be sqlite or postgresql");
      } else if (key == "store.database_url") {
        config.database_url = Poco::trim(value);
      } else if (key == "store.pool_size") {
        if (ParseInt(value, 2, 1000, &n)) config.database_pool = static_cast<int>(n);
        else bad("must be 2-1000");
      } else if (auto member = kPathKeys.find(key); member != kPathKeys.end()) {
        config.*(member->second) = ResolvePath(value, base_dir);
      } else if (key == "sign.visible") {
        std::string v = Poco::toLower(Poco::trim(value));
        if (v == "true" || v == "yes" || v == "on" || v == "1") config.sign_visible = true;
        else if (v == "false" || v == "no" || v == "off" || v == "0") config.sign_visible = false;
        else bad("must be true or false");
      } else if (key == "log.format") {
        if (!ParseLogFormat(value, &config.log_format)) bad("must be text or json");
      } else if (key == "log.time_zone_offset") {
        if (!ParseUtcOffset(value, &config.log_utc_offset_minutes)) bad("must be a UTC offset such as +08:00");
      } else if (key == "service.instance") {
        if (value.empty() || IsInstanceName(value)) config.instance = value;  // "": the host name
        else bad("an instance name is 1-64 of A-Z a-z 0-9 . _ : -");
      } else if (key == "sign.tsa_url") {
        if (!value.empty() && value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0) {
          bad("must be an http:// or https:// URL");
        } else {
          config.tsa_url = value;
        }
      } else if (key.rfind("countersign.", 0) == 0) {
        // countersign.NAME.dir; NAME as a token's (it is named in requests and logs).
        std::string rest = key.substr(12);
        size_t dot = rest.find('.');
        std::string name = rest.substr(0, dot);
        if (!IsTokenName(name)) bad("a countersigning identity's name is 1-64 of A-Z a-z 0-9 _ -");
        else if (dot == std::string::npos || rest.substr(dot + 1) != "dir")
          bad("unknown key; a countersigning identity has only countersign.NAME.dir");
        else if (Poco::trim(value).empty()) bad("must be a folder (docs/signing.md, Countersigning)");
        else config.countersign_identities[name] = ResolvePath(value, base_dir);
      } else if (key.rfind("token.", 0) == 0) {
        // token.NAME.digest / token.NAME.roles; NAME itself cannot contain dots.
        std::string rest = key.substr(6);
        size_t dot = rest.find('.');
        std::string name = rest.substr(0, dot);
        std::string field = dot == std::string::npos ? "" : rest.substr(dot + 1);
        TokenEntry& entry = tokens[name];
        entry.name = name;
        if (!IsTokenName(name)) {
          // The name is written to every log line; keep it to characters that cannot forge or break a line.
          bad("a token name is 1-64 of A-Z a-z 0-9 _ -");
        } else if (field == "digest") {
          std::string digest = Poco::toLower(value);
          if (!IsHexDigest(digest)) bad("must be the 64-hex-digit SHA-256 of the token (see `zhiping token-digest`)");
          entry.digest = digest;
        } else if (field == "roles") {
          std::string unknown;
          if (!ParseRoles(value, &entry.roles, &unknown)) {
            bad("unknown role '" + unknown + "' (roles: render, issue, read, admin)");
          } else if (entry.roles == 0) {
            bad("must list at least one of render, issue, read, admin");
          }
        } else {
          bad("unknown key; a token has only token.NAME.digest and token.NAME.roles");
        }
      } else {
        bad("unknown key (see docs/configuration.md)");
      }
    }
    for (auto& [name, entry] : tokens) {
      if (!IsTokenName(name)) continue;  // reported above; its other keys would only repeat the point
      if (entry.digest.empty() && !conf->hasProperty("token." + name + ".digest")) {
        problems.push_back({"token." + name + ".digest", "is required"});
      }
      if (!conf->hasProperty("token." + name + ".roles")) {
        problems.push_back({"token." + name + ".roles", "is required"});
      }
      config.tokens.push_back(entry);
    }
  }

  if (auto admin = env("ZHIPING_ADMIN_TOKEN"); admin && !admin->empty()) {
    std::vector<TokenEntry> kept;
    for (auto& t : config.tokens) {
      if (t.name != "admin") kept.push_back(t);
    }
    kept.push_back(TokenEntry{"admin", TokenDigest(*admin), kAllRoles});
    config.tokens = std::move(kept);
  }
  if (auto v = env("ZHIPING_DATABASE_URL"); v && !v->empty()) {
    config.database_url = *v;
    config.store_backend = "postgresql";
  }
  if (config.store_backend == "postgresql" && config.database_url.empty())
    problems.push_back({"store.database_url", "is required with store.backend = postgresql (or set ZHIPING_DATABASE_URL)"});
  if (config.store_backend == "sqlite" && !config.database_url.empty())
    problems.push_back({"store.backend", "is sqlite, but store.database_url is set: say store.backend = postgresql"});
  if (auto v = env("ZHIPING_SIGN_KEY"); v && !v->empty()) config.sign_key = *v;
  if (auto v = env("ZHIPING_SIGN_CERT"); v && !v->empty()) config.sign_cert = *v;
  if (auto v = env("ZHIPING_SIGN_CHAIN"); v && !v->empty()) config.sign_chain = *v;
  if (auto v = env("ZHIPING_SEAL_KEY"); v && !v->empty()) config.seal_key = *v;
  if (auto v = env("ZHIPING_SEAL_CERT"); v && !v->empty()) config.seal_cert = *v;
  if (auto v = env("ZHIPING_SEAL_FILE"); v && !v->empty()) config.seal_file = *v;
  if (auto v = env("ZHIPING_SEAL_CHAIN"); v && !v->empty()) config.seal_chain = *v;
  if (auto v = env("ZHIPING_LOG_FORMAT"); v && !v->empty()) {
    if (!ParseLogFormat(*v, &config.log_format)) problems.push_back({"ZHIPING_LOG_FORMAT", "must be text or json"});
  }
  if (auto v = env("ZHIPING_INSTANCE"); v && !v->empty()) {
    if (IsInstanceName(*v)) config.instance = *v;
    else problems.push_back({"ZHIPING_INSTANCE", "an instance name is 1-64 of A-Z a-z 0-9 . _ : -"});
  }
  if (auto v = env("ZHIPING_SEAL_IMAGE"); v && !v->empty()) {
    config.seal_image = *v;
    config.seal_image_setting = "ZHIPING_SEAL_IMAGE";
  }

  std::set<std::string> digests;
  for (const auto& t : config.tokens) {
    if (!t.digest.empty() && !digests.insert(t.digest).second) {
      problems.push_back({"token." + t.name + ".digest", "is the same token as another entry"});
    }
  }

  if (!problems.empty()) {
    std::string message = "configuration " + path + " has " + std::to_string(problems.size()) + " problem(s)";
    throw Error(ErrorKind::kInvalidInput, message, std::move(problems));
  }
  return config;
}

}  // namespace zhiping::service
