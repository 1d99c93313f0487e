#include "archive/database_object_index.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <algorithm>

#include "archive/inventory.h"
#include "common/error.h"
#include "database/database.h"
#include "database/row_insert.h"

using namespace Poco::Data::Keywords;
using zhiping::database::Backend;
using zhiping::database::Connection;
using zhiping::database::InsertRows;

namespace zhiping::archive {

namespace {

constexpr size_t kFindChunk = 500;  // ids per IN (…) list

const char* const kTables[][2] = {
    {"archive_objects",
     "CREATE TABLE archive_objects (object_id TEXT PRIMARY KEY, head TEXT NOT NULL, head_number BIGINT NOT NULL, "
     "inventory_digest TEXT NOT NULL)"},
    {"archive_versions",
     "CREATE TABLE archive_versions (object_id TEXT NOT NULL, number BIGINT NOT NULL, version TEXT NOT NULL, "
     "created TEXT NOT NULL, user_name TEXT NOT NULL, user_address TEXT NOT NULL, message TEXT NOT NULL, "
     "PRIMARY KEY (object_id, number))"},
    {"archive_files",
     "CREATE TABLE archive_files (object_id TEXT NOT NULL, number BIGINT NOT NULL, logical_path TEXT NOT NULL, "
     "digest TEXT NOT NULL, size BIGINT NOT NULL, PRIMARY KEY (object_id, number, logical_path))"},
};

bool TableExists(Connection& c, const std::string& table) {
  int n = 0;
  std::string t = table;
  // Asked rather than CREATE TABLE IF NOT EXISTS, whose NOTICE libpq would print on stderr, past the log.
  if (c.backend() == Backend::kPostgresql)
    c.session() << "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                   "AND table_name = $1",
        use(t), into(n), now;
  else
    c.session() << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", use(t), into(n), now;
  return n > 0;
}

// Inserts the rows of `o`'s versions (all of them, or those numbered `from` and later).
void InsertVersions(Connection& c, const IndexedObject& o) {
  std::vector<std::string> v_id, v_name, v_created, v_user, v_address, v_message;
  std::vector<Poco::Int64> v_number;
  std::vector<std::string> f_id, f_path, f_digest;
  std::vector<Poco::Int64> f_number, f_size;
  for (const auto& v : o.versions) {
    const Poco::Int64 number = VersionNumber(v.version);
    v_id.push_back(o.object_id);
    v_number.push_back(number);
    v_name.push_back(v.version);
    v_created.push_back(v.created);
    v_user.push_back(v.user.name);
    v_address.push_back(v.user.address);
    v_message.push_back(v.message);
    for (const auto& f : v.files) {
      f_id.push_back(o.object_id);
      f_number.push_back(number);
      f_path.push_back(f.logical_path);
      f_digest.push_back(f.digest);
      f_size.push_back(static_cast<Poco::Int64>(f.size));
    }
  }
  InsertRows(c, "INSERT INTO archive_versions (object_id, number, version, created, user_name, user_address, message)",
             7, v_id.size(), [&](Poco::Data::Statement& st, size_t r) {
               st, use(v_id[r]), use(v_number[r]), use(v_name[r]), use(v_created[r]), use(v_user[r]),
                   use(v_address[r]), use(v_message[r]);
             });
  InsertRows(c, "INSERT INTO archive_files (object_id, number, logical_path, digest, size)", 5, f_id.size(),
             [&](Poco::Data::Statement& st, size_t r) {
               st, use(f_id[r]), use(f_number[r]), use(f_path[r]), use(f_digest[r]), use(f_size[r]);
             });
}

struct Recorded {
  bool existed = false;  // false: the row was made just now, as a placeholder (head "")
  Poco::Int64 head_number = 0;
  std::string digest;
};

// Makes sure the object has a row and locks it for the rest of the transaction, so writers of one object's rows
// take turns (SQLite: the transaction holds the database's write lock anyway).
Recorded LockObjectRow(Connection& c, const std::string& object_id) {
  std::string id = object_id;
  std::vector<Poco::Int64> number;
  std::vector<std::string> digest, head;
  c.session() << c.Sql("INSERT INTO archive_objects (object_id, head, head_number, inventory_digest) "
                       "VALUES (?, '', 0, '') ON CONFLICT (object_id) DO NOTHING"),
      use(id), now;
  c.session() << c.Sql(std::string("SELECT head_number, inventory_digest, head FROM archive_objects "
                                   "WHERE object_id = ?") +
                       (c.backend() == Backend::kPostgresql ? " FOR UPDATE" : "")),
      use(id), into(number), into(digest), into(head), now;
  Recorded r;
  if (!number.empty()) {
    r.existed = !head[0].empty();
    r.head_number = number[0];
    r.digest = digest[0];
  }
  return r;
}

void SetObjectRow(Connection& c, const IndexedObject& o) {
  std::string id = o.object_id, head = o.head, digest = o.inventory_digest;
  Poco::Int64 number = VersionNumber(o.head);
  c.session() << c.Sql("UPDATE archive_objects SET head = ?, head_number = ?, inventory_digest = ? "
                       "WHERE object_id = ?"),
      use(head), use(number), use(digest), use(id), now;
}

void DeleteRows(Connection& c, const std::string& object_id, bool object_row) {
  std::string id = object_id;
  c.session() << c.Sql("DELETE FROM archive_files WHERE object_id = ?"), use(id), now;
  c.session() << c.Sql("DELETE FROM archive_versions WHERE object_id = ?"), use(id), now;
  if (object_row) c.session() << c.Sql("DELETE FROM archive_objects WHERE object_id = ?"), use(id), now;
}

}  // namespace

DatabaseObjectIndex::DatabaseObjectIndex(std::shared_ptr<database::Database> db) : db_(std::move(db)) {
  for (const auto& [table, create] : kTables) {
    try {
      Connection c = db_->Connect();
      if (TableExists(c, table)) continue;
      c.session() << create, now;
    } catch (...) {
      // Another instance starting at the same moment may have made it first.
      try {
        Connection c = db_->Connect();
        if (TableExists(c, table)) continue;
      } catch (...) {
      }
      db_->Translate("creating the archive's index tables in");
    }
  }
}

std::map<std::string, IndexedObject> DatabaseObjectIndex::Find(const std::vector<std::string>& all_ids) const {
  std::map<std::string, IndexedObject> out;
  db_->Run("reading the archive's index from", [&](Connection& c) -> void {
    for (size_t start = 0; start < all_ids.size(); start += kFindChunk) {
      std::vector<std::string> ids(all_ids.begin() + start,
                                   all_ids.begin() + std::min(all_ids.size(), start + kFindChunk));
      // One statement (a round trip counts more than the repeated version columns): every file row with its
      // version and object. Every version has at least one file, so the inner joins lose nothing an intact index
      // holds; an object whose version or file rows were removed reads as not indexed and is read from disk.
      std::vector<std::string> id, head, digest, name, created, user, address, message, path, file_digest;
      std::vector<Poco::Int64> size;
      {
        Poco::Data::Statement st(c.session());
        st << c.Sql("SELECT o.object_id, o.head, o.inventory_digest, v.version, v.created, v.user_name, "
                    "v.user_address, v.message, f.logical_path, f.digest, f.size FROM archive_objects o "
                    "JOIN archive_versions v ON v.object_id = o.object_id "
                    "JOIN archive_files f ON f.object_id = v.object_id AND f.number = v.number "
                    "WHERE o.head <> '' AND o.object_id IN " + database::PlaceholderList(ids.size()) + " ORDER BY o.object_id, v.number");
        for (auto& i : ids) st, use(i);
        st, into(id), into(head), into(digest), into(name), into(created), into(user), into(address), into(message),
            into(path), into(file_digest), into(size);
        st.execute();
      }
      for (size_t i = 0; i < id.size(); ++i) {
        IndexedObject& o = out[id[i]];
        if (o.object_id.empty()) {
          o.object_id = id[i];
          o.head = head[i];
          o.inventory_digest = digest[i];
        }
        if (o.versions.empty() || o.versions.back().version != name[i]) {
          VersionEntry v;
          v.version = name[i];
          v.created = created[i];
          v.user = {user[i], address[i]};
          v.message = message[i];
          o.versions.push_back(std::move(v));
        }
        o.versions.back().files.push_back({path[i], file_digest[i], static_cast<uint64_t>(size[i]), name[i]});
      }
    }
  });
  // Bytewise, as the archive lists them (the database's collation may order text otherwise).
  for (auto& [id, o] : out)
    for (auto& v : o.versions)
      std::sort(v.files.begin(), v.files.end(),
                [](const FileEntry& a, const FileEntry& b) { return a.logical_path < b.logical_path; });
  return out;
}

void DatabaseObjectIndex::Put(const std::vector<IndexedObject>& objects, bool only_if_newer) {
  db_->Transaction([&](Connection& c) {
    for (const auto& o : objects) {
      Recorded r = LockObjectRow(c, o.object_id);
      if (only_if_newer && r.existed && r.head_number > VersionNumber(o.head)) continue;
      DeleteRows(c, o.object_id, /*object_row=*/false);
      InsertVersions(c, o);
      SetObjectRow(c, o);
    }
  });
}

bool DatabaseObjectIndex::AddVersion(const IndexedObject& object, const std::string& previous_digest) {
  bool added = false;
  db_->Transaction([&](Connection& c) {
    Recorded r = LockObjectRow(c, object.object_id);
    if (r.digest != previous_digest || (previous_digest.empty() && r.existed)) {
      if (!r.existed) DeleteRows(c, object.object_id, /*object_row=*/true);  // no placeholder left behind
      return;
    }
    std::string id = object.object_id;
    Poco::Int64 number = VersionNumber(object.head);
    c.session() << c.Sql("DELETE FROM archive_files WHERE object_id = ? AND number >= ?"), use(id), use(number), now;
    c.session() << c.Sql("DELETE FROM archive_versions WHERE object_id = ? AND number >= ?"), use(id), use(number),
        now;
    IndexedObject added_only = object;
    added_only.versions.erase(added_only.versions.begin(), added_only.versions.end() - 1);
    InsertVersions(c, added_only);
    SetObjectRow(c, object);
    added = true;
  });
  return added;
}

void DatabaseObjectIndex::Forget(const std::vector<std::string>& ids) {
  db_->Transaction([&](Connection& c) {
    for (const auto& id : ids) DeleteRows(c, id, /*object_row=*/true);
  });
}

std::vector<std::string> DatabaseObjectIndex::List(const std::string& after, size_t limit) const {
  std::vector<std::string> ids;
  db_->Run("listing the archive's index in", [&](Connection& c) -> void {
    std::string from = after;
    Poco::Int64 n = static_cast<Poco::Int64>(limit);
    c.session() << c.Sql("SELECT object_id FROM archive_objects WHERE head <> '' AND object_id > ? "
                         "ORDER BY object_id LIMIT ?"),
        use(from), use(n), into(ids), now;
  });
  return ids;
}

}  // namespace zhiping::archive
