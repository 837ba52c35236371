// When a photo was taken, from its EXIF DateTimeOriginal (JPEG only: the APP1 segment is in the
// file's first 128 KiB).
#ifndef TESSERA_MEDIA_EXIF_DATE_H_
#define TESSERA_MEDIA_EXIF_DATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tessera::media {

// Seconds since the epoch of "YYYY:MM:DD HH:MM:SS", read as UTC (EXIF 2.2 has no time zone;
// the camera's clock is taken as it was set). nullopt for anything else, including the
// all-blank and all-zero dates some cameras write.
std::optional<int64_t> ParseExifDate(std::string_view text);

// The DateTimeOriginal (or, failing that, DateTime) of a JPEG file; nullopt for other types,
// files without one, and malformed EXIF.
std::optional<int64_t> TakenAt(const std::string& path, std::string_view mime_type);

}  // namespace tessera::media

#endif  // TESSERA_MEDIA_EXIF_DATE_H_
