// The media server's HTTP routes as one pure function from a Request to a Response, given the
// catalog, the media store and the token service. No sockets: http_server.h is the transport.
//
//   GET|HEAD /media/{thumbnails_big,square_thumbnails,small_square_thumbnails,
//                    square_thumbnails_small}/<hash>     a stored variant
//   GET|HEAD /media/photos/<hash>                        the original, with Range
//   POST     /api/auth/token/obtain/  {"username","password"} -> {"access","refresh"}
//   POST     /api/auth/token/refresh/ {"refresh"}             -> {"access"}
//   POST     /api/auth/logout/  {"refresh"?} + the access token: revokes both
//   GET|HEAD /api/health                                       -> {"status":"ok"}
//   GET      /api/photos?offset=&limit=   the photos the user may see, paged, with placeholders
//   GET      /api/jobs                    scan progress (count, rate, ETA) and the job queue
//   POST     /api/photos/<hash>/share     {"user": NAME}   owner only: share with NAME
//   POST     /api/photos/<hash>/unshare   {"user": NAME}
//   POST     /api/photos/<hash>/public    {"public": bool} owner only
//   PUT      /api/user/avatar             image bytes: the signed-in user's avatar
//   GET|HEAD /media/faces/<hash>_<n>.jpg, /media/avatars/<first_name>avatar_<hash>.png
//
// Auth on /media/: a bearer token (Authorization header, or the "jwt" cookie LibrePhotos' web
// client sends). A bad or expired token is 401 whatever the photo; an anonymous request sees
// public photos and gets 401 with WWW-Authenticate for anything else; a signed-in user asking
// for a photo they may not see gets 404, exactly as for a hash that does not exist. Malformed
// media paths are 404 before the catalog or the disk is touched.
//
// Bodies never carry internal error text; tokens and passwords are never logged.
//
// Thread safety: Handle may be called from many threads at once (the catalog, store, token
// service and limiter are thread-safe).
#ifndef TESSERA_SERVER_ROUTES_H_
#define TESSERA_SERVER_ROUTES_H_

#include <sys/stat.h>

#include <cstdint>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "src/library/catalog.h"
#include "src/library/media_store.h"
#include "src/library/passwords.h"
#include "src/server/http_types.h"
#include "src/server/login_limiter.h"
#include "src/server/media_path.h"
#include "src/server/tokens.h"
#include "src/server/ttl_cache.h"
#include "tessera/status.h"

namespace tessera::server {

// Finds the path of a photo's original file (one of its copies on disk), or nullopt when it has
// none (LocateOriginal in original_locator.h builds one on the catalog).
using OriginalLocator =
    std::function<Result<std::optional<std::string>>(const library::Photo& photo)>;

// Turns uploaded image bytes into the avatar PNG to store (square, decoded like any untrusted
// file). Errors: Unsupported / Corrupt / TooLarge for the image itself, others for the server.
using AvatarMaker = std::function<Result<std::string>(std::string_view image_bytes)>;

// The /api/jobs body for a signed-in user: the scans of their libraries.
using JobsReporter = std::function<nlohmann::json(int64_t user_id)>;

// Asks for a scan of the library that reads its failed files again (POST /api/jobs/retry).
using RetryRequester = std::function<void(int64_t library_id)>;

struct RouterOptions {
  int64_t access_ttl_seconds = 15 * 60;
  int64_t refresh_ttl_seconds = 7 * 24 * 3600;
  int max_login_failures = 5;         // per user name and per client address ...
  int64_t login_window_seconds = 60;  // ... within this window, then 429
  int64_t media_max_age_seconds = 3600;
  // Partial responses are cut to at most this many bytes (a client asking "bytes=0-" of a big
  // video gets the first part and asks again, as players do).
  uint64_t max_partial_bytes = 8 << 20;
  // Null: /media/photos/ answers 501 (after auth checks).
  OriginalLocator locate_original;
  // Null: PUT /api/user/avatar answers 501.
  AvatarMaker make_avatar;
  // Null: /api/jobs reports only the catalog's queue and failure ledger.
  JobsReporter report_jobs;
  // Null: POST /api/jobs/retry answers 501.
  RetryRequester request_retry;
  int64_t max_listed_failures = 100;  // /api/jobs lists at most this many failed files
  int64_t max_page_size = 500;        // /api/photos' limit
  // How long verified tokens and catalog answers for /media/ are remembered (0: not at all).
  // Changes made through this router apply at once; a logout, share or publication made by
  // another process (another host, the command line) is seen within this time.
  int64_t cache_ttl_ms = 2000;
  // Seconds since the epoch for the login limiter; null for the system clock.
  std::function<int64_t()> clock;
  // The cost of the dummy hash checked for unknown user names, so that the time an answer takes
  // does not tell which names exist. Tests lower it.
  library::PasswordCost dummy_password_cost = library::kDefaultPasswordCost;
};

class Router {
 public:
  Router(library::Catalog& catalog, const library::MediaStore& store, const TokenService& tokens,
         RouterOptions options = {});
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  Response Handle(const Request& request);

