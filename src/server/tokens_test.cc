// Tokens: what we sign verifies; everything else (tampered, re-signed, "none", expired, the
// other type, garbage) is refused the same way.
#include "src/server/tokens.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

namespace tessera::server {
namespace {

std::string B64Url(const std::string& in) {
  std::string out(sodium_base64_ENCODED_LEN(in.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(in.data()),
                    in.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

class TokensTest : public ::testing::Test {
 protected:
  int64_t now_ = 1'800'000'000;
  TokenService service_{std::string(64, 's'), [this] { return now_; }};
};

TEST_F(TokensTest, IssuedTokensVerify) {
  Result<std::string> token = service_.Issue(42, TokenType::kAccess, 300);
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  Result<TokenClaims> claims = service_.Verify(*token, TokenType::kAccess);
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->user_id, 42);
  EXPECT_EQ(claims->issued_at, now_);
  EXPECT_EQ(claims->expires_at, now_ + 300);
  EXPECT_EQ(claims->id.size(), 32u);
  Result<std::string> again = service_.Issue(42, TokenType::kAccess, 300);
  EXPECT_NE(*again, *token) << "each token has its own id";
}

TEST_F(TokensTest, ExpiredTokensAreRefused) {
  Result<std::string> token = service_.Issue(42, TokenType::kAccess, 300);
  now_ += 299;
  EXPECT_TRUE(service_.Verify(*token, TokenType::kAccess).ok());
  now_ += 1;
  EXPECT_EQ(service_.Verify(*token, TokenType::kAccess).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(TokensTest, TheOtherTypeIsRefused) {
  Result<std::string> refresh = service_.Issue(7, TokenType::kRefresh, 3600);
  EXPECT_TRUE(service_.Verify(*refresh, TokenType::kRefresh).ok());
  EXPECT_FALSE(service_.Verify(*refresh, TokenType::kAccess).ok());
}

TEST_F(TokensTest, AnotherSecretOrATamperedTokenIsRefused) {
  Result<std::string> token = service_.Issue(42, TokenType::kAccess, 300);
  TokenService other(std::string(64, 'x'), [this] { return now_; });
  EXPECT_FALSE(other.Verify(*token, TokenType::kAccess).ok());
  // Change the payload's user id without re-signing.
  const size_t dot1 = token->find('.');
  const size_t dot2 = token->find('.', dot1 + 1);
  const std::string forged_payload = B64Url(
      "{\"exp\":1800000300,\"iat\":1800000000,\"jti\":\"00000000000000000000000000000000\","
      "\"sub\":1,\"typ\":\"access\"}");
  const std::string forged = token->substr(0, dot1 + 1) + forged_payload + token->substr(dot2);
  EXPECT_FALSE(service_.Verify(forged, TokenType::kAccess).ok());
  std::string flipped = *token;
  flipped[flipped.size() - 3] = flipped[flipped.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(service_.Verify(flipped, TokenType::kAccess).ok());
}

TEST_F(TokensTest, AlgNoneIsRefused) {
  const std::string header = B64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
  const std::string payload = B64Url(
      "{\"exp\":1900000000,\"iat\":1800000000,\"jti\":\"00000000000000000000000000000000\","
      "\"sub\":1,\"typ\":\"access\"}");
  EXPECT_FALSE(service_.Verify(header + "." + payload + ".", TokenType::kAccess).ok());
  EXPECT_FALSE(service_.Verify(header + "." + payload, TokenType::kAccess).ok());
}

TEST_F(TokensTest, GarbageIsRefused) {
  for (const std::string& bad : {std::string(""), std::string("abc"), std::string("a.b.c"),
                                 std::string(10000, 'a'), std::string("...")}) {
    EXPECT_EQ(service_.Verify(bad, TokenType::kAccess).status().code(),
              StatusCode::kPermissionDenied)
        << bad.substr(0, 20);
  }
}

TEST(BearerTokenTest, ParsesTheSchemeCaseInsensitively) {
  EXPECT_EQ(BearerToken("Bearer abc.def.ghi"), "abc.def.ghi");
  EXPECT_EQ(BearerToken("bearer  abc "), "abc");
  EXPECT_EQ(BearerToken("Basic dXNlcjpwYXNz"), "");
  EXPECT_EQ(BearerToken("Bearer"), "");
  EXPECT_EQ(BearerToken("Bearer "), "");
  EXPECT_EQ(BearerToken(""), "");
}

TEST(TokenSecretTest, SecretsAreRandomAndLongEnough) {
  const std::string a = NewTokenSecret();
  const std::string b = NewTokenSecret();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace tessera::server
