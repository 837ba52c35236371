// `tessera scan --variant KIND=...` (alias regenerate) on a scanned library: only the variant
// whose recipe changed is made again; the others are not touched, on disk or over HTTP.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <map>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "tests/support/catalog_reader.h"
#include "tests/support/image_check.h"
#include "tests/support/media_server_fixture.h"

namespace tessera::testing {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;

constexpr const char* kPhotos[] = {"photos/kphotoalbum__donna.jpg",
                                   "orientation/orientation-6.jpg"};

// A file's identity and last write, to tell "untouched" from "rewritten with the same bytes".
struct Stamp {
  ino_t inode;
  int64_t mtime_ns;
  bool operator==(const Stamp&) const = default;
};
Stamp StampOf(const std::string& path) {
  struct stat st = Stat(path);
  return {st.st_ino, static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

class MediaServerRegenerateTest : public MediaServerFixture {};

TEST_F(MediaServerRegenerateTest, ChangingOneVariantRegeneratesOnlyThatOne) {
  std::vector<std::string> hashes;
  for (const char* corpus : kPhotos) {
    TESSERA_REQUIRE_CORPUS_FILE(corpus);
    const std::string name = std::string(corpus).substr(std::string(corpus).find('/') + 1);
    hashes.push_back(B2Sum(AddToLibrary(corpus, name)));
  }
  ASSERT_TRUE(StartServer());
  std::string token = CliToken(kOwner);
  ASSERT_TRUE(WaitForIdle(token));
  std::map<std::string, std::string> square_etag;
  std::map<std::string, std::map<std::string, Stamp>> before;  // hash -> kind -> stamp
  for (const std::string& hash : hashes) {
    HttpResponse square = Http().Get("/media/square_thumbnails/" + hash, token);
    ASSERT_EQ(square.status, 200);
    EXPECT_EQ(square.Header("Content-Type"), "image/jpeg");
    square_etag[hash] = square.Header("ETag");
    for (const char* kind : kVariantKinds) {
      const std::string stored = StoredFile(kind, hash);
      ASSERT_THAT(stored, EndsWith(".jpg"));
      before[hash][kind] = StampOf(stored);
    }
  }
  ASSERT_EQ(StopServer(), 0);

  ProcessResult regen = Tessera({"regenerate", "--data", data(), "--no-faces", "--workers", "2",
                                 "--variant", "square_thumbnails=webp:80"});
  ASSERT_EQ(regen.exit_code, 0) << regen.err;
  EXPECT_THAT(regen.err, HasSubstr("2 variants made")) << "two photos, one stale variant each";

  for (const std::string& hash : hashes) {
    SCOPED_TRACE(hash);
    // The square is WebP now, recorded so, and complete.
    const std::string square = StorePath("square_thumbnails", hash, "webp");
    Result<DecodedImage> webp = DecodeFileFully(square);
    ASSERT_TRUE(webp.ok()) << webp.status().ToString();
    EXPECT_EQ(webp->loader, "webpload_buffer");
    EXPECT_EQ(webp->width, 500);
    EXPECT_EQ(webp->height, 500);
    Result<std::vector<Row>> recipe = QueryCatalog(
        catalog(),
        "SELECT v.recipe FROM variants v JOIN photos p ON p.id = v.photo_id WHERE p.hash = '" +
            hash + "' AND v.kind = 'square_thumbnails'");
    ASSERT_TRUE(recipe.ok() && recipe->size() == 1u);
    EXPECT_THAT((*recipe)[0][0], HasSubstr("webp q80"));
    // The other two were not rewritten.
    EXPECT_EQ(StampOf(StoredFile("thumbnails_big", hash)), before[hash]["thumbnails_big"]);
    EXPECT_EQ(StampOf(StoredFile("small_square_thumbnails", hash)),
              before[hash]["small_square_thumbnails"]);
  }

  // Served with the same setting: the start-up scan finds everything current (nothing is made
  // again), and the square is served as WebP under a new entity tag.
  ASSERT_TRUE(StartServer({"--no-faces", "--variant", "square_thumbnails=webp:80"}));
  token = CliToken(kOwner);
  ASSERT_TRUE(WaitForIdle(token));
  EXPECT_TRUE(server_->WaitForStderr("0 variants made", std::chrono::seconds(5)))
      << server_->Stderr();
  for (const std::string& hash : hashes) {
    SCOPED_TRACE(hash);
    HttpResponse square = Http().Get("/media/square_thumbnails/" + hash, token);
    ASSERT_EQ(square.status, 200);
    EXPECT_EQ(square.Header("Content-Type"), "image/webp");
    EXPECT_NE(square.Header("ETag"), square_etag[hash]) << "a cached JPEG must not be reused";
    Result<DecodedImage> image = DecodeFully(square.body);
    ASSERT_TRUE(image.ok());
    EXPECT_EQ(image->loader, "webpload_buffer");
    HttpResponse big = Http().Get("/media/thumbnails_big/" + hash, token);
    EXPECT_EQ(big.Header("Content-Type"), "image/jpeg");
    EXPECT_EQ(StampOf(StoredFile("thumbnails_big", hash)), before[hash]["thumbnails_big"]);
  }
}

// A variant regenerated in another format replaces the old file: the superseded one must not
// stay in the store (a whole copy of the variant set per format change, and a stale file the
// server falls back to when the current one is missing).
TEST_F(MediaServerRegenerateTest, AVariantInANewFormatLeavesNoSupersededFile) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhotos[0]);
  const std::string hash = B2Sum(AddToLibrary(kPhotos[0], "donna.jpg"));
  ProcessResult first =
      Tessera({"scan", "--library", library(), "--user", kOwner, "--data", data(), "--no-faces"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_TRUE(Exists(StorePath("square_thumbnails", hash, "jpg")));
  ProcessResult regen = Tessera(
      {"regenerate", "--data", data(), "--no-faces", "--variant", "square_thumbnails=webp:80"});
  ASSERT_EQ(regen.exit_code, 0) << regen.err;
  EXPECT_TRUE(Exists(StorePath("square_thumbnails", hash, "webp")));
  EXPECT_FALSE(Exists(StorePath("square_thumbnails", hash, "jpg")))
      << "the superseded JPEG square was left in the store";
}

}  // namespace
}  // namespace tessera::testing
