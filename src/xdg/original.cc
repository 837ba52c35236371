#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "tessera/xdg.h"

namespace tessera::xdg {

Result<Original> StatOriginal(const std::string& path) {
  Original original;
  original.path = AbsoluteNormalizedPath(path);
  struct stat st;
  if (stat(original.path.c_str(), &st) != 0) return Status::FromErrno(errno, path);
  if (!S_ISREG(st.st_mode)) {
    return Status::Unsupported(fmt::format("{}: not a regular file", path));
  }
  // The spec: an original the user cannot read gets nothing read from or written to the cache,
  // failure records included, so that a later chmod makes it thumbnailable again.
  if (access(original.path.c_str(), R_OK) != 0) return Status::FromErrno(errno, path);
  original.uri = CanonicalUri(original.path);
  if (original.uri.empty()) return Status::Internal(fmt::format("{}: no URI", path));
  original.mtime = st.st_mtim.tv_sec;
  original.mtime_nsec = st.st_mtim.tv_nsec;
  original.size = static_cast<uint64_t>(st.st_size);
  original.mode = st.st_mode;
  return original;
}

}  // namespace tessera::xdg
