// The /media/ routes: auth, visibility, then a stored variant or the original file, with
// entity tags, conditional requests and byte ranges.
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <string>

#include "src/server/http_cache.h"
#include "src/server/media_path.h"
#include "src/server/responses.h"
#include "src/server/routes.h"

namespace tessera::server {
namespace {

std::string_view ContentTypeFor(std::string_view ext) {
  if (ext == "jpg") return "image/jpeg";
  if (ext == "webp") return "image/webp";
  if (ext == "png") return "image/png";
  if (ext == "avif") return "image/avif";
  if (ext == "mp4") return "video/mp4";
  if (ext == "webm") return "video/webm";
  return "application/octet-stream";
}

// The extension of a variant's file: the format its recipe names as a word ("... jpg q85 ...",
// or "jpeg"); any known one when the recipe names none.
std::vector<std::string_view> ExtensionsFor(std::string_view recipe) {
  std::vector<std::string_view> exts(std::begin(library::kMediaExtensions),
                                     std::end(library::kMediaExtensions));
  std::vector<std::string_view> words;
  for (size_t start = 0; start < recipe.size();) {
    size_t end = std::min(recipe.find(' ', start), recipe.size());
    words.push_back(recipe.substr(start, end - start));
    start = end + 1;
  }
  auto named = [&](std::string_view ext) {
    return std::any_of(words.begin(), words.end(), [&](std::string_view word) {
      return word == ext || (ext == "jpg" && word == "jpeg");
    });
  };
  // Only the format the recipe names: a file left in another one is not this variant.
  std::vector<std::string_view> chosen;
  std::copy_if(exts.begin(), exts.end(), std::back_inserter(chosen), named);
  return chosen.empty() ? exts : chosen;
}

// The fixed-width hex of a stable 64-bit FNV-1a hash: the recipe's part of an entity tag (the
// tag must change when a setting regenerates the file, and stay put across restarts).
std::string RecipeTag(std::string_view recipe) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : recipe) h = (h ^ c) * 1099511628211ull;
  char out[17];
  snprintf(out, sizeof(out), "%016llx", static_cast<unsigned long long>(h));
  return out;
}

// The caching headers every media answer (200, 206, 304) carries.
void AddCacheHeaders(Response& response, bool is_public, const std::string& etag,
                     const struct stat& st, int64_t max_age) {
  response.AddHeader("ETag", etag);
  response.AddHeader("Last-Modified", HttpDate(st.st_mtime));
  response.AddHeader("Cache-Control", (is_public ? "public, max-age=" : "private, max-age=") +
                                          std::to_string(max_age));
  if (!is_public) response.AddHeader("Vary", "Authorization, Cookie");
}

