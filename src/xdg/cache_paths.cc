// Where thumbnails live: the personal cache, the failure folder, the shared repository.
#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "src/xdg/internal.h"
#include "tessera/xdg.h"

namespace tessera::xdg {
namespace {

std::string HomeDir() {
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') return home;
  std::vector<char> buffer(16384);
  struct passwd pw;
  struct passwd* result = nullptr;
  if (getpwuid_r(getuid(), &pw, buffer.data(), buffer.size(), &result) == 0 && result != nullptr) {
    return result->pw_dir;
  }
  return "/";
}

// True when `path` is `dir` or lies below it (component-wise, not as a string prefix).
bool IsUnder(std::string_view path, std::string_view dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.remove_suffix(1);
  if (path.substr(0, dir.size()) != dir) return false;
  return path.size() == dir.size() || path[dir.size()] == '/' || dir == "/";
}

}  // namespace

std::string DefaultCacheDir() {
  // The XDG Base Directory rule: a relative XDG_CACHE_HOME is invalid and ignored.
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/thumbnails";
  return HomeDir() + "/.cache/thumbnails";
}

Cache::Cache(CacheOptions options) : options_(std::move(options)) {
  options_.base_dir =
      AbsoluteNormalizedPath(options_.base_dir.empty() ? DefaultCacheDir() : options_.base_dir);
}

std::string Cache::ThumbnailPath(const std::string& uri, ThumbSize size) const {
  return fmt::format("{}/{}/{}.png", options_.base_dir, SizeDirName(size), Md5Hex(uri));
}

std::string Cache::FailurePath(const std::string& uri) const {
  return fmt::format("{}/fail/{}/{}.png", options_.base_dir, internal::FailureDirName(),
                     Md5Hex(uri));
}

bool Cache::IsInsideCache(const std::string& absolute_path) const {
  if (IsUnder(absolute_path, options_.base_dir)) return true;
  std::string_view rest = absolute_path;
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view component = rest.substr(0, slash);
    if (component == ".thumbnails" || component == ".sh_thumbnails") return true;
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return false;
}

std::string SharedThumbnailPath(const std::string& original_path, ThumbSize size) {
  std::string absolute = AbsoluteNormalizedPath(original_path);
  std::string relative_uri = "./" + internal::EscapedBasename(CanonicalUri(absolute));
  return fmt::format("{}/.sh_thumbnails/{}/{}.png", internal::DirName(absolute), SizeDirName(size),
                     Md5Hex(relative_uri));
}

namespace internal {

std::string SoftwareName() { return "tessera " TESSERA_VERSION; }
std::string FailureDirName() { return "tessera-" TESSERA_VERSION; }

}  // namespace internal
}  // namespace tessera::xdg
