#include "src/library/media_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <string>
#include <vector>

#include "src/core/test_fs.h"

namespace tessera::library {
namespace {

using testing::TempDir;

const std::string kHash = "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8";

// Sets the umask for the test's lifetime.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(umask(mask)) {}
  ~ScopedUmask() { umask(old_); }

 private:
  mode_t old_;
};

TEST(MediaStoreTest, PathsAreShardedByHashPrefix) {
  MediaStore store("/data");
  EXPECT_EQ(store.root(), "/data/media");
  EXPECT_EQ(store.PathFor("thumbnails_big", kHash, "webp"),
            "/data/media/thumbnails_big/0e/57/" + kHash + ".webp");
  Result<std::string> path = store.Path("square_thumbnails", kHash, "jpg");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, "/data/media/square_thumbnails/0e/57/" + kHash + ".jpg");
}

TEST(MediaStoreTest, RejectsBadKeys) {
  MediaStore store("/data");
  const std::vector<std::string> bad_kinds = {
      "", "../x", "a/b", "Thumbnails_big", "photos", "thumbnails_big/..", ".", "thumbnails_big\n"};
  for (const std::string& kind : bad_kinds) {
    Result<std::string> path = store.Path(kind, kHash, "jpg");
    ASSERT_FALSE(path.ok()) << kind;
    EXPECT_EQ(path.status().code(), StatusCode::kInvalidArgument);
  }
  std::string upper = kHash;
  upper[1] = 'E';
  const std::vector<std::string> bad_hashes = {
      "", upper, kHash.substr(1), kHash + "0", "../" + kHash.substr(3), "a/" + kHash.substr(2)};
  for (const std::string& hash : bad_hashes) {
    EXPECT_FALSE(store.Path("faces", hash, "jpg").ok()) << hash;
  }
  const std::vector<std::string> bad_exts = {"", "JPG", "../x", "a/b", "jpg/", "exe", "jpg.png"};
  for (const std::string& ext : bad_exts) {
    EXPECT_FALSE(store.Path("faces", kHash, ext).ok()) << ext;
  }
}

TEST(MediaStoreTest, BadKeysTouchNoFile) {
  TempDir dir;
  MediaStore store(dir.path());
  EXPECT_FALSE(store.Put("../x", kHash, "jpg", "bytes").ok());
  EXPECT_FALSE(store.Put("faces", "../../../etc/passwd", "jpg", "bytes").ok());
  EXPECT_FALSE(store.Get("faces", "../../../etc/passwd", "jpg").ok());
  EXPECT_FALSE(store.Exists("faces", kHash, "../x"));
  EXPECT_FALSE(store.Remove("a/b", kHash, "jpg").ok());
  EXPECT_FALSE(testing::Exists(store.root()));
}

TEST(MediaStoreTest, PutGetExistsRemove) {
  TempDir dir;
  MediaStore store(dir / "data");
  EXPECT_FALSE(store.Exists("thumbnails_big", kHash, "jpg"));
  Result<std::string> missing = store.Get("thumbnails_big", kHash, "jpg");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);

  ASSERT_TRUE(store.Put("thumbnails_big", kHash, "jpg", "first").ok());
  EXPECT_TRUE(store.Exists("thumbnails_big", kHash, "jpg"));
  EXPECT_FALSE(store.Exists("thumbnails_big", kHash, "webp"));
  EXPECT_FALSE(store.Exists("square_thumbnails", kHash, "jpg"));
  Result<std::string> bytes = store.Get("thumbnails_big", kHash, "jpg");
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(*bytes, "first");
  EXPECT_EQ(testing::ReadFile(store.PathFor("thumbnails_big", kHash, "jpg")), "first");

  ASSERT_TRUE(store.Put("thumbnails_big", kHash, "jpg", std::string("sec\0nd", 6)).ok());
  EXPECT_EQ(*store.Get("thumbnails_big", kHash, "jpg"), std::string("sec\0nd", 6));

  ASSERT_TRUE(store.Remove("thumbnails_big", kHash, "jpg").ok());
  EXPECT_FALSE(store.Exists("thumbnails_big", kHash, "jpg"));
  EXPECT_TRUE(store.Remove("thumbnails_big", kHash, "jpg").ok());  // idempotent
}

TEST(MediaStoreTest, PutLeavesNoTempFiles) {
  TempDir dir;
  MediaStore store(dir.path());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        store.Put("small_square_thumbnails", kHash, "webp", std::string(1000 * i, 'x')).ok());
  }
  ASSERT_TRUE(store.Put("avatars", kHash, "png", "png").ok());
  std::vector<std::string> files = testing::FilesUnder(store.root());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files,
            (std::vector<std::string>{store.PathFor("avatars", kHash, "png"),
                                      store.PathFor("small_square_thumbnails", kHash, "webp")}));
}

TEST(MediaStoreTest, ModesAre0600And0700UnderUmask0) {
  ScopedUmask mask(0);
  TempDir dir;
  MediaStore store(dir / "data");
  ASSERT_TRUE(store.Put("faces", kHash, "jpg", "face").ok());
  const std::string file = store.PathFor("faces", kHash, "jpg");
  EXPECT_EQ(testing::Stat(file).st_mode & 07777, 0600u);
  for (const std::string& folder : {dir / "data", store.root(), store.root() + "/faces",
                                    store.root() + "/faces/0e", store.root() + "/faces/0e/57"}) {
    EXPECT_EQ(testing::Stat(folder).st_mode & 07777, 0700u) << folder;
  }
}

TEST(MediaStoreTest, PutFailsCleanlyWhenRootIsAFile) {
  TempDir dir;
  testing::WriteFile(dir / "data/media", "not a folder");
  MediaStore store(dir / "data");
  Status status = store.Put("faces", kHash, "jpg", "face");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("media"), std::string::npos);
}

TEST(MediaKeyTest, FaceNamesOnlyForFaces) {
  const std::string hash(64, 'a');
  EXPECT_TRUE(ValidateMediaKey("faces", FaceName(hash, 0), "jpg").ok());
  EXPECT_TRUE(ValidateMediaKey("faces", FaceName(hash, 12), "jpg").ok());
  EXPECT_FALSE(ValidateMediaKey("thumbnails_big", FaceName(hash, 0), "jpg").ok());
  EXPECT_FALSE(ValidateMediaKey("faces", hash + "_", "jpg").ok());
  EXPECT_FALSE(ValidateMediaKey("faces", hash + "_01", "jpg").ok());
  EXPECT_FALSE(ValidateMediaKey("faces", hash + "_12345", "jpg").ok());
  EXPECT_FALSE(ValidateMediaKey("faces", hash + "_1/../x", "jpg").ok());
  EXPECT_FALSE(ValidateMediaKey("faces", hash.substr(1) + "_1", "jpg").ok());
}

}  // namespace
}  // namespace tessera::library
