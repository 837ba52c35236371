// The catalog in an embedded SQLite file: nothing to install or start.
#ifndef TESSERA_LIBRARY_SQLITE_CATALOG_H_
#define TESSERA_LIBRARY_SQLITE_CATALOG_H_

#include <memory>
#include <string>

#include "src/library/catalog.h"
#include "tessera/status.h"

namespace tessera::library {

// Opens the catalog at `path`, creating it (mode 0600: it holds password hashes) and its schema
// when absent and migrating an older schema. The file uses WAL, so other processes may read while
// this one writes.
//
// Thread safety: the returned catalog is safe to use from any number of threads. It holds one
// connection behind a mutex, so calls run one at a time; InTransaction holds the mutex for its
// whole body. Several processes (or catalogs) on one file wait for each other up to a timeout.
Result<std::unique_ptr<Catalog>> OpenSqliteCatalog(const std::string& path);

}  // namespace tessera::library

#endif  // TESSERA_LIBRARY_SQLITE_CATALOG_H_
