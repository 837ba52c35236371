// The personal cache: look up, store.
#include <fmt/format.h>

#include "src/xdg/internal.h"
#include "tessera/xdg.h"

namespace tessera::xdg {

Lookup Cache::Find(const Original& original, ThumbSize size) const {
  Lookup personal =
      internal::CheckThumbnail(ThumbnailPath(original.uri, size), original, original.uri, false);
  if (personal.state == LookupState::kValid) return personal;
  // The spec: when the personal thumbnail is missing or outdated, a valid shared one serves.
  if (options_.read_shared) {
    Lookup shared = internal::CheckThumbnail(SharedThumbnailPath(original.path, size), original,
                                             internal::SharedUri(original), true);
    if (shared.state == LookupState::kValid) return shared;
  }
  std::string failure = FailurePath(original.uri);
  if (internal::CheckThumbnail(failure, original, original.uri, false).state ==
      LookupState::kValid) {
    return Lookup{LookupState::kFailed, failure, "a failure record for this mtime and size", false};
  }
  return personal;
}

Status Cache::Store(const Original& original, ThumbSize size, const Image& image,
                    const ThumbMeta& meta) const {
  const int edge = SizePixels(size);
  if (image.width <= 0 || image.height <= 0 || image.width > edge || image.height > edge) {
    return Status::InvalidArgument(fmt::format("store: {}x{} does not fit the {} box of {}",
                                               image.width, image.height, edge, SizeDirName(size)));
  }
  TESSERA_ASSIGN_OR_RETURN(std::string png, EncodePng(image, ThumbKeys(original, meta)));
  std::string path = ThumbnailPath(original.uri, size);
  // The base folder too is 0700 when we create it (the spec: all the folders).
  TESSERA_RETURN_IF_ERROR(MakeDirs(internal::DirName(path), 0700).WithContext("store"));
  TESSERA_RETURN_IF_ERROR(WriteFileAtomically(path, png, 0600).WithContext("store"));
  if (options_.write_shared) {
    TESSERA_RETURN_IF_ERROR(internal::StoreShared(original, size, image, meta));
  }
  return Status::Ok();
}

}  // namespace tessera::xdg
