// The cache's folders and the URIs that name thumbnails in them, for the operations that walk
// the cache (Move, Copy, Delete, Cleanup).
#include <dirent.h>
#include <fmt/format.h>
#include <glib.h>
#include <sys/stat.h>

#include <algorithm>
#include <memory>

#include "src/xdg/internal.h"
#include "tessera/xdg.h"

namespace tessera::xdg::internal {
namespace {

struct DirCloser {
  void operator()(DIR* dir) const { closedir(dir); }
};

}  // namespace

bool IsThumbnailName(std::string_view name) {
  if (name.size() != 36 || name.substr(32) != ".png") return false;
  return std::all_of(name.begin(), name.begin() + 32,
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::vector<std::string> ThumbnailFolders(const std::string& base_dir) {
  std::vector<std::string> folders;
  for (ThumbSize size : kAllSizes)
    folders.push_back(fmt::format("{}/{}", base_dir, SizeDirName(size)));
  folders.push_back(fmt::format("{}/fail/{}", base_dir, FailureDirName()));
  return folders;
}

std::vector<std::string> ThumbnailFilesIn(const std::string& dir) {
  std::vector<std::string> files;
  std::unique_ptr<DIR, DirCloser> handle(opendir(dir.c_str()));
  if (!handle) return files;
  while (struct dirent* e = readdir(handle.get())) {
    if (!IsThumbnailName(e->d_name)) continue;
    std::string path = dir + "/" + e->d_name;
    struct stat st;
    if (lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) files.push_back(std::move(path));
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::optional<std::string> LocalPathOfUri(const std::string& uri) {
  if (uri.rfind("file:", 0) != 0) return std::nullopt;
  char* hostname = nullptr;
  char* path = g_filename_from_uri(uri.c_str(), &hostname, nullptr);
  std::optional<std::string> result;
  // "file://localhost/a" is local; any other host is not this machine's file.
  if (path != nullptr && (hostname == nullptr || g_ascii_strcasecmp(hostname, "localhost") == 0)) {
    result = path;
  }
  g_free(path);
  g_free(hostname);
  return result;
}

std::string CanonicalFormOfUri(const std::string& uri) {
  std::optional<std::string> path = LocalPathOfUri(uri);
  if (!path) return uri;
  std::string canonical = CanonicalUri(*path);
  return canonical.empty() ? uri : canonical;
}

bool IsAtOrBelow(std::string_view uri, std::string_view base) {
  while (!base.empty() && base.back() == '/' && !base.ends_with(":///")) base.remove_suffix(1);
  if (uri.substr(0, base.size()) != base) return false;
  return uri.size() == base.size() || uri[base.size()] == '/' || base.back() == '/';
}

}  // namespace tessera::xdg::internal
