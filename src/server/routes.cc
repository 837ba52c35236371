// Dispatch and authentication; the media routes are in routes_media.cc, sign-in in
// routes_auth.cc.
#include "src/server/routes.h"

#include <spdlog/spdlog.h>

#include <ctime>
#include <string>

#include "src/server/responses.h"

namespace tessera::server {
namespace {

// The path part of a request target, without the query string.
std::string_view PathOf(std::string_view target) {
  return target.substr(0, target.find_first_of("?#"));
}

// The value of cookie `name` in a Cookie header ("a=1; jwt=xyz"), or "".
std::string_view CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
  }
  return {};
}

bool IsGetOrHead(const Request& request) {
  return request.method == "GET" || request.method == "HEAD";
}

}  // namespace

Router::Router(library::Catalog& catalog, const library::MediaStore& store,
               const TokenService& tokens, RouterOptions options)
    : catalog_(catalog),
      store_(store),
      tokens_(tokens),
      options_(std::move(options)),
      limiter_(options_.max_login_failures, options_.login_window_seconds, options_.clock),
      token_cache_(std::chrono::milliseconds(options_.cache_ttl_ms), 4096),
      photo_cache_(std::chrono::milliseconds(options_.cache_ttl_ms), 16384),
      variant_cache_(std::chrono::milliseconds(options_.cache_ttl_ms), 16384) {}

Router::Auth Router::Authenticate(const Request& request) {
  std::string_view token;
  std::string_view authorization = request.Header("Authorization");
  if (!authorization.empty()) {
    token = BearerToken(authorization);
    // Credentials of another scheme, or a Bearer header without a token, are not anonymous.
    if (token.empty()) return Auth{true, std::nullopt, std::nullopt};
  } else {
    token = CookieValue(request.Header("Cookie"), "jwt");
    if (token.empty()) return Auth{};
  }
  const std::string key(token);
  if (std::optional<TokenClaims> cached = token_cache_.Find(key)) {
    const int64_t now = options_.clock ? options_.clock() : std::time(nullptr);
    if (cached->expires_at > now) return Auth{false, cached->user_id, *cached};
    token_cache_.Erase(key);
  }
  Result<TokenClaims> claims = tokens_.Verify(token, TokenType::kAccess);
  if (!claims.ok()) return Auth{true, std::nullopt, std::nullopt};
  if (IsRevoked(claims->id)) return Auth{true, std::nullopt, std::nullopt};
  // A deleted user's tokens die with the user.
  Result<std::optional<library::User>> user = catalog_.FindUserById(claims->user_id);
  if (!user.ok() || !user->has_value()) return Auth{true, std::nullopt, std::nullopt};
  token_cache_.Put(key, *claims);
  return Auth{false, claims->user_id, *claims};
}

bool Router::IsRevoked(const std::string& token_id) {
  Result<bool> revoked = catalog_.IsTokenRevoked(token_id);
  if (!revoked.ok()) {
    spdlog::error("auth: revocation lookup failed: {}", revoked.status().ToString());
    return true;
  }
  return *revoked;
}

Response Router::Handle(const Request& request) {
  std::string_view path = PathOf(request.target);
  bool head = request.method == "HEAD";
  Response response;
  if (path.starts_with("/media/")) {
    response = HandleMedia(request, path);
  } else if (path == "/api/auth/token/obtain/" || path == "/api/auth/token/obtain") {
    response = request.method == "POST" ? HandleObtain(request) : MethodNotAllowed("POST");
    head = false;
  } else if (path == "/api/auth/token/refresh/" || path == "/api/auth/token/refresh") {
    response = request.method == "POST" ? HandleRefresh(request) : MethodNotAllowed("POST");
    head = false;
  } else if (path == "/api/auth/logout/" || path == "/api/auth/logout") {
    response = request.method == "POST" ? HandleLogout(request) : MethodNotAllowed("POST");
    head = false;
  } else if (path == "/api/health" || path == "/api/health/") {
    response = IsGetOrHead(request) ? JsonResponse(200, {{"status", "ok"}})
                                    : MethodNotAllowed("GET, HEAD");
  } else if (path.starts_with("/api/")) {
    if (path.size() > 5 && path.back() == '/') path.remove_suffix(1);
    response = HandleApi(request, path);
  } else {
    response = ErrorResponse(404);
  }
  return head ? ForHead(std::move(response)) : response;
}

}  // namespace tessera::server
