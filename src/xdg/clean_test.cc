#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>

#include "src/xdg/test_util.h"
#include "tessera/xdg.h"

namespace tessera::xdg {
namespace {

using testing::SetMTime;
using testing::SolidImage;
using testing::TempDir;

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

class CleanTest : public ::testing::Test {
 protected:
  // A thumbnail of a new file `name` in the cache, with the thumbnail's mtime `days` ago.
  std::string Thumbnail(const std::string& name, int days, ThumbSize size = ThumbSize::kNormal) {
    std::string file = dir_ / ("photos/" + name);
    testing::WriteFile(file, name);
    auto original = StatOriginal(file);
    EXPECT_TRUE(original.ok());
    EXPECT_TRUE(cache_.Store(*original, size, SolidImage(16, 16), {}).ok());
    std::string thumb = cache_.ThumbnailPath(original->uri, size);
    SetMTime(thumb, time(nullptr) - days * 86400 - 60);
    return thumb;
  }

  TempDir dir_;
  Cache cache_{CacheOptions{dir_ / "cache"}};
};

TEST_F(CleanTest, RemovesOrphansOnly) {
  std::string kept = Thumbnail("kept.jpg", 0);
  std::string orphan = Thumbnail("gone é.jpg", 0, ThumbSize::kXXLarge);
  unlink((dir_ / "photos/gone é.jpg").c_str());
  auto report = Clean(cache_.base_dir(), CleanOptions{});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->scanned, 2);
  EXPECT_EQ(report->removed_orphans, 1);
  EXPECT_EQ(report->removed, std::vector<std::string>{orphan});
  EXPECT_TRUE(Exists(kept));
  EXPECT_FALSE(Exists(orphan));
}

TEST_F(CleanTest, OrphanFailureRecordsGoToo) {
  std::string file = dir_ / "photos/bad.jpg";
  testing::WriteFile(file, "x");
  auto original = StatOriginal(file);
  ASSERT_TRUE(original.ok());
  ASSERT_TRUE(cache_.RecordFailure(*original, "broken").ok());
  unlink(file.c_str());
  auto report = Clean(cache_.base_dir(), CleanOptions{});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->removed_orphans, 1);
  EXPECT_FALSE(Exists(cache_.FailurePath(original->uri)));
}

TEST_F(CleanTest, RemovesOldThumbnails) {
  std::string young = Thumbnail("young.jpg", 2);
  std::string old = Thumbnail("old.jpg", 40, ThumbSize::kLarge);
  CleanOptions options;
  options.older_than_days = 30;
  auto report = Clean(cache_.base_dir(), options);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->removed_old, 1);
  EXPECT_TRUE(Exists(young));
  EXPECT_FALSE(Exists(old));
}

TEST_F(CleanTest, TrimsToBudgetOldestFirst) {
  std::string a = Thumbnail("a.jpg", 3);
  std::string b = Thumbnail("b.jpg", 1);
  std::string c = Thumbnail("c.jpg", 2);
  struct stat st;
  ASSERT_EQ(stat(a.c_str(), &st), 0);
  CleanOptions options;
  options.max_total_bytes = st.st_size + 10;  // room for about one
  auto report = Clean(cache_.base_dir(), options);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->removed_for_budget, 2);
  EXPECT_EQ(report->removed, (std::vector<std::string>{a, c}));
  EXPECT_TRUE(Exists(b));
  EXPECT_GT(report->bytes_freed, 0);
  EXPECT_GE(report->bytes_before, report->bytes_freed);
}

TEST_F(CleanTest, RemovesStaleTempFilesButNotFreshOnes) {
  Thumbnail("a.jpg", 0);
  std::string stale = cache_.base_dir() + "/normal/.0123456789abcdef0123456789abcdef.png.Ab12Cd";
  std::string fresh = cache_.base_dir() + "/normal/.0123456789abcdef0123456789abcdef.png.Zz99Yy";
  testing::WriteFile(stale, "half");
  testing::WriteFile(fresh, "half");
  SetMTime(stale, time(nullptr) - 2 * 3600);
  auto report = Clean(cache_.base_dir(), CleanOptions{});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->removed_temp, 1);
  EXPECT_FALSE(Exists(stale));
  EXPECT_TRUE(Exists(fresh));
}

TEST_F(CleanTest, DryRunListsWithoutDeleting) {
  std::string orphan = Thumbnail("gone.jpg", 0);
  std::string old = Thumbnail("old.jpg", 99);
  unlink((dir_ / "photos/gone.jpg").c_str());
  CleanOptions options;
  options.older_than_days = 30;
  options.dry_run = true;
  auto report = Clean(cache_.base_dir(), options);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->removed_orphans, 1);
  EXPECT_EQ(report->removed_old, 1);
  EXPECT_EQ(report->removed.size(), 2u);
  EXPECT_TRUE(Exists(orphan));
  EXPECT_TRUE(Exists(old));
}

TEST_F(CleanTest, MissingCacheIsEmpty) {
  auto report = Clean(dir_ / "nothing", CleanOptions{});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->scanned, 0);
}

}  // namespace
}  // namespace tessera::xdg
