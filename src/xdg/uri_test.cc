#include <gtest/gtest.h>
#include <unistd.h>

#include "src/xdg/internal.h"
#include "src/xdg/test_util.h"
#include "tessera/xdg.h"

namespace tessera::xdg {
namespace {

using testing::ScopedEnv;
using testing::TempDir;

// Expected URIs and MD5s computed independently of GLib, with python3:
//   u = "file://" + urllib.parse.quote(path_bytes, safe="/!$&'()*+,=:@~")
//   hashlib.md5(u.encode()).hexdigest()
struct Vector {
  const char* path;
  const char* uri;
  const char* md5;
};
constexpr Vector kVectors[] = {
    {"/home/jens/photos/me.png", "file:///home/jens/photos/me.png",
     "c6ee772d9e49320e97ec29a7eb5b1697"},  // the spec's own example
    {"/tmp/t/a b.jpg", "file:///tmp/t/a%20b.jpg", "f8363a4a5bade89ddc5043b2c6c73255"},
    {"/tmp/t/100%.png", "file:///tmp/t/100%25.png", "8424bd676713b6770a19cb7891fa9d40"},
    {"/tmp/t/#1?.jpg", "file:///tmp/t/%231%3F.jpg", "1925f2a288c1e4a1ca9b355bfd100265"},
    {"/tmp/t/\xc3\xa9t\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac.jpg",
     "file:///tmp/t/%C3%A9t%C3%A9%20%E6%97%A5%E6%9C%AC.jpg", "9977f829829567177be6e858870d1587"},
    {"/tmp/t/caf\xe9.jpg", "file:///tmp/t/caf%E9.jpg",  // Latin-1, not UTF-8
     "b587500485cfba4692f3c600fe95ab18"},
    {"/tmp/t/[k];=@+,!$&'()*~.jpg", "file:///tmp/t/%5Bk%5D%3B=@+,!$&'()*~.jpg",
     "f3111bde89a0d1a3a7fdb142bed410e8"},
};

TEST(UriTest, MatchesIndependentlyComputedVectors) {
  for (const Vector& v : kVectors) {
    EXPECT_EQ(CanonicalUri(v.path), v.uri) << v.path;
    EXPECT_EQ(Md5Hex(v.uri), v.md5) << v.path;
  }
}

TEST(UriTest, NormalisesDotsAndSlashesButNotSymlinks) {
  EXPECT_EQ(CanonicalUri("/tmp/t/x/../a b.jpg"), "file:///tmp/t/a%20b.jpg");
  EXPECT_EQ(CanonicalUri("/tmp/t/./a b.jpg"), "file:///tmp/t/a%20b.jpg");
  EXPECT_EQ(CanonicalUri("/tmp//t///a b.jpg"), "file:///tmp/t/a%20b.jpg");
  EXPECT_EQ(AbsoluteNormalizedPath("/a/b/../../../c"), "/c");

  TempDir dir;
  testing::WriteFile(dir / "real.jpg", "x");
  ASSERT_EQ(symlink((dir / "real.jpg").c_str(), (dir / "link.jpg").c_str()), 0);
  EXPECT_EQ(CanonicalUri(dir / "link.jpg"), "file://" + dir.path() + "/link.jpg");
}

TEST(UriTest, RelativePathsResolveAgainstWorkingDirectory) {
  TempDir dir;
  char old[4096];
  ASSERT_NE(getcwd(old, sizeof(old)), nullptr);
  ASSERT_EQ(chdir(dir.path().c_str()), 0);
  EXPECT_EQ(AbsoluteNormalizedPath("sub/../a.jpg"), dir / "a.jpg");
  EXPECT_EQ(CanonicalUri("a b.jpg"), "file://" + dir.path() + "/a%20b.jpg");
  ASSERT_EQ(chdir(old), 0);
}

TEST(UriTest, SharedRepositoryNames) {
  // The spec's example, and an escaped name.
  EXPECT_EQ(SharedThumbnailPath("/mnt/pictures/picture.png", ThumbSize::kNormal),
            "/mnt/pictures/.sh_thumbnails/normal/7fd0e41c1612f860427a76c4100745a3.png");
  // md5("./a%20b.jpg")
  EXPECT_EQ(SharedThumbnailPath("/mnt/p/a b.jpg", ThumbSize::kLarge),
            "/mnt/p/.sh_thumbnails/large/42dc3ce4d36a5be7fd011ec91196e357.png");
}

TEST(CachePathsTest, DefaultCacheDirFollowsXdgRules) {
  ScopedEnv home("HOME", "/home/u");
  {
    ScopedEnv xdg("XDG_CACHE_HOME", "/var/c");
    EXPECT_EQ(DefaultCacheDir(), "/var/c/thumbnails");
  }
  {
    ScopedEnv xdg("XDG_CACHE_HOME", nullptr);
    EXPECT_EQ(DefaultCacheDir(), "/home/u/.cache/thumbnails");
  }
  {
    ScopedEnv xdg("XDG_CACHE_HOME", "");
    EXPECT_EQ(DefaultCacheDir(), "/home/u/.cache/thumbnails");
  }
  {
    ScopedEnv xdg("XDG_CACHE_HOME", "relative/cache");
    EXPECT_EQ(DefaultCacheDir(), "/home/u/.cache/thumbnails");
  }
}

TEST(CachePathsTest, SizesAndPaths) {
  EXPECT_EQ(SizeDirName(ThumbSize::kXXLarge), "xx-large");
  EXPECT_EQ(SizePixels(ThumbSize::kNormal), 128);
  EXPECT_EQ(SizePixels(ThumbSize::kLarge), 256);
  EXPECT_EQ(SizePixels(ThumbSize::kXLarge), 512);
  EXPECT_EQ(SizePixels(ThumbSize::kXXLarge), 1024);
  EXPECT_EQ(*ParseThumbSize("x-large"), ThumbSize::kXLarge);
  EXPECT_FALSE(ParseThumbSize("huge").ok());
  EXPECT_EQ(SizeForPixels(1), ThumbSize::kNormal);
  EXPECT_EQ(SizeForPixels(128), ThumbSize::kNormal);
  EXPECT_EQ(SizeForPixels(129), ThumbSize::kLarge);
  EXPECT_EQ(SizeForPixels(1000), ThumbSize::kXXLarge);
  EXPECT_EQ(SizeForPixels(5000), ThumbSize::kXXLarge);

  Cache cache(CacheOptions{"/c/thumbnails/"});
  EXPECT_EQ(cache.base_dir(), "/c/thumbnails");
  EXPECT_EQ(cache.ThumbnailPath("file:///home/jens/photos/me.png", ThumbSize::kNormal),
            "/c/thumbnails/normal/c6ee772d9e49320e97ec29a7eb5b1697.png");
  EXPECT_EQ(cache.FailurePath("file:///home/jens/photos/me.png"),
            "/c/thumbnails/fail/tessera-" TESSERA_VERSION "/c6ee772d9e49320e97ec29a7eb5b1697.png");
}

TEST(CachePathsTest, IsInsideCache) {
  Cache cache(CacheOptions{"/c/thumbnails"});
  EXPECT_TRUE(cache.IsInsideCache("/c/thumbnails/large/x.png"));
  EXPECT_TRUE(cache.IsInsideCache("/c/thumbnails"));
  EXPECT_FALSE(cache.IsInsideCache("/c/thumbnails2/x.png"));
  EXPECT_TRUE(cache.IsInsideCache("/p/.thumbnails/128x128/a.jpg.hq.png"));
  EXPECT_TRUE(cache.IsInsideCache("/p/.sh_thumbnails/normal/x.png"));
  EXPECT_FALSE(cache.IsInsideCache("/p/my.thumbnails/x.png"));
  EXPECT_FALSE(cache.IsInsideCache("/p/photo.jpg"));
}

}  // namespace
}  // namespace tessera::xdg