 private:
  // Who a request speaks for: anonymous, a user, or someone presenting a bad token.
  struct Auth {
    bool bad_token = false;
    library::Viewer viewer;
    std::optional<TokenClaims> claims;  // of the access token, when signed in
  };
  Auth Authenticate(const Request& request);

  Response HandleMedia(const Request& request, std::string_view path);
  Response HandleOriginal(const Request& request, const library::Photo& photo);
  Response HandleVariant(const Request& request, const library::Photo& photo,
                         std::string_view store_kind, std::string_view variant_kind);
  Response HandleObtain(const Request& request);
  Response HandleRefresh(const Request& request);
  Response HandleLogout(const Request& request);
  // /api/ routes other than sign-in; `path` without a trailing slash.
  Response HandleApi(const Request& request, std::string_view path);
  Response HandlePhotos(const Request& request, int64_t user_id);
  Response HandleJobs(int64_t user_id);
  Response HandleRetry(int64_t user_id);
  Response HandlePhotoAction(const Request& request, int64_t user_id, std::string_view hash,
                             std::string_view action);
  Response HandleAvatarUpload(const Request& request, int64_t user_id);
  Response HandleFace(const Request& request, const library::Photo& photo, int index);
  Response HandleAvatar(const Request& request, const MediaPath& media);
  // A stored file with an entity tag, conditional GET and caching headers.
  Response ServeStored(const Request& request, const std::string& path, const std::string& etag,
                       bool is_public, std::string_view content_type);
  // The same, for a file already stat'ed as `st`.
  Response ServeStat(const Request& request, const std::string& path, const struct stat& st,
                     const std::string& etag, bool is_public, std::string_view content_type);
  // ServeStat's answer with byte ranges (206, 416): originals and stored videos. The caller has
  // answered If-None-Match already.
  Response ServeRange(const Request& request, const std::string& path, const struct stat& st,
                      const std::string& etag, bool is_public, std::string_view content_type);
  // Whether a token's id was revoked by a logout (a catalog failure counts as revoked).
  bool IsRevoked(const std::string& token_id);

  library::Catalog& catalog_;
  const library::MediaStore& store_;
  const TokenService& tokens_;
  RouterOptions options_;
  LoginLimiter limiter_;
  TtlCache<std::string, TokenClaims> token_cache_;                        // token -> claims
  TtlCache<std::string, std::optional<library::Photo>> photo_cache_;      // "viewer/hash"
  TtlCache<std::string, std::optional<library::Variant>> variant_cache_;  // "photo/kind"
  std::once_flag dummy_once_;
  std::string dummy_hash_;  // set once, on the first unknown user name
};

}  // namespace tessera::server

#endif  // TESSERA_SERVER_ROUTES_H_
