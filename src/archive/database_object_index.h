// archive/database_object_index.h — the object index (object_index.h) in the deployment's database.
//
// Tables, created when missing (both engines; see database_object_locks.h for why they live with the archive):
//   archive_objects  (object_id PK, head, head_number, inventory_digest)
//   archive_versions (object_id, number, version, created, user_name, user_address, message; PK object_id+number)
//   archive_files    (object_id, number, logical_path, digest, size; PK object_id+number+logical_path)
// Every write is one transaction that first locks the object's row, so two instances writing one object's rows
// take turns and a reader never sees half an object. Find reads the rows of up to 500 objects per statement.
// Thread-safe; errors are zhiping::Error kUnavailable (Database::Translate).
#pragma once

#include <memory>

#include "archive/object_index.h"

namespace zhiping::database {
class Database;
}

namespace zhiping::archive {

class DatabaseObjectIndex : public ObjectIndex {
 public:
  explicit DatabaseObjectIndex(std::shared_ptr<database::Database> db);  // creates the tables when missing
  std::map<std::string, IndexedObject> Find(const std::vector<std::string>& ids) const override;
  void Put(const std::vector<IndexedObject>& objects, bool only_if_newer) override;
  bool AddVersion(const IndexedObject& object, const std::string& previous_digest) override;
  void Forget(const std::vector<std::string>& ids) override;
  std::vector<std::string> List(const std::string& after, size_t limit) const override;

 private:
  std::shared_ptr<database::Database> db_;
};

}  // namespace zhiping::archive
