#include "src/app/data_dir.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include "src/library/open_catalog.h"

namespace tessera::app {
namespace {

Status MakePrivateDir(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Status::FromErrno(ec.value(), path);
  if (::chmod(path.c_str(), 0700) != 0) return Status::FromErrno(errno, path);
  return Status::Ok();
}

}  // namespace

Result<DataDir> OpenDataDir(const std::string& path) {
  std::string root = path;
  if (root.empty()) {
    const char* data_home = std::getenv("XDG_DATA_HOME");
    const char* home = std::getenv("HOME");
    if (data_home != nullptr && data_home[0] == '/') {
      root = std::string(data_home) + "/tessera";
    } else if (home != nullptr && home[0] == '/') {
      root = std::string(home) + "/.local/share/tessera";
    } else {
      return Status::InvalidArgument("no data folder: set --data, XDG_DATA_HOME or HOME");
    }
  }
  std::error_code ec;
  root = std::filesystem::absolute(root, ec).lexically_normal().string();
  if (ec) return Status::FromErrno(ec.value(), path);
  if (root.size() > 1 && root.back() == '/') root.pop_back();
  DataDir data{root};
  TESSERA_RETURN_IF_ERROR(MakePrivateDir(data.root));
  TESSERA_RETURN_IF_ERROR(MakePrivateDir(data.temp_dir()));
  return data;
}

Result<std::unique_ptr<library::Catalog>> OpenCatalogFor(const DataDir& data,
                                                         const std::string& location) {
  return library::OpenCatalog(location.empty() ? data.catalog_path() : location);
}

}  // namespace tessera::app
