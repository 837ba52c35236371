#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "src/xdg/internal.h"
#include "src/xdg/test_util.h"
#include "tessera/xdg.h"

namespace tessera::xdg {
namespace {

using testing::ModeOf;
using testing::SolidImage;
using testing::TempDir;

TEST(DraftTest, Paths) {
  EXPECT_EQ(DraftThumbnailPath("/p/portrait.jpeg", 96, DraftQuality::kLow),
            "/p/.thumbnails/96x96/portrait.jpeg.lq.png");
  EXPECT_EQ(DraftThumbnailPath("/p/x/../my car.png", 128, DraftQuality::kHigh),
            "/p/.thumbnails/128x128/my car.png.hq.png");
  EXPECT_EQ(DraftFailurePath("/p/broken.jpg"), "/p/.thumbnails/broken.jpg.failed");
}

TEST(DraftTest, StoreCopiesMTimeAndPermissions) {
  TempDir dir;
  std::string photo = dir / "pics/a.jpg";
  testing::WriteFile(photo, "12345");
  chmod(photo.c_str(), 0640);
  struct timespec times[2] = {{1500000000, 123456789}, {1500000000, 123456789}};
  ASSERT_EQ(utimensat(AT_FDCWD, photo.c_str(), times, 0), 0);
  auto original = StatOriginal(photo);
  ASSERT_TRUE(original.ok());
  EXPECT_EQ(original->mtime_nsec, 123456789);

  testing::ScopedUmask umask_guard(077);
  ASSERT_TRUE(StoreDraft(*original, 64, DraftQuality::kHigh, SolidImage(64, 48), 4000, 3000).ok());
  std::string thumb = dir / "pics/.thumbnails/64x64/a.jpg.hq.png";
  struct stat st;
  ASSERT_EQ(stat(thumb.c_str(), &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, 1500000000);
  EXPECT_EQ(st.st_mtim.tv_nsec, 123456789);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_TRUE(internal::DraftFileMatches(thumb, *original));
  auto text = ReadPngText(thumb);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, (PngText{{"Width", "4000"},
                            {"Height", "3000"},
                            {"Size", "5"},
                            {"Software", "tessera " TESSERA_VERSION}}));
  EXPECT_FALSE(StoreDraft(*original, 100, DraftQuality::kHigh, SolidImage(8, 8), 8, 8).ok());
  EXPECT_FALSE(StoreDraft(*original, 48, DraftQuality::kHigh, SolidImage(64, 8), 8, 8).ok());

  ASSERT_TRUE(RecordDraftFailure(*original).ok());
  std::string failed = dir / "pics/.thumbnails/a.jpg.failed";
  EXPECT_EQ(testing::ReadFile(failed), "");
  EXPECT_EQ(ModeOf(failed), 0640u);
  EXPECT_TRUE(internal::DraftFileMatches(failed, *original));

  testing::SetMTime(photo, 1500000001);
  auto changed = StatOriginal(photo);
  ASSERT_TRUE(changed.ok());
  EXPECT_FALSE(internal::DraftFileMatches(thumb, *changed));
  EXPECT_FALSE(internal::DraftFileMatches(failed, *changed));
}

}  // namespace
}  // namespace tessera::xdg
