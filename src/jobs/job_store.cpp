#include "jobs/job_store.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Tuple.h>
#include <openssl/rand.h>

#include <algorithm>
#include <chrono>

#include "common/durable_file.h"
#include "common/error.h"
#include "common/json.h"
#include "database/database.h"
#include "database/row_insert.h"

using namespace Poco::Data::Keywords;
using zhiping::database::Backend;
using zhiping::database::Connection;
using zhiping::database::InsertRows;

namespace zhiping::jobs {

namespace {

std::string NewId() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) throw Error(ErrorKind::kInternal, "no random bytes for a job id");
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned char c : b) s += hex[c >> 4], s += hex[c & 15];
  return s;
}

std::shared_ptr<database::Database> OpenSqlite(const std::string& state_dir) {
  database::DatabaseConfig config;
  config.backend = Backend::kSqlite;
  config.sqlite_path = state_dir + "/jobs.sqlite";
  return database::Database::Open(config);
}

// done and failed of a job, counted from its recorded outcomes (the same on every instance, and never twice).
const char* const kCounts =
    "(SELECT COUNT(*) FROM issued i WHERE i.job = jobs.id) + (SELECT COUNT(*) FROM failures f WHERE f.job = jobs.id"
    " AND f.idx >= 0), (SELECT COUNT(*) FROM failures f WHERE f.job = jobs.id AND f.idx >= 0)";

using JobRow = Poco::Tuple<std::string, std::string, std::string, std::string, std::string, Poco::Int64, Poco::Int64,
                           Poco::Int64, std::string, int, std::string>;
const std::string kJobColumns =
    std::string("id, state, \"user\", created, message, ") + kCounts + ", total, kind, ofd, callback_url";

