// Cache::Move, Copy, Delete and Cleanup: what the D-Bus Cache1 interface does to the cache.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "src/xdg/internal.h"
#include "src/xdg/test_util.h"
#include "tessera/xdg.h"

namespace tessera::xdg {
namespace {

using testing::ModeOf;
using testing::SetMTime;
using testing::SolidImage;
using testing::TempDir;
using testing::WriteFile;

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

std::string KeyOf(const std::string& thumb, const std::string& key) {
  auto text = ReadPngText(thumb);
  if (!text.ok()) return "<unreadable>";
  const std::string* value = internal::FindKey(*text, key);
  return value ? *value : "<absent>";
}

class CacheFollowTest : public ::testing::Test {
 protected:
  // A file with thumbnails in `sizes`, its mtime set to `mtime`.
  Original MakeThumbnailed(const std::string& relative, int64_t mtime,
                           std::vector<ThumbSize> sizes = {ThumbSize::kNormal, ThumbSize::kLarge}) {
    const std::string file = dir_ / relative;
    WriteFile(file, "content of " + relative);
    SetMTime(file, mtime);
    auto original = StatOriginal(file);
    EXPECT_TRUE(original.ok());
    for (ThumbSize size : sizes) {
      EXPECT_TRUE(
          cache_.Store(*original, size, SolidImage(20, 10), {"image/jpeg", 2000, 1000}).ok());
    }
    return *original;
  }
  std::string Thumb(const std::string& path, ThumbSize size) {
    return cache_.ThumbnailPath(CanonicalUri(path), size);
  }
  std::string Path(const std::string& relative) { return dir_ / relative; }

