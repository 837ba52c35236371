#include "src/dbus/quick_check.h"

#include <fmt/format.h>

#include "src/dbus/request_uri.h"

namespace tessera::dbus {

std::optional<FileAnswer> QuickCheck(const xdg::Cache& cache, const std::string& uri,
                                     xdg::ThumbSize size) {
  Result<std::string> path = LocalPathForUri(uri);
  if (!path.ok()) return FileAnswer{ErrorForStatus(path.status())};
  Result<xdg::Original> original = xdg::StatOriginal(*path);
  if (!original.ok()) return FileAnswer{ErrorForStatus(original.status())};
  if (cache.IsInsideCache(original->path)) {
    return FileAnswer{
        FileError{ErrorCode::kIsThumbnail, fmt::format("{}: is itself a thumbnail", *path)}};
  }
  xdg::Lookup lookup = cache.Find(*original, size);
  if (lookup.state == xdg::LookupState::kValid) return FileAnswer{};
  if (lookup.state == xdg::LookupState::kFailed) {
    return FileAnswer{
        FileError{ErrorCode::kInvalidData,
                  fmt::format("{}: failed before ({}); not retried until the file changes", *path,
                              lookup.path)}};
  }
  return std::nullopt;
}

}  // namespace tessera::dbus
