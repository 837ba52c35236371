// Access and refresh tokens: JWTs signed with HMAC-SHA256 (libjwt) under the server's secret.
// The claims are ours: "sub" (user id), "typ" ("access" or "refresh"), "iat", "exp" and "jti"
// (a random id, so a logout can revoke one token).
#ifndef TESSERA_SERVER_TOKENS_H_
#define TESSERA_SERVER_TOKENS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "tessera/status.h"

namespace tessera::server {

enum class TokenType { kAccess, kRefresh };

struct TokenClaims {
  int64_t user_id = 0;
  TokenType type = TokenType::kAccess;
  int64_t issued_at = 0;   // seconds since the epoch
  int64_t expires_at = 0;  // seconds since the epoch
  std::string id;          // jti: 32 hex characters
};

class TokenService {
 public:
  using Clock = std::function<int64_t()>;  // seconds since the epoch

  // REQUIRES: secret.size() >= 32 (the server generates 64 random bytes on first start).
  explicit TokenService(std::string secret, Clock clock = nullptr);

  // A signed token for `user_id`, valid for `ttl_seconds` from now.
  Result<std::string> Issue(int64_t user_id, TokenType type, int64_t ttl_seconds) const;

  // The claims of a token this service signed, of the expected type and not expired.
  // PermissionDenied for anything else (bad signature, another algorithm, "none", expired,
  // wrong type, malformed): the caller answers 401 without saying which.
  Result<TokenClaims> Verify(std::string_view token, TokenType expected) const;

 private:
  int64_t Now() const;

  std::string secret_;
  Clock clock_;
};

// A new random secret for a server (64 bytes from libsodium's CSPRNG).
std::string NewTokenSecret();

// The token in an "Authorization: Bearer <token>" header value, or "" when it is not one.
std::string_view BearerToken(std::string_view authorization);

}  // namespace tessera::server

#endif  // TESSERA_SERVER_TOKENS_H_