JobRecord FromRow(const JobRow& row) {
  JobRecord r;
  r.id = row.get<0>();
  r.state = row.get<1>();
  r.user = row.get<2>();
  r.created = row.get<3>();
  r.message = row.get<4>();
  r.done = static_cast<size_t>(row.get<5>());
  r.failed_count = static_cast<size_t>(row.get<6>());
  r.total = static_cast<size_t>(row.get<7>());
  r.kind = row.get<8>();
  r.ofd = row.get<9>() != 0;
  r.callback_url = row.get<10>();
  return r;
}

}  // namespace

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool JobStore::IsValidJobId(const std::string& id) {
  if (id.size() != 32) return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

JobStore::JobStore(std::string state_dir) : db_(OpenSqlite(state_dir)), dir_(std::move(state_dir)) { OpenSchema(); }

JobStore::JobStore(std::shared_ptr<database::Database> database, std::string state_dir)
    : db_(std::move(database)), dir_(std::move(state_dir)) {
  OpenSchema();
}

JobStore::~JobStore() = default;

void JobStore::OpenSchema() {
  db_->Run("opening the job tables of", [&](Connection& c) -> void {
    auto& s = c.session();
    // `user` is quoted: PostgreSQL reserves the word. Columns added since the first version come with defaults, so
    // a database made by an earlier version gains them with the values its jobs had.
    s << "CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, state TEXT, \"user\" TEXT, created TEXT,"
         " message TEXT, done INTEGER, failed INTEGER, total INTEGER)", now;
    s << "CREATE TABLE IF NOT EXISTS failures (job TEXT, idx INTEGER, reason TEXT)", now;
    s << "CREATE TABLE IF NOT EXISTS issued (job TEXT, idx INTEGER, applicant TEXT, version TEXT, created INTEGER)",
        now;
    db_->AddColumnIfMissing(c, "jobs", "kind", "TEXT NOT NULL DEFAULT 'letters'");
    db_->AddColumnIfMissing(c, "issued", "object", "TEXT NOT NULL DEFAULT ''");
    db_->AddColumnIfMissing(c, "issued", "path", "TEXT NOT NULL DEFAULT ''");
    db_->AddColumnIfMissing(c, "jobs", "ofd", "INTEGER NOT NULL DEFAULT 0");
    // Added with several instances: the body in the database (any instance runs any job), the order jobs were
    // made in, the completion callback.
    db_->AddColumnIfMissing(c, "jobs", "body", "TEXT NOT NULL DEFAULT ''");
    db_->AddColumnIfMissing(c, "jobs", "created_ms", "BIGINT NOT NULL DEFAULT 0");
    db_->AddColumnIfMissing(c, "jobs", "callback_url", "TEXT NOT NULL DEFAULT ''");
    s << "CREATE TABLE IF NOT EXISTS chunks (job TEXT NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL,"
         " state TEXT NOT NULL, owner TEXT NOT NULL DEFAULT '', lease_until BIGINT NOT NULL DEFAULT 0,"
         " PRIMARY KEY (job, lo))", now;
    // A claim looks only at unfinished chunks: a partial index keeps a big job's finished ones out of its way.
    s << "CREATE INDEX IF NOT EXISTS chunks_open ON chunks(job, lo) WHERE state <> 'done'", now;
    s << "CREATE INDEX IF NOT EXISTS chunks_owner ON chunks(owner)", now;
    s << "CREATE INDEX IF NOT EXISTS jobs_order ON jobs(created_ms)", now;
    // One outcome per item: a chunk worked twice (its lease ran out) records nothing twice.
    s << "CREATE UNIQUE INDEX IF NOT EXISTS failures_item ON failures(job, idx)", now;
    s << "CREATE UNIQUE INDEX IF NOT EXISTS issued_item ON issued(job, idx)", now;
    // Jobs of an earlier version (no chunks) cannot be resumed: they are marked interrupted, as that version did.
    Poco::Int64 n = 0;
    const char* legacy = "state IN ('queued','running') AND NOT EXISTS (SELECT 1 FROM chunks WHERE chunks.job = jobs.id)";
    s << std::string("SELECT COUNT(*) FROM jobs WHERE ") + legacy, into(n), now;
    interrupted_at_open_ = static_cast<size_t>(n);
    if (n > 0) s << std::string("UPDATE jobs SET state='interrupted' WHERE ") + legacy, now;
    // SQLite is one process's file: a lease found at start belongs to a process that is gone. Give its chunks
    // back now rather than after the lease runs out. (On PostgreSQL other instances may be alive: leases expire.)
    if (db_->backend() == Backend::kSqlite) s << "UPDATE chunks SET state='pending', owner='' WHERE state='leased'", now;
  });
}

std::string JobStore::Create(const std::string& user, const std::string& body_json, size_t total,
                             const std::string& message, const std::string& kind, bool ofd,
                             const std::string& callback_url) {
  const std::string id = NewId();
  db_->Transaction([&](Connection& c) {
    std::string created = Poco::DateTimeFormatter::format(Poco::DateTime(), Poco::DateTimeFormat::ISO8601_FORMAT);
    std::string state = "queued", u = user, m = message, idc = id, k = kind, body = body_json, cb = callback_url;
    Poco::Int64 t = static_cast<Poco::Int64>(total), zero = 0, created_ms = NowMs();
    int with_ofd = ofd ? 1 : 0;
    c.session() << c.Sql("INSERT INTO jobs (id, state, \"user\", created, message, done, failed, total, kind, ofd,"
                         " body, created_ms, callback_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        use(idc), use(state), use(u), use(created), use(m), use(zero), use(zero), use(t), use(k), use(with_ofd),
        use(body), use(created_ms), use(cb), now;
    std::vector<Poco::Int64> los, his;
    for (size_t lo = 0; lo < total; lo += kChunkItems) {
      los.push_back(static_cast<Poco::Int64>(lo));
      his.push_back(static_cast<Poco::Int64>(std::min(total, lo + kChunkItems)));
    }
    if (total == 0) {  // nothing to issue: no chunk would ever finish it
      c.session() << c.Sql("UPDATE jobs SET state='done' WHERE id=?"), use(idc), now;
      return;
    }
    std::string pending = "pending";
    InsertRows(c, "INSERT INTO chunks (job, lo, hi, state)", 4, los.size(),
               [&](Poco::Data::Statement& st, size_t row) { st, use(idc), use(los[row]), use(his[row]), use(pending); });
  });
  return id;
}

std::optional<ChunkClaim> JobStore::Claim(const std::string& owner, int64_t lease_ms) {
  return db_->Run("claiming work from", [&](Connection& c) -> std::optional<ChunkClaim> {
    Poco::Int64 now_ms = NowMs(), until = now_ms + lease_ms;
    std::string o = owner;
    // One statement: pick a free chunk of the oldest unfinished job and lease it. PostgreSQL skips rows another
    // instance is claiming this instant instead of waiting for them.
    const std::string lock = c.backend() == Backend::kPostgresql ? " FOR UPDATE OF c SKIP LOCKED" : "";
    std::vector<Poco::Tuple<std::string, Poco::Int64, Poco::Int64, std::string>> rows;
    c.session() << c.Sql("UPDATE chunks SET state='leased', owner=?, lease_until=? WHERE (job, lo) IN ("
                         "SELECT c.job, c.lo FROM chunks c JOIN jobs j ON j.id = c.job"
                         " WHERE j.state IN ('queued','running') AND (c.state='pending' OR (c.state='leased' AND"
                         " c.lease_until < ?)) ORDER BY j.created_ms, c.job, c.lo LIMIT 1" +
                         lock + ") RETURNING job, lo, hi, (SELECT state FROM jobs WHERE jobs.id = chunks.job)"),
        use(o), use(until), use(now_ms), into(rows), now;
    if (rows.empty()) return std::nullopt;
    ChunkClaim claim{rows[0].get<0>(), static_cast<size_t>(rows[0].get<1>()), static_cast<size_t>(rows[0].get<2>())};
    if (rows[0].get<3>() == "queued") {  // the job's first claim (or its first after a pause): one more write
      std::string job = claim.job;
      c.session() << c.Sql("UPDATE jobs SET state='running' WHERE id=? AND state='queued'"), use(job), now;
    }
    return claim;
  });
}

size_t JobStore::Heartbeat(const std::string& owner, const std::vector<ChunkClaim>& chunks, int64_t lease_ms) {
  if (chunks.empty()) return 0;
  return db_->Run("extending the leases in", [&](Connection& c) -> size_t {
    Poco::Int64 until = NowMs() + lease_ms;
    std::string o = owner;
    size_t extended = 0;
    for (const ChunkClaim& chunk : chunks) {
      std::string j = chunk.job;
      Poco::Int64 lo = static_cast<Poco::Int64>(chunk.first);
      Poco::Data::Statement st(c.session());
      st << c.Sql("UPDATE chunks SET lease_until=? WHERE owner=? AND job=? AND lo=? AND state='leased'"), use(until),
          use(o), use(j), use(lo);
      extended += st.execute();
    }
    return extended;
  });
}

std::set<size_t> JobStore::Recorded(const std::string& job, size_t first, size_t last) const {
  return db_->Run("reading a job's items from", [&](Connection& c) -> std::set<size_t> {
    std::string j = job;
    Poco::Int64 lo = static_cast<Poco::Int64>(first), hi = static_cast<Poco::Int64>(last);
    std::vector<Poco::Int64> done;
    c.session() << c.Sql("SELECT idx FROM issued WHERE job=? AND idx >= ? AND idx < ? UNION SELECT idx FROM failures"
                         " WHERE job=? AND idx >= ? AND idx < ?"),
        use(j), use(lo), use(hi), use(j), use(lo), use(hi), into(done), now;
    return std::set<size_t>(done.begin(), done.end());
  });
}

void JobStore::AddFailure(const std::string& id, const ItemFailed& f) {
  db_->Run("recording a failed item in", [&](Connection& c) -> void {
    Poco::Int64 idx = f.index == static_cast<size_t>(-1) ? -1 : static_cast<Poco::Int64>(f.index);
    std::string i = id, r = f.reason;
    c.session() << c.Sql("INSERT INTO failures (job, idx, reason) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"), use(i),
        use(idx), use(r), now;
  });
}

void JobStore::AddIssued(const std::string& id, const ItemIssued& item) {
  db_->Run("recording an issued item in", [&](Connection& c) -> void {
    Poco::Int64 idx = static_cast<Poco::Int64>(item.index);
    int created = item.created ? 1 : 0;
    std::string i = id, a = item.applicant_id, v = item.version, o = item.object_id, p = item.path;
    c.session() << c.Sql("INSERT INTO issued (job, idx, applicant, version, created, object, path) VALUES (?, ?, ?,"
                         " ?, ?, ?, ?) ON CONFLICT DO NOTHING"),
        use(i), use(idx), use(a), use(v), use(created), use(o), use(p), now;
  });
}

bool JobStore::CompleteChunk(const ChunkClaim& chunk, const std::string& owner) {
  return db_->Run("finishing a chunk in", [&](Connection& c) -> bool {
    std::string j = chunk.job, o = owner;
    Poco::Int64 lo = static_cast<Poco::Int64>(chunk.first);
    c.session() << c.Sql("UPDATE chunks SET state='done', owner='' WHERE job=? AND lo=?"), use(j), use(lo), now;
    // The job is done when no chunk is left; the UPDATE's row count picks the one caller that says so.
    Poco::Data::Statement st(c.session());
    st << c.Sql("UPDATE jobs SET state='done' WHERE id=? AND state IN ('queued','running') AND NOT EXISTS"
                " (SELECT 1 FROM chunks WHERE chunks.job=? AND chunks.state <> 'done')"),
        use(j), use(j);
    return st.execute() == 1;
  });
}

void JobStore::Release(const ChunkClaim& chunk, const std::string& owner) {
  db_->Run("giving back a chunk to", [&](Connection& c) -> void {
    std::string j = chunk.job, o = owner;
    Poco::Int64 lo = static_cast<Poco::Int64>(chunk.first);
    c.session() << c.Sql("UPDATE chunks SET state='pending', owner='' WHERE job=? AND lo=? AND owner=? AND"
                         " state='leased'"),
        use(j), use(lo), use(o), now;
  });
}

void JobStore::ReleaseAll(const std::string& owner) {
  db_->Run("giving back chunks to", [&](Connection& c) -> void {
    std::string o = owner;
    c.session() << c.Sql("UPDATE chunks SET state='pending', owner='' WHERE owner=? AND state='leased'"), use(o), now;
    // A running job nobody works on any more is waiting again.
    c.session() << "UPDATE jobs SET state='queued' WHERE state='running' AND NOT EXISTS (SELECT 1 FROM chunks"
                   " WHERE chunks.job = jobs.id AND chunks.state = 'leased')", now;
  });
}

bool JobStore::Fail(const std::string& id, const std::string& reason) {
  AddFailure(id, ItemFailed{static_cast<size_t>(-1), reason});
  return db_->Run("failing a job in", [&](Connection& c) -> bool {
    std::string i = id;
    Poco::Data::Statement st(c.session());
    st << c.Sql("UPDATE jobs SET state='interrupted' WHERE id=? AND state IN ('queued','running')"), use(i);
    return st.execute() == 1;
  });
}

bool JobStore::Cancel(const std::string& id) {
  return db_->Run("cancelling a job in", [&](Connection& c) -> bool {
    std::string i = id;
    Poco::Data::Statement st(c.session());
    st << c.Sql("UPDATE jobs SET state='cancelled' WHERE id=? AND state IN ('queued','running')"), use(i);
    return st.execute() == 1;
  });
}

std::map<std::string, std::string> JobStore::States(const std::vector<std::string>& ids) const {
  std::map<std::string, std::string> out;
  if (ids.empty()) return out;
  return db_->Run("reading job states from", [&](Connection& c) -> std::map<std::string, std::string> {
    // One statement for every id (a heartbeat asks for the jobs of all the chunks it holds), a few hundred at a time.
    for (size_t first = 0; first < ids.size(); first += database::kRowsPerStatement) {
      std::vector<std::string> some(ids.begin() + first,
                                    ids.begin() + std::min(ids.size(), first + database::kRowsPerStatement));
      std::vector<std::string> id, state;
      Poco::Data::Statement st(c.session());
      st << c.Sql("SELECT id, state FROM jobs WHERE id IN " + database::PlaceholderList(some.size()));
      for (std::string& i : some) st, use(i);
      st, into(id), into(state);
      st.execute();
      for (size_t k = 0; k < id.size(); ++k) out[id[k]] = state[k];
    }
    return out;
  });
}

std::optional<JobRecord> JobStore::Get(const std::string& id) const {
  if (!IsValidJobId(id)) return std::nullopt;
  return db_->Run("reading a job from", [&](Connection& c) -> std::optional<JobRecord> {
    std::vector<JobRow> rows;
    std::string i = id;
    c.session() << c.Sql("SELECT " + kJobColumns + " FROM jobs WHERE id=?"), use(i), into(rows), now;
    if (rows.empty()) return std::nullopt;
    JobRecord r = FromRow(rows[0]);
    std::vector<Poco::Tuple<Poco::Int64, std::string>> fails;
    c.session() << c.Sql("SELECT idx, reason FROM failures WHERE job=? ORDER BY idx"), use(i), into(fails), now;
    for (const auto& f : fails) r.failures.push_back(ItemFailed{static_cast<size_t>(f.get<0>()), f.get<1>()});
    return r;
  });
}

std::vector<ItemIssued> JobStore::Issued(const std::string& id) const {
  return db_->Run("reading a job's issued items from", [&](Connection& c) -> std::vector<ItemIssued> {
    std::vector<Poco::Tuple<Poco::Int64, std::string, std::string, int, std::string, std::string>> rows;
    std::string i = id;
    c.session() << c.Sql("SELECT idx, applicant, version, created, object, path FROM issued WHERE job=? ORDER BY idx"),
        use(i), into(rows), now;
    std::vector<ItemIssued> out;
    out.reserve(rows.size());
    for (const auto& r : rows)
      out.push_back(ItemIssued{static_cast<size_t>(r.get<0>()), r.get<1>(), r.get<2>(), r.get<3>() != 0, r.get<4>(),
                               r.get<5>(), nullptr});
    return out;
  });
}

std::vector<JobRecord> JobStore::List(size_t limit, size_t offset, size_t* total) const {
  return db_->Run("listing the jobs in", [&](Connection& c) -> std::vector<JobRecord> {
    Poco::Int64 count = 0;
    c.session() << "SELECT COUNT(*) FROM jobs", into(count), now;
    if (total) *total = static_cast<size_t>(count);
    std::vector<JobRow> rows;
    Poco::Int64 l = static_cast<Poco::Int64>(limit), o = static_cast<Poco::Int64>(offset);
    // created_ms: the order jobs were made in (created is to the second); jobs of a version before it have 0 and
    // come last, in the order SQLite kept them.
    const std::string tie = c.backend() == Backend::kSqlite ? "rowid DESC" : "id DESC";
    c.session() << c.Sql("SELECT " + kJobColumns + " FROM jobs ORDER BY created_ms DESC, " + tie + " LIMIT ? OFFSET ?"),
        use(l), use(o), into(rows), now;
    std::vector<JobRecord> out;
    for (const auto& row : rows) out.push_back(FromRow(row));
    return out;
  });
}

std::string JobStore::Body(const std::string& id) const {
  std::vector<std::string> body;
  db_->Run("reading a job's body from", [&](Connection& c) -> void {
    std::string i = id;
    c.session() << c.Sql("SELECT body FROM jobs WHERE id=?"), use(i), into(body), now;
  });
  if (!body.empty() && !body[0].empty()) return body[0];
  // A job made before bodies moved into the database kept it on disk beside the SQLite file.
  return ReadFile(dir_ + "/jobs/" + id + "/body.json");
}

std::string JobStore::Unreachable() const { return db_->Unreachable(); }

std::map<std::string, size_t> JobStore::CountByState() const {
  return db_->Run("counting the jobs in", [&](Connection& c) -> std::map<std::string, size_t> {
    std::vector<Poco::Tuple<std::string, Poco::Int64>> rows;
    c.session() << "SELECT state, COUNT(*) FROM jobs GROUP BY state", into(rows), now;
    std::map<std::string, size_t> out{{"queued", 0}, {"running", 0}, {"done", 0}, {"interrupted", 0}, {"cancelled", 0}};
    for (const auto& r : rows) out[r.get<0>()] = static_cast<size_t>(r.get<1>());
    return out;
  });
}

size_t JobStore::CountUnfinished() const {
  return db_->Run("counting the jobs in", [&](Connection& c) -> size_t {
    Poco::Int64 n = 0;
    c.session() << "SELECT COUNT(*) FROM jobs WHERE state IN ('queued','running')", into(n), now;
    return static_cast<size_t>(n);
  });
}

}  // namespace zhiping::jobs
