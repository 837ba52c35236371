// Opens the catalog a configuration names: a PostgreSQL server or a SQLite file.
#ifndef TESSERA_LIBRARY_OPEN_CATALOG_H_
#define TESSERA_LIBRARY_OPEN_CATALOG_H_

#include <memory>
#include <string>

#include "src/library/catalog.h"
#include "tessera/status.h"

namespace tessera::library {

// "postgresql://..." or "postgres://..." (a libpq URI) opens the catalog on that PostgreSQL
// server (OpenPostgresCatalog); anything else is the path of a SQLite file (OpenSqliteCatalog).
// libpq's "host=... dbname=..." form is not recognised here: write it as a URI. kInvalidArgument
// for an empty location.
Result<std::unique_ptr<Catalog>> OpenCatalog(const std::string& location);

// Whether OpenCatalog takes `location` for a PostgreSQL URI.
bool IsPostgresLocation(const std::string& location);

}  // namespace tessera::library

#endif  // TESSERA_LIBRARY_OPEN_CATALOG_H_
