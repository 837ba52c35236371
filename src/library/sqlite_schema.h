// The SQLite catalog's schema and its migrations, versioned by PRAGMA user_version.
#ifndef TESSERA_LIBRARY_SQLITE_SCHEMA_H_
#define TESSERA_LIBRARY_SQLITE_SCHEMA_H_

#include <sqlite3.h>

#include "tessera/status.h"

namespace tessera::library {

// The version a fully migrated catalog has.
inline constexpr int kCatalogSchemaVersion = 4;

// Brings the schema from its stored version to kCatalogSchemaVersion, each step in its own
// transaction. kUnsupported when the catalog was written by a newer tessera.
// REQUIRES: no transaction is open on `db`.
Status MigrateCatalogSchema(sqlite3* db);

}  // namespace tessera::library

#endif  // TESSERA_LIBRARY_SQLITE_SCHEMA_H_
