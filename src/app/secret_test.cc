#include "src/app/secret.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "src/core/test_fs.h"

namespace tessera::app {
namespace {

TEST(SecretTest, CreatedOncePrivateAndStable) {
  tessera::testing::TempDir dir;
  const std::string path = dir / "secret";
  auto first = LoadOrCreateSecret(path);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->size(), 128u);  // 64 random bytes, hex
  EXPECT_EQ(tessera::testing::Stat(path).st_mode & 0777, 0600);
  auto again = LoadOrCreateSecret(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *first);
  tessera::testing::TempDir other;
  EXPECT_NE(*LoadOrCreateSecret(other / "secret"), *first);
}

TEST(SecretTest, RefusesASecretOthersMayReadOrAShortOne) {
  tessera::testing::TempDir dir;
  const std::string path = dir / "secret";
  ASSERT_TRUE(LoadOrCreateSecret(path).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  EXPECT_EQ(LoadOrCreateSecret(path).status().code(), StatusCode::kPermissionDenied);
  tessera::testing::WriteFile(dir / "short", "abc\n");
  ASSERT_EQ(::chmod((dir / "short").c_str(), 0600), 0);
  EXPECT_EQ(LoadOrCreateSecret(dir / "short").status().code(), StatusCode::kCorrupt);
}

}  // namespace
}  // namespace tessera::app
