// Forgetting originals: the thumbnails of a deleted file, and a cleanup below some folders.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "src/xdg/internal.h"
#include "tessera/xdg.h"

namespace tessera::xdg {
namespace {

// The local original that `uri` names is gone (a remote one is never judged gone).
bool OriginalIsGone(const std::string& uri) {
  std::optional<std::string> path = internal::LocalPathOfUri(uri);
  struct stat st;
  return path && lstat(path->c_str(), &st) != 0 && (errno == ENOENT || errno == ENOTDIR);
}

bool ShouldCleanUp(const PngText& keys, const std::vector<std::string>& bases, int64_t since) {
  const std::string* uri = internal::FindKey(keys, "Thumb::URI");
  if (uri == nullptr) return false;  // not ours to judge: Clean's age rule handles those
  bool selected = bases.empty();
  for (const std::string& base : bases) selected = selected || internal::IsAtOrBelow(*uri, base);
  if (!selected) return false;
  if (OriginalIsGone(*uri)) return true;
  if (since <= 0) return false;
  const std::string* mtime_text = internal::FindKey(keys, "Thumb::MTime");
  std::optional<int64_t> mtime = mtime_text ? ParseMTime(*mtime_text) : std::nullopt;
  return mtime && *mtime < since;
}

}  // namespace

Result<int> Cache::Delete(const std::string& uri) const {
  const std::string name = Md5Hex(internal::CanonicalFormOfUri(uri)) + ".png";
  int removed = 0;
  for (const std::string& folder : internal::ThumbnailFolders(base_dir())) {
    const std::string path = folder + "/" + name;
    if (unlink(path.c_str()) == 0) {
      ++removed;
    } else if (errno != ENOENT) {
      return Status::FromErrno(errno, "delete " + path);
    }
  }
  return removed;
}

Result<int> Cache::Cleanup(const std::vector<std::string>& base_uris, int64_t since) const {
  std::vector<std::string> bases;
  for (const std::string& base : base_uris) bases.push_back(internal::CanonicalFormOfUri(base));
  int removed = 0;
  for (const std::string& folder : internal::ThumbnailFolders(base_dir())) {
    for (const std::string& thumb : internal::ThumbnailFilesIn(folder)) {
      Result<PngText> keys = ReadPngText(thumb);
      if (!keys.ok() || !ShouldCleanUp(*keys, bases, since)) continue;
      if (unlink(thumb.c_str()) == 0) {
        ++removed;
      } else if (errno != ENOENT) {
        return Status::FromErrno(errno, "cleanup " + thumb);
      }
    }
  }
  return removed;
}

}  // namespace tessera::xdg
