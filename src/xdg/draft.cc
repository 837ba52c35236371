// The 2001 draft (0.0.1) as an export layout: .thumbnails/<E>x<E>/<name>.<hq|lq>.png beside the
// original, validity by mtime (the thumbnail's mtime is set to the original's), permissions
// copied from the original, and empty <name>.failed files.
#include <fmt/format.h>
#include <sys/stat.h>

#include "src/xdg/internal.h"
#include "tessera/xdg.h"

namespace tessera::xdg {
namespace {

struct timespec OriginalTime(const Original& original) {
  struct timespec ts;
  ts.tv_sec = original.mtime;
  ts.tv_nsec = original.mtime_nsec;
  return ts;
}

bool IsDraftSize(int edge) {
  for (int size : kDraftSizes) {
    if (size == edge) return true;
  }
  return false;
}

}  // namespace

std::string DraftThumbnailPath(const std::string& original_path, int edge, DraftQuality quality) {
  std::string absolute = AbsoluteNormalizedPath(original_path);
  return fmt::format("{}/.thumbnails/{}x{}/{}.{}.png", internal::DirName(absolute), edge, edge,
                     internal::BaseName(absolute), quality == DraftQuality::kHigh ? "hq" : "lq");
}

std::string DraftFailurePath(const std::string& original_path) {
  std::string absolute = AbsoluteNormalizedPath(original_path);
  return fmt::format("{}/.thumbnails/{}.failed", internal::DirName(absolute),
                     internal::BaseName(absolute));
}

Status StoreDraft(const Original& original, int edge, DraftQuality quality, const Image& image,
                  int original_width, int original_height) {
  if (!IsDraftSize(edge) || image.width > edge || image.height > edge) {
    return Status::InvalidArgument(
        fmt::format("store draft: {}x{} in a {} box", image.width, image.height, edge));
  }
  PngText keys;
  if (original_width > 0 && original_height > 0) {
    keys.emplace_back("Width", std::to_string(original_width));
    keys.emplace_back("Height", std::to_string(original_height));
  }
  keys.emplace_back("Size", std::to_string(original.size));
  keys.emplace_back("Software", internal::SoftwareName());
  TESSERA_ASSIGN_OR_RETURN(std::string png, EncodePng(image, keys));
  std::string path = DraftThumbnailPath(original.path, edge, quality);
  TESSERA_RETURN_IF_ERROR(MakeDirs(internal::DirName(path), internal::ParentDirMode(original.path))
                              .WithContext("store draft"));
  return internal::WriteFileAtomicallyWithTime(path, png, original.mode & 0777,
                                               OriginalTime(original))
      .WithContext("store draft");
}

Status RecordDraftFailure(const Original& original) {
  std::string path = DraftFailurePath(original.path);
  TESSERA_RETURN_IF_ERROR(MakeDirs(internal::DirName(path), internal::ParentDirMode(original.path))
                              .WithContext("record draft failure"));
  // The draft asks only for an empty file; its mtime set to the original's lets a changed
  // original be retried, as the draft's thumbnails are.
  return internal::WriteFileAtomicallyWithTime(path, "", original.mode & 0777,
                                               OriginalTime(original))
      .WithContext("record draft failure");
}

namespace internal {

bool DraftFileMatches(const std::string& path, const Original& original) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         st.st_mtim.tv_sec == original.mtime && st.st_mtim.tv_nsec == original.mtime_nsec;
}

}  // namespace internal
}  // namespace tessera::xdg
