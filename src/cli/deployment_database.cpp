#include "cli/deployment_database.h"

#include "database/database.h"
#include "issuing/issuer.h"

namespace zhiping::cli {

std::shared_ptr<database::Database> OpenDeploymentDatabase(const service::ServiceConfig& config) {
  database::DatabaseConfig dc;
  if (config.store_backend == "postgresql") {
    dc.backend = database::Backend::kPostgresql;
    dc.postgresql_url = config.database_url;
    dc.pool_size = static_cast<size_t>(config.database_pool);
  } else {
    // <archive's parent>/.zhiping/jobs/jobs.sqlite, beside the development identity's folder.
    const std::string beside = issuing::DefaultDevIdentityDir(config.archive_dir);
    dc.sqlite_path = beside.substr(0, beside.rfind('/')) + "/jobs/jobs.sqlite";
  }
  return database::Database::Open(dc);
}

std::shared_ptr<database::Database> ArchiveDatabaseFor(const service::ServiceConfig& config) {
  if (config.store_backend != "postgresql") return nullptr;
  return OpenDeploymentDatabase(config);
}

}  // namespace zhiping::cli
