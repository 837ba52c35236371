// The Thumb:: keys we write, and tolerant parsing of the ones others write.
#include <charconv>
#include <cmath>

#include "src/xdg/internal.h"
#include "tessera/xdg.h"

namespace tessera::xdg {

PngText ThumbKeys(const Original& original, const ThumbMeta& meta) {
  PngText keys;
  keys.emplace_back("Thumb::URI", original.uri);
  keys.emplace_back("Thumb::MTime", std::to_string(original.mtime));  // integer, as GLib wants
  keys.emplace_back("Thumb::Size", std::to_string(original.size));
  if (!meta.mime_type.empty()) keys.emplace_back("Thumb::Mimetype", meta.mime_type);
  if (meta.image_width > 0 && meta.image_height > 0) {
    keys.emplace_back("Thumb::Image::Width", std::to_string(meta.image_width));
    keys.emplace_back("Thumb::Image::Height", std::to_string(meta.image_height));
  }
  if (meta.pages > 0) keys.emplace_back("Thumb::Document::Pages", std::to_string(meta.pages));
  if (meta.movie_length > 0) {
    // Whole seconds, as other thumbnailers write it; a sub-second clip still says 1.
    long long seconds = std::max(1LL, std::llround(meta.movie_length));
    keys.emplace_back("Thumb::Movie::Length", std::to_string(seconds));
  }
  keys.emplace_back("Software", internal::SoftwareName());
  return keys;
}

std::optional<int64_t> ParseMTime(std::string_view text) {
  // Integer seconds, optionally followed by a fraction: tumbler writes "1700000000.123456".
  // GLib rejects such thumbnails; we accept the integer part of others' files.
  size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  if (dot != std::string_view::npos) {
    std::string_view fraction = text.substr(dot + 1);
    for (char c : fraction) {
      if (c < '0' || c > '9') return std::nullopt;
    }
  }
  if (!whole.empty() && whole[0] == '+') return std::nullopt;
  int64_t value = 0;
  auto [end, error] = std::from_chars(whole.data(), whole.data() + whole.size(), value);
  if (error != std::errc() || end != whole.data() + whole.size() || whole.empty()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace tessera::xdg
