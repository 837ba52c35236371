#include "src/media/exif_thumbnail.h"

#include <libexif/exif-data.h>

#include <memory>

namespace tessera::media {

std::optional<std::string> ExifThumbnail(std::string_view jpeg) {
  // exif_data_load_data finds the APP1 segment of a whole JPEG itself.
  std::unique_ptr<ExifData, decltype(&exif_data_unref)> exif(exif_data_new(), &exif_data_unref);
  if (!exif) return std::nullopt;
  exif_data_set_option(exif.get(), EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
  exif_data_load_data(exif.get(), reinterpret_cast<const unsigned char*>(jpeg.data()),
                      static_cast<unsigned int>(jpeg.size()));
  if (exif->data == nullptr || exif->size < 4) return std::nullopt;
  const auto* data = reinterpret_cast<const char*>(exif->data);
  // Only a JPEG (SOI marker) is usable: some cameras store uncompressed TIFF strips instead.
  if (static_cast<unsigned char>(data[0]) != 0xFF || static_cast<unsigned char>(data[1]) != 0xD8) {
    return std::nullopt;
  }
  return std::string(data, exif->size);
}

}  // namespace tessera::media
