// The server's data folder: the SQLite catalog, the token secret, the media store and a temp
// folder for uploads. Private to the user running the server (0700).
#ifndef TESSERA_APP_DATA_DIR_H_
#define TESSERA_APP_DATA_DIR_H_

#include <memory>
#include <string>

#include "src/library/catalog.h"
#include "tessera/status.h"

namespace tessera::app {

struct DataDir {
  std::string root;  // absolute

  std::string catalog_path() const { return root + "/catalog.db"; }
  std::string secret_path() const { return root + "/secret"; }
  std::string temp_dir() const { return root + "/tmp"; }
};

// Creates the folder (and its temp folder) with mode 0700 when absent. `path` empty: the
// default, $XDG_DATA_HOME/tessera (~/.local/share/tessera).
Result<DataDir> OpenDataDir(const std::string& path);

// The catalog named by `location` (a SQLite path or a postgresql:// URL), or the data folder's
// SQLite file when `location` is empty.
Result<std::unique_ptr<library::Catalog>> OpenCatalogFor(const DataDir& data,
                                                         const std::string& location);

}  // namespace tessera::app

#endif  // TESSERA_APP_DATA_DIR_H_
