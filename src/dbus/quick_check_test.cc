#include "src/dbus/quick_check.h"

#include <gtest/gtest.h>
#include <sys/time.h>

#include "src/core/test_fs.h"

namespace tessera::dbus {
namespace {

using ::tessera::testing::TempDir;
using ::tessera::testing::WriteFile;

Image Solid(int w, int h) { return Image{w, h, std::vector<uint8_t>(size_t(w) * h * 4, 0x80)}; }

class DbusQuickCheckTest : public ::testing::Test {
 protected:
  std::string File(const std::string& name) {
    std::string path = dir_ / name;
    WriteFile(path, "bytes of " + name);
    return path;
  }
  int CodeOf(const std::string& uri, xdg::ThumbSize size = xdg::ThumbSize::kLarge) {
    std::optional<FileAnswer> answer = QuickCheck(cache_, uri, size);
    if (!answer) return -2;          // needs decoding
    if (answer->ready()) return -1;  // Ready
    return static_cast<int>(answer->error->code);
  }
  TempDir dir_;
  xdg::Cache cache_{xdg::CacheOptions{dir_ / "cache"}};
};

TEST_F(DbusQuickCheckTest, ValidThumbnailIsReadyMissingOneNeedsDecoding) {
  const std::string photo = File("a b.jpg");
  EXPECT_EQ(CodeOf(xdg::CanonicalUri(photo)), -2);
  auto original = xdg::StatOriginal(photo);
  ASSERT_TRUE(original.ok());
  ASSERT_TRUE(cache_.Store(*original, xdg::ThumbSize::kLarge, Solid(8, 8), {}).ok());
  EXPECT_EQ(CodeOf(xdg::CanonicalUri(photo)), -1);
  EXPECT_EQ(CodeOf(xdg::CanonicalUri(photo), xdg::ThumbSize::kNormal), -2) << "per flavor";
}

TEST_F(DbusQuickCheckTest, AnswersWhatNeedsNoDecoding) {
  EXPECT_EQ(CodeOf("sftp://host/a.jpg"), 0);
  EXPECT_EQ(CodeOf(xdg::CanonicalUri(dir_ / "missing.jpg")), 2);
  EXPECT_EQ(CodeOf(xdg::CanonicalUri(dir_.path())), 0) << "a folder";
  EXPECT_EQ(CodeOf(xdg::CanonicalUri(File("cache/large/0123.png"))), 3);
  EXPECT_EQ(CodeOf(xdg::CanonicalUri(File("x/.sh_thumbnails/normal/a.png"))), 3);

  const std::string broken = File("broken.jpg");
  auto original = xdg::StatOriginal(broken);
  ASSERT_TRUE(original.ok());
  ASSERT_TRUE(cache_.RecordFailure(*original, "corrupt").ok());
  EXPECT_EQ(CodeOf(xdg::CanonicalUri(broken)), 2);
}

}  // namespace
}  // namespace tessera::dbus
