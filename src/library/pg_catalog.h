// The catalog on a PostgreSQL server, for libraries that outgrow one machine: the catalog and the
// job queue are shared by workers on several hosts.
#ifndef TESSERA_LIBRARY_PG_CATALOG_H_
#define TESSERA_LIBRARY_PG_CATALOG_H_

#include <memory>
#include <string>

#include "src/library/catalog.h"
#include "tessera/status.h"

namespace tessera::library {

// Connects to the server named by `conninfo` (a libpq URI such as
// "postgresql://tessera@db.example/photos" or a "host=... dbname=..." string) and creates or
// migrates the schema in the connection's current schema (the first one on its search_path).
// Hosts that open a new catalog at the same moment migrate it once. kUnsupported when the schema
// was written by a newer tessera, kIOError when the server cannot be reached. The password in
// `conninfo` never appears in a message.
//
// Behaviour that differs from the SQLite catalog, because the server is shared:
//   - Text (user names, hashes, kinds, recipes, worker and token ids) must be valid UTF-8
//     without NUL bytes: kInvalidArgument otherwise (a lookup by such a key finds nothing).
//     Paths and failure reasons are stored byte for byte, and sorted bytewise as in SQLite.
//   - InTransaction makes a group of calls atomic, but runs at READ COMMITTED: other hosts' calls
//     do not wait for it, as other threads' calls do. Expected failures of a call inside it
//     (a taken name, an unknown row, different owners) leave the transaction usable, as in
//     SQLite. An unexpected one (a lost connection, a timeout) aborts the innermost open
//     InTransaction: later calls in it fail, and it rolls back even if its body returns OK.
//   - kIOError also for a lost connection (the next call outside a transaction reconnects) and
//     for a row lock another host holds for more than 5 seconds.
//
// Thread safety: the returned catalog is safe to use from any number of threads. It holds one
// connection behind a mutex, so calls run one at a time; InTransaction holds the mutex for its
// whole body. Open one catalog per process (or several, for more parallelism); every process on
// every host may share the database.
Result<std::unique_ptr<Catalog>> OpenPostgresCatalog(const std::string& conninfo);

}  // namespace tessera::library

#endif  // TESSERA_LIBRARY_PG_CATALOG_H_
