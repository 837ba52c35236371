// Read-only SQL on a server's SQLite catalog (DATA/catalog.db) for integration tests: what the
// server recorded, checked beside what it serves. Never writes.
#ifndef TESSERA_TESTS_SUPPORT_CATALOG_READER_H_
#define TESSERA_TESTS_SUPPORT_CATALOG_READER_H_

#include <string>
#include <vector>

#include "tessera/status.h"

namespace tessera::testing {

using Row = std::vector<std::string>;  // NULL reads as ""

// Runs one statement on the catalog at `db_path`, opened read-only for this call (the server
// may be running: the catalog is in WAL mode). Every column as text.
Result<std::vector<Row>> QueryCatalog(const std::string& db_path, const std::string& sql);

// The single integer of a "SELECT count(*) ..."-like statement; -1 on any error.
long long QueryCount(const std::string& db_path, const std::string& sql);

}  // namespace tessera::testing

#endif  // TESSERA_TESTS_SUPPORT_CATALOG_READER_H_
