// Sign-in: password for a token pair, refresh token for a new access token. Failures are
// counted per user name and per client address (LoginLimiter); past the limit the answer is 429
// before any password is checked, so guessing costs the guesser time, not the server CPU.
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <string>

#include "src/library/passwords.h"
#include "src/server/responses.h"
#include "src/server/routes.h"

namespace tessera::server {
namespace {

// The string member `key` of a JSON object body, or nullopt.
std::optional<std::string> StringField(const nlohmann::json& body, const char* key) {
  if (!body.is_object()) return std::nullopt;
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

Response TooManyRequests(int64_t retry_after) {
  Response response = ErrorResponse(429);
  response.AddHeader("Retry-After", std::to_string(std::max<int64_t>(retry_after, 1)));
  return response;
}

}  // namespace

Response Router::HandleObtain(const Request& request) {
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  std::optional<std::string> username = StringField(body, "username");
  std::optional<std::string> password = StringField(body, "password");
  if (!username || !password) return ErrorResponse(400);

  std::string user_key = "user:" + *username;
  std::string address_key = "addr:" + request.remote_address;
  int64_t wait = std::max(limiter_.RetryAfter(user_key), limiter_.RetryAfter(address_key));
  if (wait > 0) return TooManyRequests(wait);

  Result<std::optional<library::User>> user = catalog_.FindUserByName(*username);
  if (!user.ok()) {
    spdlog::error("auth: user lookup failed: {}", user.status().ToString());
    return ErrorResponse(500);
  }
  bool verified = false;
  if (user->has_value()) {
    verified = library::VerifyPassword(*password, (*user)->password_hash);
  } else {
    std::call_once(dummy_once_, [this] {
      Result<std::string> hash =
          library::HashPassword("not a password", options_.dummy_password_cost);
      if (hash.ok()) dummy_hash_ = *hash;
    });
    library::VerifyPassword(*password, dummy_hash_);  // as slow as a real check
  }
  if (!verified) {
    limiter_.RecordFailure(user_key);
    limiter_.RecordFailure(address_key);
    spdlog::info("auth: failed sign-in from {}", request.remote_address);
    return Unauthorized(/*invalid_token=*/false);
  }
  limiter_.Reset(user_key);
  Result<std::string> access =
      tokens_.Issue((*user)->id, TokenType::kAccess, options_.access_ttl_seconds);
  Result<std::string> refresh =
      tokens_.Issue((*user)->id, TokenType::kRefresh, options_.refresh_ttl_seconds);
  if (!access.ok() || !refresh.ok()) {
    spdlog::error("auth: issuing tokens failed: {}",
                  (access.ok() ? refresh.status() : access.status()).ToString());
    return ErrorResponse(500);
  }
  return JsonResponse(200, {{"access", *access}, {"refresh", *refresh}});
}

Response Router::HandleRefresh(const Request& request) {
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  std::optional<std::string> refresh = StringField(body, "refresh");
  if (!refresh) return ErrorResponse(400);
  Result<TokenClaims> claims = tokens_.Verify(*refresh, TokenType::kRefresh);
  if (!claims.ok() || IsRevoked(claims->id)) return Unauthorized(/*invalid_token=*/true);
  Result<std::optional<library::User>> user = catalog_.FindUserById(claims->user_id);
  if (!user.ok()) {
    spdlog::error("auth: user lookup failed: {}", user.status().ToString());
    return ErrorResponse(500);
  }
  if (!user->has_value()) return Unauthorized(/*invalid_token=*/true);
  Result<std::string> access =
      tokens_.Issue(claims->user_id, TokenType::kAccess, options_.access_ttl_seconds);
  if (!access.ok()) {
    spdlog::error("auth: issuing a token failed: {}", access.status().ToString());
    return ErrorResponse(500);
  }
  return JsonResponse(200, {{"access", *access}});
}

Response Router::HandleLogout(const Request& request) {
  Auth auth = Authenticate(request);
  if (!auth.viewer) return Unauthorized(/*invalid_token=*/auth.bad_token);
  nlohmann::json body = request.body.empty() ? nlohmann::json::object()
                                             : nlohmann::json::parse(request.body, nullptr, false);
  if (!body.is_object()) return ErrorResponse(400);
  // The refresh token, when given, must be the caller's own and valid; it dies too.
  std::optional<TokenClaims> refresh_claims;
  if (std::optional<std::string> refresh = StringField(body, "refresh")) {
    Result<TokenClaims> claims = tokens_.Verify(*refresh, TokenType::kRefresh);
    if (!claims.ok() || claims->user_id != *auth.viewer) return ErrorResponse(400);
    refresh_claims = *claims;
  }
  Status status = catalog_.RevokeToken(auth.claims->id, auth.claims->expires_at);
  if (status.ok() && refresh_claims) {
    status = catalog_.RevokeToken(refresh_claims->id, refresh_claims->expires_at);
  }
  token_cache_.Clear();  // the revoked token must not be taken from memory
  if (!status.ok()) {
    spdlog::error("auth: revoking a token failed: {}", status.ToString());
    return ErrorResponse(500);
  }
  Response response;
  response.status = 204;
  return response;
}

}  // namespace tessera::server
