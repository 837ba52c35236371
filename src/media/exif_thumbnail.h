// The small JPEG that cameras embed in EXIF (IFD1), for fast low-quality thumbnails.
#ifndef TESSERA_MEDIA_EXIF_THUMBNAIL_H_
#define TESSERA_MEDIA_EXIF_THUMBNAIL_H_

#include <optional>
#include <string>
#include <string_view>

namespace tessera::media {

// The embedded thumbnail's JPEG bytes, or nullopt when `jpeg` carries none. Parsed by libexif;
// never fails on malformed EXIF (that is simply "none").
std::optional<std::string> ExifThumbnail(std::string_view jpeg);

}  // namespace tessera::media

#endif  // TESSERA_MEDIA_EXIF_THUMBNAIL_H_
