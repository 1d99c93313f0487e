// cli/deployment_database.h — the one database of a zhiping deployment, opened from its configuration.
//
// `store.backend = postgresql` (or ZHIPING_DATABASE_URL): PostgreSQL at store.database_url with a pool of
// store.pool_size sessions, shared by everything of the process that needs it — the job queue and the archive's
// object locks and index (issuing::IssuerConfig::database). The embedded default `sqlite`: the file
// `<archive's parent>/.zhiping/jobs/jobs.sqlite`.
//
// Why the archive uses a database only with PostgreSQL (ArchiveDatabaseFor): on one machine flock already
// serialises commits, and an index in the SQLite file would be one more thing a `zhiping issue` run without the
// configuration (another --archive, no --config) could leave behind the archive — the digest rule would repair
// the listings of the objects it touched, but a listing of all objects would miss new ones until a reindex. A
// deployment on PostgreSQL runs every instance and every CLI run with the configuration that names the database.
//
// Errors: zhiping::Error kUnavailable when the database cannot be opened (naming it, never its password).
#pragma once

#include <memory>

#include "service/config.h"

namespace zhiping::database {
class Database;
}

namespace zhiping::cli {

// The configured database, opened now (either backend). Share the pointer; it is safe to use from any thread.
std::shared_ptr<database::Database> OpenDeploymentDatabase(const service::ServiceConfig& config);
// The database the archive's locks and index use: opened when store.backend is postgresql, nullptr otherwise.
std::shared_ptr<database::Database> ArchiveDatabaseFor(const service::ServiceConfig& config);

}  // namespace zhiping::cli
