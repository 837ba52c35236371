#include "src/library/open_catalog.h"

#include "src/library/pg_catalog.h"
#include "src/library/sqlite_catalog.h"

namespace tessera::library {

bool IsPostgresLocation(const std::string& location) {
  // The schemes libpq accepts, spelled as it spells them (it compares case-sensitively).
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

Result<std::unique_ptr<Catalog>> OpenCatalog(const std::string& location) {
  if (location.empty()) return Status::InvalidArgument("catalog: no location given");
  if (IsPostgresLocation(location)) return OpenPostgresCatalog(location);
  return OpenSqliteCatalog(location);
}

}  // namespace tessera::library
