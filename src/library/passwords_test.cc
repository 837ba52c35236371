#include "src/library/passwords.h"

#include <gtest/gtest.h>

namespace tessera::library {
namespace {

TEST(PasswordTest, HashVerifiesAndRejectsWrongPasswords) {
  auto hash = HashPassword("correct horse", kTestPasswordCost);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword("correct horse", *hash));
  EXPECT_FALSE(VerifyPassword("correct horsE", *hash));
  EXPECT_FALSE(VerifyPassword("", *hash));
}

TEST(PasswordTest, SaltIsRandom) {
  auto a = HashPassword("same", kTestPasswordCost);
  auto b = HashPassword("same", kTestPasswordCost);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword("same", *b));
}

TEST(PasswordTest, DefaultCostIsArgon2idWith64MiB) {
  auto hash = HashPassword("pw");
  ASSERT_TRUE(hash.ok());
  EXPECT_NE(hash->find("$argon2id$v=19$m=65536,t=3,p=1$"), std::string::npos) << *hash;
  EXPECT_TRUE(VerifyPassword("pw", *hash));
}

TEST(PasswordTest, RejectsBadInputs) {
  EXPECT_EQ(HashPassword("", kTestPasswordCost).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(
      HashPassword(std::string(kMaxPasswordBytes + 1, 'x'), kTestPasswordCost).status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_FALSE(VerifyPassword("pw", ""));
  EXPECT_FALSE(VerifyPassword("pw", "$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA"));
  EXPECT_FALSE(VerifyPassword("pw", "not a hash"));
}

}  // namespace
}  // namespace tessera::library