  TempDir dir_;
  Cache cache_{CacheOptions{dir_ / "cache/thumbnails"}};
};

TEST_F(CacheFollowTest, MoveRewritesTheUriAndRemovesTheOldThumbnail) {
  Original before = MakeThumbnailed("a/photo one.jpg", 1600000000);
  ASSERT_EQ(rename(Path("a/photo one.jpg").c_str(), Path("a/renamed #1.jpg").c_str()), 0);
  Result<int> moved = cache_.Move(before.uri, CanonicalUri(Path("a/renamed #1.jpg")));
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(*moved, 2);
  for (ThumbSize size : {ThumbSize::kNormal, ThumbSize::kLarge}) {
    EXPECT_FALSE(Exists(cache_.ThumbnailPath(before.uri, size)));
    const std::string thumb = Thumb(Path("a/renamed #1.jpg"), size);
    ASSERT_TRUE(Exists(thumb)) << SizeDirName(size);
    EXPECT_EQ(KeyOf(thumb, "Thumb::URI"), CanonicalUri(Path("a/renamed #1.jpg")));
    EXPECT_EQ(KeyOf(thumb, "Thumb::MTime"), "1600000000");
    EXPECT_EQ(KeyOf(thumb, "Thumb::Mimetype"), "image/jpeg");  // other keys kept
    EXPECT_EQ(KeyOf(thumb, "Thumb::Image::Width"), "2000");
    EXPECT_EQ(ModeOf(thumb), 0600u);
    auto image = DecodePng(testing::ReadFile(thumb));
    ASSERT_TRUE(image.ok());
    EXPECT_EQ(image->width, 20);
    EXPECT_EQ(image->height, 10);
  }
  auto now = StatOriginal(Path("a/renamed #1.jpg"));
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(cache_.Find(*now, ThumbSize::kLarge).state, LookupState::kValid);
}

TEST_F(CacheFollowTest, MoveTakesTheNewMTimeAndDropsThumbnailsOfAnotherFile) {
  Original before = MakeThumbnailed("b.jpg", 1600000000, {ThumbSize::kNormal});
  // Moved across file systems without keeping the mtime: the thumbnail still shows the file.
  ASSERT_EQ(rename(Path("b.jpg").c_str(), Path("c.jpg").c_str()), 0);
  SetMTime(Path("c.jpg"), 1700000000);
  ASSERT_EQ(*cache_.Move(before.uri, CanonicalUri(Path("c.jpg"))), 1);
  EXPECT_EQ(KeyOf(Thumb(Path("c.jpg"), ThumbSize::kNormal), "Thumb::MTime"), "1700000000");

  // A different file (another size) at the destination: the thumbnail is dropped, not carried.
  Original other = MakeThumbnailed("d.jpg", 1600000000, {ThumbSize::kNormal});
  WriteFile(Path("e.jpg"), "a much longer, different content");
  ASSERT_EQ(*cache_.Move(other.uri, CanonicalUri(Path("e.jpg"))), 0);
  EXPECT_FALSE(Exists(cache_.ThumbnailPath(other.uri, ThumbSize::kNormal)));
  EXPECT_FALSE(Exists(Thumb(Path("e.jpg"), ThumbSize::kNormal)));

  // Nothing at the destination: the old thumbnail goes, nothing is written.
  Original gone = MakeThumbnailed("f.jpg", 1600000000, {ThumbSize::kNormal});
  ASSERT_EQ(*cache_.Move(gone.uri, CanonicalUri(Path("nowhere.jpg"))), 0);
  EXPECT_FALSE(Exists(cache_.ThumbnailPath(gone.uri, ThumbSize::kNormal)));
}

TEST_F(CacheFollowTest, MovingAFolderMovesTheThumbnailsOfEverythingBelowIt) {
  Original one = MakeThumbnailed("trip/one.jpg", 1600000000);
  Original two = MakeThumbnailed("trip/day 2/two.jpg", 1600000001, {ThumbSize::kXXLarge});
  Original outside = MakeThumbnailed("trip-other/three.jpg", 1600000002);
  ASSERT_EQ(rename(Path("trip").c_str(), Path("Trip 2024").c_str()), 0);
  Result<int> moved = cache_.Move(CanonicalUri(Path("trip")), CanonicalUri(Path("Trip 2024")));
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*moved, 3);
  EXPECT_EQ(KeyOf(Thumb(Path("Trip 2024/one.jpg"), ThumbSize::kLarge), "Thumb::URI"),
            CanonicalUri(Path("Trip 2024/one.jpg")));
  EXPECT_EQ(KeyOf(Thumb(Path("Trip 2024/day 2/two.jpg"), ThumbSize::kXXLarge), "Thumb::URI"),
            CanonicalUri(Path("Trip 2024/day 2/two.jpg")));
  EXPECT_FALSE(Exists(cache_.ThumbnailPath(one.uri, ThumbSize::kLarge)));
  EXPECT_FALSE(Exists(cache_.ThumbnailPath(two.uri, ThumbSize::kXXLarge)));
  EXPECT_TRUE(Exists(cache_.ThumbnailPath(outside.uri, ThumbSize::kLarge)));
}

TEST_F(CacheFollowTest, CopyKeepsTheOriginalsAndCarriesOnlyValidThumbnails) {
  Original source = MakeThumbnailed("src.jpg", 1600000000);
  ::tessera::testing::CopyFile(Path("src.jpg"), Path("copy.jpg"));  // a new mtime, as cp gives it
  Result<int> copied = cache_.Copy(source.uri, CanonicalUri(Path("copy.jpg")));
  ASSERT_TRUE(copied.ok());
  EXPECT_EQ(*copied, 2);
  EXPECT_TRUE(Exists(cache_.ThumbnailPath(source.uri, ThumbSize::kLarge)));
  auto copy = StatOriginal(Path("copy.jpg"));
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(cache_.Find(*copy, ThumbSize::kLarge).state, LookupState::kValid);
  EXPECT_EQ(cache_.Find(*copy, ThumbSize::kNormal).state, LookupState::kValid);

  // The source changed since its thumbnail was made: a stale thumbnail is not multiplied.
  Original stale = MakeThumbnailed("stale.jpg", 1600000000, {ThumbSize::kNormal});
  SetMTime(Path("stale.jpg"), 1600000005);
  ::tessera::testing::CopyFile(Path("stale.jpg"), Path("stale copy.jpg"));
  EXPECT_EQ(*cache_.Copy(stale.uri, CanonicalUri(Path("stale copy.jpg"))), 0);
  EXPECT_FALSE(Exists(Thumb(Path("stale copy.jpg"), ThumbSize::kNormal)));
}

TEST_F(CacheFollowTest, FailureRecordsFollowToo) {
  const std::string file = Path("broken.jpg");
  WriteFile(file, "garbage");
  auto original = StatOriginal(file);
  ASSERT_TRUE(original.ok());
  ASSERT_TRUE(cache_.RecordFailure(*original, "corrupt: no image").ok());
  ASSERT_EQ(rename(file.c_str(), Path("still broken.jpg").c_str()), 0);
  ASSERT_EQ(*cache_.Move(original->uri, CanonicalUri(Path("still broken.jpg"))), 1);
  auto moved = StatOriginal(Path("still broken.jpg"));
  ASSERT_TRUE(moved.ok());
  EXPECT_TRUE(cache_.HasFailure(*moved));
  EXPECT_EQ(KeyOf(cache_.FailurePath(moved->uri), "X-Tessera::Error"), "corrupt: no image");
}

TEST_F(CacheFollowTest, UrisAreCanonicalisedAndMovingOntoItselfKeepsTheThumbnail) {
  Original photo = MakeThumbnailed("x/y.jpg", 1600000000, {ThumbSize::kNormal});
  // The same file, spelled differently ("localhost", a dot segment): nothing to do.
  EXPECT_EQ(*cache_.Move("file://localhost" + Path("x/./y.jpg"), photo.uri), 0);
  EXPECT_TRUE(Exists(cache_.ThumbnailPath(photo.uri, ThumbSize::kNormal)));
  // Delete by an unescaped spelling of the URI.
  EXPECT_EQ(*cache_.Delete("file://" + Path("x/y.jpg")), 1);
  EXPECT_FALSE(Exists(cache_.ThumbnailPath(photo.uri, ThumbSize::kNormal)));
  EXPECT_EQ(*cache_.Delete(photo.uri), 0);
}

TEST_F(CacheFollowTest, DeleteRemovesEverySizeAndTheFailureRecord) {
  Original photo = MakeThumbnailed("del.jpg", 1600000000,
                                   {ThumbSize::kNormal, ThumbSize::kLarge, ThumbSize::kXLarge});
  ASSERT_TRUE(cache_.RecordFailure(photo, "x").ok());
  Result<int> removed = cache_.Delete(photo.uri);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 4);
  EXPECT_TRUE(::tessera::testing::FilesUnder(cache_.base_dir()).empty());
}

