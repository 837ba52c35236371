// Writing a shared repository (.sh_thumbnails/ beside the originals), only when asked.
#include <sys/stat.h>

#include "src/xdg/internal.h"
#include "tessera/xdg.h"

namespace tessera::xdg::internal {

uint32_t ParentDirMode(const std::string& path) {
  struct stat st;
  if (stat(DirName(path).c_str(), &st) != 0) return 0700;
  // The owner keeps rwx, or we could not create the size folder inside the one we made.
  return (st.st_mode & 0777) | 0700;
}

Status StoreShared(const Original& original, ThumbSize size, const Image& image,
                   const ThumbMeta& meta) {
  // The same keys as the personal cache, except the URI: the escaped name relative to the
  // repository, since the absolute path differs between the users of a shared folder.
  PngText keys = ThumbKeys(original, meta);
  keys[0].second = SharedUri(original);
  TESSERA_ASSIGN_OR_RETURN(std::string png, EncodePng(image, keys));
  std::string path = SharedThumbnailPath(original.path, size);
  // Folders get the permissions of the folder holding the originals, the thumbnail those of the
  // original (the spec), so that whoever may see the file may see its thumbnail.
  TESSERA_RETURN_IF_ERROR(
      MakeDirs(DirName(path), ParentDirMode(original.path)).WithContext("store shared"));
  return WriteFileAtomically(path, png, original.mode & 0777).WithContext("store shared");
}

}  // namespace tessera::xdg::internal
