#include "src/media/exif_date.h"

#include <libexif/exif-data.h>

#include <cstdio>
#include <ctime>
#include <memory>

#include "src/media/file_bytes.h"

namespace tessera::media {

std::optional<int64_t> ParseExifDate(std::string_view text) {
  if (text.size() < 19) return std::nullopt;
  std::tm tm{};
  char colon1, colon2, space;
  const std::string head(text.substr(0, 19));
  if (std::sscanf(head.c_str(), "%4d%c%2d%c%2d%c%2d:%2d:%2d", &tm.tm_year, &colon1, &tm.tm_mon,
                  &colon2, &tm.tm_mday, &space, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 9 ||
      colon1 != ':' || colon2 != ':' || space != ' ') {
    return std::nullopt;
  }
  if (tm.tm_year < 1800 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
      tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm));
}

std::optional<int64_t> TakenAt(const std::string& path, std::string_view mime_type) {
  if (mime_type != "image/jpeg") return std::nullopt;
  Result<std::string> head = ReadFileHead(path, 128 * 1024);
  if (!head.ok()) return std::nullopt;
  std::unique_ptr<ExifData, decltype(&exif_data_unref)> exif(exif_data_new(), &exif_data_unref);
  if (!exif) return std::nullopt;
  exif_data_set_option(exif.get(), EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
  exif_data_load_data(exif.get(), reinterpret_cast<const unsigned char*>(head->data()),
                      static_cast<unsigned int>(head->size()));
  for (ExifTag tag : {EXIF_TAG_DATE_TIME_ORIGINAL, EXIF_TAG_DATE_TIME}) {
    ExifEntry* entry = exif_data_get_entry(exif.get(), tag);
    if (entry == nullptr || entry->format != EXIF_FORMAT_ASCII || entry->data == nullptr) continue;
    std::string_view text(reinterpret_cast<const char*>(entry->data), entry->size);
    if (std::optional<int64_t> seconds = ParseExifDate(text)) return seconds;
  }
  return std::nullopt;
}

}  // namespace tessera::media
