#include "src/app/original_locator.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "src/core/test_fs.h"
#include "src/library/catalog_test_util.h"
#include "src/library/sqlite_catalog.h"

namespace tessera::app {
namespace {

namespace fs = std::filesystem;

TEST(OriginalLocatorTest, FindsAnExistingCopyInsideItsLibraryOnly) {
  tessera::testing::TempDir dir;
  auto catalog = std::move(library::OpenSqliteCatalog(dir / "catalog.db")).value();
  const int64_t ann = *catalog->AddUser(library::User{0, "ann", "", "", ""});
  const std::string root = dir / "lib";
  fs::create_directories(root + "/sub");
  const int64_t lib = *catalog->AddLibrary(ann, fs::canonical(root).string());
  const int64_t photo =
      *catalog->UpsertPhoto(ann, library::testing::HashOf(1), library::testing::JpegMeta());
  for (const char* rel : {"a-gone.jpg", "sub/b.jpg", "z.jpg"}) {
    ASSERT_TRUE(catalog->UpsertFile(library::PhotoFile{lib, rel, 1, 1, "q", photo, 1}).ok());
  }
  tessera::testing::WriteFile(root + "/sub/b.jpg", "b");
  tessera::testing::WriteFile(root + "/z.jpg", "z");
  server::OriginalLocator locate = MakeOriginalLocator(*catalog);
  library::Photo p{photo, ann, library::testing::HashOf(1), false, {}};
  auto found = locate(p);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ(**found, fs::canonical(root + "/sub/b.jpg").string());  // the first that exists

  // A copy swapped for a symlink leading out of the library is not served.
  fs::remove(root + "/sub/b.jpg");
  fs::remove(root + "/z.jpg");
  tessera::testing::WriteFile(dir / "secret.txt", "secret");
  fs::create_symlink(dir / "secret.txt", root + "/z.jpg");
  found = locate(p);
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
}

}  // namespace
}  // namespace tessera::app
