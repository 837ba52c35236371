#include "src/server/media_path.h"

#include <charconv>

#include "src/library/content_hash.h"

namespace tessera::server {
namespace {

constexpr std::string_view kPrefix = "/media/";

bool UrlSafeChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

std::optional<MediaKind> KindOf(std::string_view segment) {
  if (segment == "thumbnails_big") return MediaKind::kBig;
  if (segment == "square_thumbnails") return MediaKind::kSquare;
  if (segment == "small_square_thumbnails" || segment == "square_thumbnails_small") {
    return MediaKind::kSmallSquare;
  }
  if (segment == "photos") return MediaKind::kOriginal;
  if (segment == "faces") return MediaKind::kFace;
  if (segment == "avatars") return MediaKind::kAvatar;
  return std::nullopt;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::optional<MediaPath> ParseMediaPath(std::string_view path) {
  if (path.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const std::string_view rest = path.substr(kPrefix.size());
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::optional<MediaKind> kind = KindOf(rest.substr(0, slash));
  const std::string_view name = rest.substr(slash + 1);
  if (!kind || name.empty() || name.find('/') != std::string_view::npos) return std::nullopt;

  MediaPath out{*kind, "", -1, ""};
  switch (*kind) {
    case MediaKind::kFace: {
      // <hash>_<n>.jpg, n a decimal number without sign or leading zeros.
      if (!EndsWith(name, ".jpg") || name.size() < 64 + 2 + 4 || name[64] != '_') {
        return std::nullopt;
      }
      const std::string_view digits = name.substr(65, name.size() - 65 - 4);
      if (digits.empty() || digits.size() > 6 || (digits.size() > 1 && digits[0] == '0')) {
        return std::nullopt;
      }
      for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
      }
      int n = -1;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
      out.hash = std::string(name.substr(0, 64));
      out.face_index = n;
      break;
    }
    case MediaKind::kAvatar: {
      // <first_name>avatar_<hash>.png
      constexpr std::string_view kMarker = "avatar_";
      if (!EndsWith(name, ".png") || name.size() < kMarker.size() + 64 + 4) return std::nullopt;
      const std::string_view stem = name.substr(0, name.size() - 4);
      const std::string_view hash = stem.substr(stem.size() - 64);
      const std::string_view head = stem.substr(0, stem.size() - 64);
      if (!EndsWith(head, kMarker)) return std::nullopt;
      const std::string_view first = head.substr(0, head.size() - kMarker.size());
      for (char c : first) {
        if (!UrlSafeChar(c)) return std::nullopt;
      }
      out.hash = std::string(hash);
      out.first_name = std::string(first);
      break;
    }
    default:
      out.hash = std::string(name);
      break;
  }
  if (!library::IsContentHash(out.hash)) return std::nullopt;
  return out;
}

std::string UrlSafeFirstName(std::string_view first_name) {
  std::string out;
  for (char c : first_name) {
    if (UrlSafeChar(c)) out.push_back(c);
  }
  return out.empty() ? "user" : out;
}

}  // namespace tessera::server
