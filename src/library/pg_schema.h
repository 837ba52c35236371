// The PostgreSQL catalog's schema and its migrations, versioned in a tessera_schema_version table.
#ifndef TESSERA_LIBRARY_PG_SCHEMA_H_
#define TESSERA_LIBRARY_PG_SCHEMA_H_

#include <pqxx/connection>

#include "tessera/status.h"

namespace tessera::library {

// The version a fully migrated PostgreSQL catalog has. It counts the PostgreSQL migrations and is
// independent of the SQLite catalog's kCatalogSchemaVersion.
inline constexpr int kPgCatalogSchemaVersion = 3;

// Brings the schema in the connection's current schema (the first on its search_path) from its
// stored version to kPgCatalogSchemaVersion, each step in its own transaction under an advisory
// lock, so that hosts starting at once migrate it once. kUnsupported when the catalog was written
// by a newer tessera.
// REQUIRES: no transaction is open on `conn`.
Status MigratePgCatalogSchema(pqxx::connection& conn);

}  // namespace tessera::library

#endif  // TESSERA_LIBRARY_PG_SCHEMA_H_
