#include "jobs/job_store.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <tuple>

#include "common/durable_file.h"
#include "common/error.h"
#include "common/json.h"

using namespace Poco::Data::Keywords;

namespace zhiping::jobs {

namespace {

void MakeDirs(const std::string& dir) {
  std::string cur;
  for (size_t i = 0; i < dir.size(); ++i) {
    cur += dir[i];
    if ((dir[i] == '/' && i > 0) || i + 1 == dir.size()) ::mkdir(cur.c_str(), 0755);
  }
}

std::string NewId() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) throw Error(ErrorKind::kInternal, "no random bytes for a job id");
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned char c : b) s += hex[c >> 4], s += hex[c & 15];
  return s;
}

}  // namespace

bool JobStore::IsValidJobId(const std::string& id) {
  if (id.size() != 32) return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

JobStore::JobStore(std::string state_dir) : dir_(std::move(state_dir)) {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
  MakeDirs(dir_ + "/jobs");
  try {
    db_ = std::make_unique<Poco::Data::Session>("SQLite", dir_ + "/jobs.sqlite");
    *db_ << "PRAGMA journal_mode=WAL", now;
    *db_ << "CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, state TEXT, user TEXT, created TEXT, message TEXT,"
            " done INTEGER, failed INTEGER, total INTEGER)", now;
    *db_ << "CREATE TABLE IF NOT EXISTS failures (job TEXT, idx INTEGER, reason TEXT)", now;
    *db_ << "CREATE TABLE IF NOT EXISTS issued (job TEXT, idx INTEGER, applicant TEXT, version TEXT, created INTEGER)",
        now;
    // Added with bulk review forms and reports: a job's kind (jobs/bulk_kind.h), an issued item's archive object
    // and path. A database from before gets them with the values its jobs had (letters).
    AddColumnIfMissing("jobs", "kind", "TEXT NOT NULL DEFAULT 'letters'");
    AddColumnIfMissing("issued", "object", "TEXT NOT NULL DEFAULT ''");
    AddColumnIfMissing("issued", "path", "TEXT NOT NULL DEFAULT ''");
    // Added with OFD: whether the job issues each document's sealed OFD too (jobs from before did not).
    AddColumnIfMissing("jobs", "ofd", "INTEGER NOT NULL DEFAULT 0");
    *db_ << "CREATE INDEX IF NOT EXISTS failures_job ON failures(job)", now;
    *db_ << "CREATE INDEX IF NOT EXISTS issued_job ON issued(job)", now;
    int n = 0;
    *db_ << "SELECT COUNT(*) FROM jobs WHERE state IN ('queued','running')", into(n), now;
    interrupted_at_open_ = static_cast<size_t>(n);
    *db_ << "UPDATE jobs SET state='interrupted' WHERE state IN ('queued','running')", now;
  } catch (const Poco::Exception& e) {
    throw Error(ErrorKind::kInternal, "job database " + dir_ + "/jobs.sqlite: " + e.displayText());
  }
}

JobStore::~JobStore() = default;

void JobStore::AddColumnIfMissing(const std::string& table, const std::string& column, const std::string& type) {
  int n = 0;
  std::string t = table, c = column;
  *db_ << "SELECT COUNT(*) FROM pragma_table_info(?) WHERE name=?", use(t), use(c), into(n), now;
  if (n == 0) *db_ << "ALTER TABLE " + table + " ADD COLUMN " + column + " " + type, now;
}

std::string JobStore::Create(const std::string& user, const std::string& body_json, size_t total,
                             const std::string& message, const std::string& kind, bool ofd) {
  const std::string id = NewId();
  MakeDirs(dir_ + "/jobs/" + id);
  WriteFileDurably(dir_ + "/jobs/" + id + "/body.json", body_json);
  std::string created = Poco::DateTimeFormatter::format(Poco::DateTime(), Poco::DateTimeFormat::ISO8601_FORMAT);
  std::string state = "queued", u = user, m = message;
  int t = static_cast<int>(total), zero = 0, with_ofd = ofd ? 1 : 0;
  std::string idc = id, k = kind;
  std::lock_guard<std::mutex> lock(mu_);
  *db_ << "INSERT INTO jobs (id, state, user, created, message, done, failed, total, kind, ofd)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      use(idc), use(state), use(u), use(created), use(m), use(zero), use(zero), use(t), use(k), use(with_ofd), now;
  return id;
}

void JobStore::SetState(const std::string& id, const std::string& state) {
  std::string s = state, i = id;
  std::lock_guard<std::mutex> lock(mu_);
  *db_ << "UPDATE jobs SET state=? WHERE id=?", use(s), use(i), now;
}

void JobStore::Progress(const std::string& id, size_t done, size_t failed) {
  int d = static_cast<int>(done), f = static_cast<int>(failed);
  std::string i = id;
  std::lock_guard<std::mutex> lock(mu_);
  *db_ << "UPDATE jobs SET done=?, failed=? WHERE id=?", use(d), use(f), use(i), now;
}

void JobStore::AddFailure(const std::string& id, const ItemFailed& f) {
  int idx = static_cast<int>(f.index);
  std::string i = id, r = f.reason;
  std::lock_guard<std::mutex> lock(mu_);
  *db_ << "INSERT INTO failures VALUES (?, ?, ?)", use(i), use(idx), use(r), now;
}

void JobStore::AddIssued(const std::string& id, const ItemIssued& item) {
  int idx = static_cast<int>(item.index), created = item.created ? 1 : 0;
  std::string i = id, a = item.applicant_id, v = item.version, o = item.object_id, p = item.path;
  std::lock_guard<std::mutex> lock(mu_);
  *db_ << "INSERT INTO issued (job, idx, applicant, version, created, object, path) VALUES (?, ?, ?, ?, ?, ?, ?)",
      use(i), use(idx), use(a), use(v), use(created), use(o), use(p), now;
}

std::optional<JobRecord> JobStore::Get(const std::string& id) const {
  if (!IsValidJobId(id)) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Poco::Tuple<std::string, std::string, std::string, std::string, int, int, int, std::string, int>> rows;
  std::string i = id;
  *db_ << "SELECT state, user, created, message, done, failed, total, kind, ofd FROM jobs WHERE id=?", use(i),
      into(rows), now;
  if (rows.empty()) return std::nullopt;
  JobRecord r;
  r.id = id;
  r.state = rows[0].get<0>();
  r.user = rows[0].get<1>();
  r.created = rows[0].get<2>();
  r.message = rows[0].get<3>();
  r.done = rows[0].get<4>();
  r.failed_count = rows[0].get<5>();
  r.total = rows[0].get<6>();
  r.kind = rows[0].get<7>();
  r.ofd = rows[0].get<8>() != 0;
  std::vector<Poco::Tuple<int, std::string>> fails;
  *db_ << "SELECT idx, reason FROM failures WHERE job=? ORDER BY idx", use(i), into(fails), now;
  for (const auto& f : fails) r.failures.push_back(ItemFailed{static_cast<size_t>(f.get<0>()), f.get<1>()});
  return r;
}

std::vector<ItemIssued> JobStore::Issued(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Poco::Tuple<int, std::string, std::string, int, std::string, std::string>> rows;
  std::string i = id;
  *db_ << "SELECT idx, applicant, version, created, object, path FROM issued WHERE job=? ORDER BY idx", use(i),
      into(rows), now;
  std::vector<ItemIssued> out;
  for (const auto& r : rows)
    out.push_back(ItemIssued{static_cast<size_t>(r.get<0>()), r.get<1>(), r.get<2>(), r.get<3>() != 0, r.get<4>(),
                             r.get<5>()});
  return out;
}

std::vector<JobRecord> JobStore::List(size_t limit, size_t offset, size_t* total) const {
  std::lock_guard<std::mutex> lock(mu_);
  int count = 0;
  *db_ << "SELECT COUNT(*) FROM jobs", into(count), now;
  if (total) *total = static_cast<size_t>(count);
  std::vector<Poco::Tuple<std::string, std::string, std::string, std::string, std::string, int, int, int, std::string,
                          int>>
      rows;
  Poco::Int64 l = static_cast<Poco::Int64>(limit), o = static_cast<Poco::Int64>(offset);
  // rowid: the order jobs were created in (created is to the second).
  *db_ << "SELECT id, state, user, created, message, done, failed, total, kind, ofd FROM jobs"
          " ORDER BY rowid DESC LIMIT ? OFFSET ?",
      use(l), use(o), into(rows), now;
  std::vector<JobRecord> out;
  for (const auto& row : rows) {
    JobRecord r;
    r.id = row.get<0>();
    r.state = row.get<1>();
    r.user = row.get<2>();
    r.created = row.get<3>();
    r.message = row.get<4>();
    r.done = row.get<5>();
    r.failed_count = row.get<6>();
    r.total = row.get<7>();
    r.kind = row.get<8>();
    r.ofd = row.get<9>() != 0;
    out.push_back(std::move(r));
  }
  return out;
}

std::string JobStore::Body(const std::string& id) const { return ReadFile(dir_ + "/jobs/" + id + "/body.json"); }

std::string JobStore::Unreachable() const {
  try {
    std::lock_guard<std::mutex> lock(mu_);
    int n = 0;
    *db_ << "SELECT COUNT(*) FROM jobs WHERE state='running'", into(n), now;
    return "";
  } catch (const Poco::Exception& e) {
    return "job database " + dir_ + "/jobs.sqlite: " + e.displayText();
  }
}

std::map<std::string, size_t> JobStore::CountByState() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Poco::Tuple<std::string, int>> rows;
  *db_ << "SELECT state, COUNT(*) FROM jobs GROUP BY state", into(rows), now;
  std::map<std::string, size_t> out{{"queued", 0}, {"running", 0}, {"done", 0}, {"interrupted", 0}};
  for (const auto& r : rows) out[r.get<0>()] = static_cast<size_t>(r.get<1>());
  return out;
}

}  // namespace zhiping::jobs
