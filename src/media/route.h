// Where a file is decoded: in this process (the hardened libvips loaders) or in an isolated
// helper (video, RAW, ImageMagick formats and the loaders libvips itself marks untrusted).
#ifndef TESSERA_MEDIA_ROUTE_H_
#define TESSERA_MEDIA_ROUTE_H_

#include <string>
#include <string_view>

namespace tessera::media {

struct Route {
  std::string mime_type;  // shared-mime-info name
  // "jpeg", "png", "webp", "gif", "heif", "tiff" (in process); "svg", "pdf", "jxl" (libvips in
  // the helper); "video", "raw", "magick" (the helper's own decoders); "" when nothing decodes it.
  std::string family;
  bool isolated = false;  // decoded in a helper process
};

// Routes a file from its first bytes (`head`, 4 KiB is enough). The content decides; the name
// is consulted only when the content is unknown binary or TIFF, and then only to pick a RAW,
// video or ImageMagick format that has no reliable magic number (Targa, QuickTime without an
// ftyp box, TIFF-based camera RAW such as NEF, ARW, CR2 or DNG). Thread-safe.
Route RouteFile(const std::string& path, std::string_view head);

// True for the families decoded in a helper process.
bool IsIsolatedFamily(std::string_view family);

}  // namespace tessera::media

#endif  // TESSERA_MEDIA_ROUTE_H_
