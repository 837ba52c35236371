#include "src/server/file_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "src/core/test_fs.h"

namespace tessera::server {
namespace {

TEST(FileCacheTest, ServesFromMemoryUntilTheFileChanges) {
  tessera::testing::TempDir dir;
  const std::string path = dir / "a.jpg";
  tessera::testing::WriteFile(path, "first");
  FileCache cache(1024, 4096);
  auto first = cache.Get(path);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, "first");
  EXPECT_EQ(cache.Get(path).get(), first.get());  // the same bytes, not read again
  // Replaced the way the store does it (a new inode by rename), even with the same size.
  tessera::testing::WriteFile(dir / "tmp", "again");
  std::filesystem::rename(dir / "tmp", path);
  auto second = cache.Get(path);
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, "again");
  EXPECT_EQ(*first, "first");  // a response still holding the old bytes keeps them
  std::filesystem::remove(path);
  EXPECT_FALSE(cache.Get(path));
}

TEST(FileCacheTest, SkipsBigFilesAndKeepsToItsBudget) {
  tessera::testing::TempDir dir;
  FileCache cache(100, 250);
  tessera::testing::WriteFile(dir / "big", std::string(101, 'b'));
  EXPECT_FALSE(cache.Get(dir / "big"));
  for (int i = 0; i < 5; ++i) {
    tessera::testing::WriteFile(dir / std::to_string(i), std::string(100, 'a' + i));
    ASSERT_TRUE(cache.Get(dir / std::to_string(i)));
    EXPECT_LE(cache.bytes(), 250u);
  }
  EXPECT_EQ(cache.bytes(), 200u);
  EXPECT_FALSE(cache.Get(dir.path()));  // not a regular file
}

}  // namespace
}  // namespace tessera::server
