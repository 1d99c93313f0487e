// service/config.h — the service's configuration file, environment overrides and bearer tokens.
//
// The file is a Java-style property file (Poco::Util::PropertyFileConfiguration: `key = value`, `#` comments); every
// key is listed in docs/configuration.md and zhiping.example.conf. A key we do not know is an error, so a typo
// (`server.prot`) never silently falls back to a default. Relative paths in the file are resolved against the
// file's own folder, so `zhiping serve --config /etc/zhiping/zhiping.conf` works from any working directory;
// without a file the defaults are relative to the working directory.
//
// Tokens are stored as the SHA-256 hex digest of the token, never the token itself (`zhiping token-digest`
// prints the digest). The environment adds to the file: ZHIPING_ADMIN_TOKEN is a token named "admin" with every
// role (replacing a file entry of that name); ZHIPING_SIGN_KEY/CERT/CHAIN override sign.key/cert/chain;
// ZHIPING_SEAL_KEY/CERT/FILE/CHAIN override seal.key/cert/file/chain; ZHIPING_LOG_FORMAT and ZHIPING_INSTANCE
// override log.format and service.instance (one configuration file for several instances, each named by its unit).
//
// LoadConfig throws zhiping::Error kInvalidInput listing every problem, each with the key as pointer
// ("token.ops.roles: unknown role 'writer'"), or kNotFound when the file cannot be read.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <map>
#include <string>
#include <vector>

#include "issuing/policy.h"
#include "service/service_log.h"

namespace zhiping::service {

// Roles a token can hold; a route names the roles that may call it (the rule: issuing/policy.h).
using issuing::kAllRoles;
using issuing::kRoleAdmin;
using issuing::kRoleIssue;
using issuing::kRoleRead;
using issuing::kRoleRender;
using issuing::Role;
using issuing::RoleSet;

// "render, read" -> kRoleRender|kRoleRead. Returns false and names the first unknown word in `bad`.
bool ParseRoles(const std::string& text, RoleSet* roles, std::string* bad);
// "render,issue" in the canonical order; "" for none.
std::string FormatRoles(RoleSet roles);

struct TokenEntry {
  std::string name;    // shown in logs instead of the token
  std::string digest;  // lowercase hex SHA-256 of the token (64 characters)
  RoleSet roles = 0;
};

struct ServiceConfig {
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0: an ephemeral port (tests)
  std::string archive_dir = "archive";
  std::string templates_dir = "templates";
  std::string font_role_map = "fonts/fonts.conf";
  std::string font_cache_dir;                // "": the renderer's default ($XDG_CACHE_HOME/zhiping/fonts)
  size_t body_limit = issuing::kDefaultBodyLimit;  // bytes of request body we agree to read
  size_t roster_body_limit = issuing::kDefaultRosterBodyLimit;  // a roster draft's body, spooled to a file
  int request_timeout_seconds = 60;          // socket send/receive timeout per request
  int header_timeout_ms = 10000;             // connect (or previous answer + keep-alive wait) to complete headers
  int body_timeout_ms = 120000;              // complete headers to the body's last byte
  int threads = 128;                         // connections served at once (keep-alive holds a thread); cheap
  int max_queued = 64;                       // accepted connections waiting for a thread
  int max_busy = 0;                          // render/issue/job requests at work at once (0: EffectiveMaxBusy)
  int queue_wait_ms = 300;                   // a heavy request waits this long for a max_busy slot, then 429
  size_t job_max_items = issuing::kDefaultBulkMaxItems;  // items in one bulk job (and `zhiping bulk`)
  int job_max_queued = 4;                    // bulk jobs waiting behind the running one; more get 429
  std::string sign_key, sign_cert, sign_chain;  // PEM paths; "" means a development identity
  std::string tsa_url;                          // RFC 3161 time-stamp authority; "" means no time stamp
  std::string tsa_ca;                           // PEM CAs trusted for an https:// TSA; "": the system's store
  bool sign_visible = true;                     // a visible signature at the template's seal place, when it has one
  std::string seal_image;                       // PNG/JPEG the visible signature draws (sign/seal_image.h); "": none
  std::string seal_image_setting = "sign.seal_image";  // where it came from, for errors (or ZHIPING_SEAL_IMAGE)
  std::string dev_identity_dir;                 // "": <archive_dir>/../.zhiping/dev-identity
  // The OFD electronic seal (seal/seal_identity.h): SM2 key and certificate (PEM), the seal (.esl, DER SESeal),
  // further certificates (PEM). All empty: the development seal, kept in seal_dev_dir.
  std::string seal_key, seal_cert, seal_file, seal_chain;
  std::string seal_dev_dir;                     // "": <archive_dir>/../.zhiping/dev-seal
  // Countersigning organs of joint documents (countersign.NAME.dir): NAME -> its identity folder
  // (issuing/countersign_identity.h), relative paths resolved against the configuration file's folder.
  std::map<std::string, std::string> countersign_identities;
  std::string calendar_file;                    // public holidays added to the built-in ones; "": built-in only
  // Where jobs, their leases and the archive's object index live (docs/deploy.md): "sqlite" (the embedded default,
  // <archive's parent>/.zhiping/jobs/jobs.sqlite) or "postgresql" (store.database_url, a libpq connection string;
  // ZHIPING_DATABASE_URL overrides it, and alone chooses postgresql).
  std::string store_backend = "sqlite";
  std::string database_url;
  int database_pool = 32;                       // PostgreSQL sessions one instance opens at most
  int job_lease_seconds = 30;                   // a claimed part of a job is another instance's after this
  int job_workers = 0;                          // items issued at once by this instance (0: cores × 2)
  std::vector<TokenEntry> tokens;
  // The log (service/service_log.h): log.format / ZHIPING_LOG_FORMAT, log.time_zone_offset (minutes east of UTC),
  // service.instance / ZHIPING_INSTANCE ("": the host name). log_sink is never read from the file: a test or an
  // embedding program sets it; null is stderr.
  LogFormat log_format = LogFormat::kText;
  int log_utc_offset_minutes = 8 * 60;
  std::string instance;
  std::shared_ptr<LogSink> log_sink;
};

// The log options `config` asks for, the instance name defaulted to the host name.
LogOptions LogOptionsFor(const ServiceConfig& config);

// server.max_busy as configured, or by default twice the number of cores (at least 4): rendering is CPU-bound, but
// issuing waits on fsync and signing on a time-stamp authority, and with one slot per core those waits left cores
// idle (measured with wrk, bench/http_bench.sh: 16 connections ran ~17% slower with 2 slots than with 4 on 2 cores).
int EffectiveMaxBusy(const ServiceConfig& config);

// Looks up an environment variable; std::nullopt when unset. Injected so tests need not touch the real environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
std::optional<std::string> SystemEnv(const std::string& name);

// Reads `path` ("" for defaults only), then applies the environment.
ServiceConfig LoadConfig(const std::string& path, const EnvLookup& env = SystemEnv);

// Lowercase hex SHA-256 of `token` — what the configuration stores.
std::string TokenDigest(const std::string& token);

}  // namespace zhiping::service
