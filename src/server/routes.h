// The media server's HTTP routes as one pure function from a Request to a Response, given the
// catalog, the media store and the token service. No sockets: http_server.h is the transport.
//
//   GET|HEAD /media/{thumbnails_big,square_thumbnails,small_square_thumbnails,
//                    square_thumbnails_small}/<hash>     a stored variant
//   GET|HEAD /media/photos/<hash>                        the original, with Range
//   POST     /api/auth/token/obtain/  {"username","password"} -> {"access","refresh"}
//   POST     /api/auth/token/refresh/ {"refresh"}             -> {"access"}
//   GET|HEAD /api/health                                       -> {"status":"ok"}
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

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "src/library/catalog.h"
#include "src/library/media_store.h"
#include "src/library/passwords.h"
#include "src/server/http_types.h"
#include "src/server/login_limiter.h"
#include "src/server/tokens.h"
#include "tessera/status.h"

namespace tessera::server {

// Finds the path of a photo's original file (one of its copies on disk), or nullopt when it has
// none. TODO(issue 4): the Catalog has no lookup of files by photo id yet; once it has
// (FilesOfPhoto), the server passes a locator built on it and Libraries().
using OriginalLocator =
    std::function<Result<std::optional<std::string>>(const library::Photo& photo)>;

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
  };
  Auth Authenticate(const Request& request);

  Response HandleMedia(const Request& request, std::string_view path);
  Response HandleOriginal(const Request& request, const library::Photo& photo);
  Response HandleVariant(const Request& request, const library::Photo& photo,
                         std::string_view store_kind, std::string_view variant_kind);
  Response HandleObtain(const Request& request);
  Response HandleRefresh(const Request& request);

  library::Catalog& catalog_;
  const library::MediaStore& store_;
  const TokenService& tokens_;
  RouterOptions options_;
  LoginLimiter limiter_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;  // set once, on the first unknown user name
};

}  // namespace tessera::server

#endif  // TESSERA_SERVER_ROUTES_H_