// The body of a file the router has just stat'ed as `st`.
FileBody StatedFile(const std::string& path, ByteRange range, const struct stat& st) {
  return FileBody{path, range, static_cast<uint64_t>(st.st_size), static_cast<uint64_t>(st.st_ino),
                  static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

Response NotModified(bool is_public, const std::string& etag, const struct stat& st,
                     int64_t max_age) {
  Response response;
  response.status = 304;
  AddCacheHeaders(response, is_public, etag, st, max_age);
  return response;
}

}  // namespace

Response Router::HandleMedia(const Request& request, std::string_view path) {
  std::optional<MediaPath> media = ParseMediaPath(path);
  if (!media) return ErrorResponse(404);
  if (request.method != "GET" && request.method != "HEAD") return MethodNotAllowed("GET, HEAD");
  if (media->kind == MediaKind::kAvatar) return HandleAvatar(request, *media);
  Auth auth = Authenticate(request);
  if (auth.bad_token) return Unauthorized(/*invalid_token=*/true);
  const std::string photo_key =
      fmt::format("{}/{}", auth.viewer ? *auth.viewer : int64_t{-1}, media->hash);
  Result<std::optional<library::Photo>> photo = std::optional<library::Photo>();
  if (std::optional<std::optional<library::Photo>> cached = photo_cache_.Find(photo_key)) {
    photo = std::move(*cached);
  } else {
    photo = catalog_.FindPhotoForViewer(media->hash, auth.viewer);
    if (photo.ok()) photo_cache_.Put(photo_key, *photo);
  }
  if (!photo.ok()) {
    spdlog::error("media: catalog lookup failed: {}", photo.status().ToString());
    return ErrorResponse(500);
  }
  if (!photo->has_value()) {
    // Anonymous: sign in and maybe you may. Signed in: it does not exist for you.
    return auth.viewer ? ErrorResponse(404) : Unauthorized(/*invalid_token=*/false);
  }
  switch (media->kind) {
    case MediaKind::kBig:
      return HandleVariant(request, **photo, "thumbnails_big", "big");
    case MediaKind::kSquare:
      return HandleVariant(request, **photo, "square_thumbnails", "square");
    case MediaKind::kSmallSquare:
      return HandleVariant(request, **photo, "small_square_thumbnails", "small_square");
    case MediaKind::kFace:
      return HandleFace(request, **photo, media->face_index);
    default:
      return HandleOriginal(request, **photo);
  }
}

Response Router::HandleVariant(const Request& request, const library::Photo& photo,
                               std::string_view store_kind, std::string_view variant_kind) {
  const std::string variant_key = fmt::format("{}/{}", photo.id, store_kind);
  Result<std::optional<library::Variant>> variant = std::optional<library::Variant>();
  if (std::optional<std::optional<library::Variant>> cached = variant_cache_.Find(variant_key)) {
    variant = std::move(*cached);
  } else {
    variant = catalog_.FindVariant(photo.id, store_kind);
    if (variant.ok()) variant_cache_.Put(variant_key, *variant);
  }
  if (!variant.ok()) {
    spdlog::error("media: variant lookup failed: {}", variant.status().ToString());
    return ErrorResponse(500);
  }
  if (!variant->has_value()) return ErrorResponse(404);
  const std::string& recipe = (*variant)->recipe;
  for (std::string_view ext : ExtensionsFor(recipe)) {
    Result<std::string> path = store_.Path(store_kind, photo.hash, ext);
    struct stat st;
    if (!path.ok() || stat(path->c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    std::string etag =
        MakeETag(photo.hash + "-" + std::string(store_kind) + "-" + RecipeTag(recipe));
    return ServeStat(request, *path, st, etag, photo.is_public, ContentTypeFor(ext));
  }
  // Catalogued but not on disk (being regenerated, or removed by hand).
  spdlog::warn("media: {} variant of photo {} is missing from the store", variant_kind, photo.id);
  return ErrorResponse(404);
}

Response Router::HandleOriginal(const Request& request, const library::Photo& photo) {
  if (!options_.locate_original) return ErrorResponse(501);
  Result<std::optional<std::string>> located = options_.locate_original(photo);
  if (!located.ok()) {
    spdlog::error("media: locating the original of photo {} failed: {}", photo.id,
                  located.status().ToString());
    return ErrorResponse(500);
  }
  struct stat st;
  if (!located->has_value() || stat((*located)->c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return ErrorResponse(404);
  }
  // The content hash names the bytes, so it is the tag; mtime changes do not matter.
  std::string etag = MakeETag(photo.hash);
  if (IfNoneMatchHits(request.Header("If-None-Match"), etag)) {
    return NotModified(photo.is_public, etag, st, options_.media_max_age_seconds);
  }
  std::string mime =
      photo.meta.mime_type.empty() ? "application/octet-stream" : photo.meta.mime_type;
  return ServeRange(request, **located, st, etag, photo.is_public, mime);
}

Response Router::ServeRange(const Request& request, const std::string& path, const struct stat& st,
                            const std::string& etag, bool is_public,
                            std::string_view content_type) {
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  Response response;
  response.AddHeader("Accept-Ranges", "bytes");
  ByteRange range;
  switch (ParseRange(request.Header("Range"), size, &range)) {
    case RangeVerdict::kUnsatisfiable: {
      Response refused = ErrorResponse(416);
      refused.AddHeader("Content-Range", "bytes */" + std::to_string(size));
      return refused;
    }
    case RangeVerdict::kPartial:
      range.last = std::min(range.last, range.first + options_.max_partial_bytes - 1);
      response.status = 206;
      response.AddHeader("Content-Range", ContentRange(range, size));
      break;
    case RangeVerdict::kWhole:
      range = ByteRange{0, size == 0 ? 0 : size - 1};
      break;
  }
  response.AddHeader("Content-Type", std::string(content_type));
  AddCacheHeaders(response, is_public, etag, st, options_.media_max_age_seconds);
  if (size > 0) response.file = StatedFile(path, range, st);
  return response;
}

Response Router::ServeStored(const Request& request, const std::string& path,
                             const std::string& etag, bool is_public,
                             std::string_view content_type) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return ErrorResponse(404);
  return ServeStat(request, path, st, etag, is_public, content_type);
}

Response Router::ServeStat(const Request& request, const std::string& path, const struct stat& st,
                           const std::string& etag, bool is_public, std::string_view content_type) {
  if (IfNoneMatchHits(request.Header("If-None-Match"), etag)) {
    return NotModified(is_public, etag, st, options_.media_max_age_seconds);
  }
  // Stored videos (a clip as a square thumbnail) seek, and Safari plays only what it can range.
  if (content_type.rfind("video/", 0) == 0) {
    return ServeRange(request, path, st, etag, is_public, content_type);
  }
  Response response;
  response.AddHeader("Content-Type", std::string(content_type));
  AddCacheHeaders(response, is_public, etag, st, options_.media_max_age_seconds);
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > 0) response.file = StatedFile(path, ByteRange{0, size - 1}, st);
  return response;
}

Response Router::HandleFace(const Request& request, const library::Photo& photo, int index) {
  Result<std::vector<library::Face>> faces = catalog_.FacesOfPhoto(photo.id);
  if (!faces.ok()) {
    spdlog::error("media: face lookup failed: {}", faces.status().ToString());
    return ErrorResponse(500);
  }
  auto face = std::find_if(faces->begin(), faces->end(),
                           [index](const library::Face& f) { return f.index == index; });
  if (face == faces->end()) return ErrorResponse(404);
  const std::string name = library::FaceName(photo.hash, index);
  Result<std::string> path = store_.Path("faces", name, "jpg");
  if (!path.ok()) return ErrorResponse(404);
  // The box is part of the tag: a new detection may move face n.
  std::string etag = MakeETag(
      fmt::format("{}-{}-{}", name, face->x * 7919 + face->y, face->width * 7919 + face->height));
  return ServeStored(request, *path, etag, photo.is_public, "image/jpeg");
}

Response Router::HandleAvatar(const Request& request, const MediaPath& media) {
  // Any signed-in user may see avatars; nobody else.
  Auth auth = Authenticate(request);
  if (auth.bad_token || !auth.viewer) return Unauthorized(/*invalid_token=*/auth.bad_token);
  Result<std::optional<library::User>> user = catalog_.FindUserByAvatar(media.hash);
  if (!user.ok()) {
    spdlog::error("media: avatar lookup failed: {}", user.status().ToString());
    return ErrorResponse(500);
  }
  if (!user->has_value() || UrlSafeFirstName((*user)->first_name) != media.first_name) {
    return ErrorResponse(404);
  }
  Result<std::string> path = store_.Path("avatars", media.hash, "png");
  if (!path.ok()) return ErrorResponse(404);
  return ServeStored(request, *path, MakeETag("avatar-" + media.hash), /*is_public=*/false,
                     "image/png");
}

}  // namespace tessera::server