TEST_F(CacheFollowTest, CleanupRemovesOrphansBelowTheBasesAndOldOnesWhenAsked) {
  Original kept = MakeThumbnailed("keep/k.jpg", 1600000000, {ThumbSize::kNormal});
  Original orphan = MakeThumbnailed("base/gone.jpg", 1600000000, {ThumbSize::kNormal});
  Original orphan_elsewhere = MakeThumbnailed("other/gone.jpg", 1600000000, {ThumbSize::kNormal});
  Original old = MakeThumbnailed("base/old.jpg", 1500000000, {ThumbSize::kLarge});
  Original young = MakeThumbnailed("base/young.jpg", 1700000000, {ThumbSize::kLarge});
  unlink(orphan.path.c_str());
  unlink(orphan_elsewhere.path.c_str());

  Result<int> removed = cache_.Cleanup({CanonicalUri(Path("base"))}, 0);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1);
  EXPECT_FALSE(Exists(cache_.ThumbnailPath(orphan.uri, ThumbSize::kNormal)));
  EXPECT_TRUE(Exists(cache_.ThumbnailPath(orphan_elsewhere.uri, ThumbSize::kNormal)));
  EXPECT_TRUE(Exists(cache_.ThumbnailPath(old.uri, ThumbSize::kLarge)));

  // "base" is not a prefix of "base-2": components, not strings.
  Original sibling = MakeThumbnailed("base-2/s.jpg", 1000000000, {ThumbSize::kNormal});
  EXPECT_EQ(*cache_.Cleanup({CanonicalUri(Path("base")) + "/"}, 1600000000), 1);
  EXPECT_FALSE(Exists(cache_.ThumbnailPath(old.uri, ThumbSize::kLarge)));
  EXPECT_TRUE(Exists(cache_.ThumbnailPath(young.uri, ThumbSize::kLarge)));
  EXPECT_TRUE(Exists(cache_.ThumbnailPath(sibling.uri, ThumbSize::kNormal)));

  // No bases: the whole cache.
  EXPECT_EQ(*cache_.Cleanup({}, 0), 1);  // other/gone.jpg
  EXPECT_TRUE(Exists(cache_.ThumbnailPath(kept.uri, ThumbSize::kNormal)));
}

TEST(CacheFolderTest, AtOrBelow) {
  EXPECT_TRUE(internal::IsAtOrBelow("file:///a/b", "file:///a"));
  EXPECT_TRUE(internal::IsAtOrBelow("file:///a/b", "file:///a/"));
  EXPECT_TRUE(internal::IsAtOrBelow("file:///a", "file:///a"));
  EXPECT_FALSE(internal::IsAtOrBelow("file:///ab", "file:///a"));
  EXPECT_TRUE(internal::IsAtOrBelow("file:///x", "file:///"));
  EXPECT_FALSE(internal::IsAtOrBelow("sftp://h/x", "file:///"));
}

}  // namespace
}  // namespace tessera::xdg
