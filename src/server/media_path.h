// The seed's media URLs, parsed without touching the file system: anything that is not exactly
// one of these shapes, with a well-formed content hash, is "not found".
//   /media/thumbnails_big/<hash>              the big thumbnail
//   /media/square_thumbnails/<hash>           the 500 px square
//   /media/small_square_thumbnails/<hash>     the 250 px square (also square_thumbnails_small,
//                                             LibrePhotos' real path)
//   /media/photos/<hash>                      the original
//   /media/faces/<hash>_<n>.jpg               face n of the photo
//   /media/avatars/<first_name>avatar_<hash>.png
#ifndef TESSERA_SERVER_MEDIA_PATH_H_
#define TESSERA_SERVER_MEDIA_PATH_H_

#include <optional>
#include <string>
#include <string_view>

namespace tessera::server {

enum class MediaKind { kBig, kSquare, kSmallSquare, kOriginal, kFace, kAvatar };

struct MediaPath {
  MediaKind kind;
  std::string hash;        // 64 lowercase hex characters
  int face_index = -1;     // kFace: n >= 0
  std::string first_name;  // kAvatar: as written in the URL ([A-Za-z0-9_-]*)
};

// Parses the path part of a request target (no query string; the caller strips it).
// nullopt for anything else: unknown kinds, malformed hashes, extra segments, "..", "%2e",
// empty segments, trailing slashes.
std::optional<MediaPath> ParseMediaPath(std::string_view path);

// The URL-safe form of a first name used in avatar URLs: ASCII letters, digits, '-' and '_'
// kept, anything else dropped; "user" when nothing is left.
std::string UrlSafeFirstName(std::string_view first_name);

}  // namespace tessera::server

#endif  // TESSERA_SERVER_MEDIA_PATH_H_
