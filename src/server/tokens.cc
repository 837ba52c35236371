#include "src/server/tokens.h"

#include <jwt.h>
#include <sodium.h>

#include <cassert>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <memory>

namespace tessera::server {
namespace {

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

// libjwt 1.10 hands out encoded tokens from malloc (jwt_free_str came in 1.12).
struct CharFree {
  void operator()(char* s) const { std::free(s); }
};

const char* TypeName(TokenType type) { return type == TokenType::kAccess ? "access" : "refresh"; }

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  hex.pop_back();
  return hex;
}

Status Denied() { return Status::PermissionDenied("invalid or expired token"); }

}  // namespace

TokenService::TokenService(std::string secret, Clock clock)
    : secret_(std::move(secret)), clock_(std::move(clock)) {
  assert(secret_.size() >= 32);
  if (sodium_init() < 0) assert(false && "libsodium failed to start");
}

int64_t TokenService::Now() const {
  if (clock_) return clock_();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<std::string> TokenService::Issue(int64_t user_id, TokenType type,
                                        int64_t ttl_seconds) const {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return Status::Internal("jwt: cannot allocate");
  JwtPtr jwt(raw);
  const int64_t now = Now();
  const std::string id = RandomHex(16);
  const bool ok =
      jwt_add_grant_int(jwt.get(), "sub", static_cast<long>(user_id)) == 0 &&
      jwt_add_grant(jwt.get(), "typ", TypeName(type)) == 0 &&
      jwt_add_grant_int(jwt.get(), "iat", static_cast<long>(now)) == 0 &&
      jwt_add_grant_int(jwt.get(), "exp", static_cast<long>(now + ttl_seconds)) == 0 &&
      jwt_add_grant(jwt.get(), "jti", id.c_str()) == 0 &&
      jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret_.data()),
                  static_cast<int>(secret_.size())) == 0;
  if (!ok) return Status::Internal("jwt: cannot build the token");
  std::unique_ptr<char, CharFree> encoded(jwt_encode_str(jwt.get()));
  if (encoded == nullptr) return Status::Internal("jwt: cannot sign the token");
  return std::string(encoded.get());
}

Result<TokenClaims> TokenService::Verify(std::string_view token, TokenType expected) const {
  if (token.empty() || token.size() > 4096) return Denied();
  const std::string text(token);
  jwt_t* raw = nullptr;
  // jwt_decode checks the signature with the key; a token claiming "none" or another
  // algorithm is refused below whatever libjwt made of it.
  if (jwt_decode(&raw, text.c_str(), reinterpret_cast<const unsigned char*>(secret_.data()),
                 static_cast<int>(secret_.size())) != 0 ||
      raw == nullptr) {
    return Denied();
  }
  JwtPtr jwt(raw);
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) return Denied();
  const char* typ = jwt_get_grant(jwt.get(), "typ");
  const char* jti = jwt_get_grant(jwt.get(), "jti");
  if (typ == nullptr || std::string_view(typ) != TypeName(expected) || jti == nullptr) {
    return Denied();
  }
  TokenClaims claims;
  claims.type = expected;
  claims.id = jti;
  errno = 0;
  claims.user_id = jwt_get_grant_int(jwt.get(), "sub");
  claims.issued_at = jwt_get_grant_int(jwt.get(), "iat");
  claims.expires_at = jwt_get_grant_int(jwt.get(), "exp");
  if (errno != 0 || claims.user_id <= 0 || claims.expires_at <= Now()) return Denied();
  return claims;
}

std::string NewTokenSecret() {
  if (sodium_init() < 0) return "";
  std::string secret(64, '\0');
  randombytes_buf(secret.data(), secret.size());
  return secret;
}

std::string_view BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size()) return {};
  // The scheme is case-insensitive (RFC 9110).
  for (size_t i = 0; i < kScheme.size(); ++i) {
    const char a = authorization[i];
    const char b = kScheme[i];
    if ((a | 0x20) != (b | 0x20)) return {};
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

}  // namespace tessera::server
