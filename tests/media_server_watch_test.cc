// The folder watcher of a running server: files copied in, renamed and deleted are picked up
// without a restart (the periodic rescan is an hour away), as a user sees it over HTTP.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <thread>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "tests/support/catalog_reader.h"
#include "tests/support/image_check.h"
#include "tests/support/media_server_fixture.h"

namespace tessera::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kFirst = "photos/kphotoalbum__donna.jpg";
constexpr const char* kSecond = "photos/kphotoalbum__blackie.jpg";
constexpr const char* kNew = "photos/kphotoalbum__snow.jpg";

// Polls `done` every 50 ms for up to `timeout`; whether it became true.
bool Eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
}

class MediaServerWatchTest : public MediaServerFixture {
 protected:
  bool Listed(const std::string& token, const std::string& hash) {
    for (const nlohmann::json& photo : ListPhotos(token)) {
      if (photo["hash"] == hash) return true;
    }
    return false;
  }
  std::vector<std::string> RelPaths() {
    std::vector<std::string> paths;
    Result<std::vector<Row>> rows =
        QueryCatalog(catalog(), "SELECT rel_path FROM files ORDER BY rel_path");
    if (rows.ok()) {
      for (const Row& row : *rows) paths.push_back(row[0]);
    }
    return paths;
  }
};

TEST_F(MediaServerWatchTest, CopiedRenamedAndDeletedFilesAreSeenWhileServing) {
  for (const char* f : {kFirst, kSecond, kNew}) TESSERA_REQUIRE_CORPUS_FILE(f);
  const std::string first = AddToLibrary(kFirst, "first.jpg");
  const std::string second = AddToLibrary(kSecond, "second.jpg");
  const std::string first_hash = B2Sum(first), second_hash = B2Sum(second);
  ASSERT_TRUE(StartServer());  // watching (the default); the periodic rescan is 1 h away
  const std::string token = CliToken(kOwner);
  ASSERT_TRUE(WaitForIdle(token));
  ASSERT_EQ(ListPhotos(token).size(), 2u);

  // 1. A photo copied into a new folder appears, with its thumbnails, within 15 s.
  const std::string copied = library() + "/import/2024/new.jpg";
  std::filesystem::create_directories(library() + "/import/2024");
  CopyFile(CorpusPath(kNew), copied);
  const std::string new_hash = B2Sum(copied);
  const auto copied_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(Eventually([&] { return Listed(token, new_hash); }, 15s))
      << "a copied photo did not appear; files: " << ::testing::PrintToString(RelPaths());
  std::cerr << "copied photo listed after "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - copied_at)
                   .count()
            << " ms\n";
  HttpResponse big = Http().Get("/media/thumbnails_big/" + new_hash, token);
  EXPECT_EQ(big.status, 200);
  EXPECT_TRUE(DecodeFully(big.body).ok());
  EXPECT_EQ(Http().Get("/media/photos/" + new_hash, token).body, ReadFile(copied));

  // 2. A rename: the same photo (same hash, no second photo), served from its new path.
  const std::string renamed = library() + "/import/first-renamed.jpg";
  ASSERT_EQ(std::rename(first.c_str(), renamed.c_str()), 0);
  ASSERT_TRUE(Eventually(
      [&] {
        std::vector<std::string> paths = RelPaths();
        return std::count(paths.begin(), paths.end(), "import/first-renamed.jpg") == 1 &&
               std::count(paths.begin(), paths.end(), "first.jpg") == 0;
      },
      15s))
      << "the rename was not picked up; files: " << ::testing::PrintToString(RelPaths());
  nlohmann::json photos = ListPhotos(token);
  EXPECT_EQ(photos.size(), 3u);
  EXPECT_TRUE(Listed(token, first_hash));
  EXPECT_EQ(QueryCount(catalog(), "SELECT count(*) FROM photos"), 3);
  HttpResponse moved = Http().Get("/media/photos/" + first_hash, token);
  EXPECT_EQ(moved.status, 200);
  EXPECT_TRUE(moved.body == ReadFile(renamed));

  // 3. A deletion: the original is gone (404) after the rescan. Observed and asserted: the photo
  // row stays (the catalog keeps photos left without files, with their variants), so the photo
  // is still listed and its thumbnails still served; only its original is not.
  ASSERT_EQ(std::remove(second.c_str()), 0);
  EXPECT_TRUE(Eventually(
      [&] { return Http().Get("/media/photos/" + second_hash, token).status == 404; }, 15s))
      << "the original of a deleted file is still served";
  EXPECT_TRUE(Eventually(
      [&] {
        std::vector<std::string> paths = RelPaths();
        return std::count(paths.begin(), paths.end(), "second.jpg") == 0;
      },
      15s));
  EXPECT_TRUE(Listed(token, second_hash)) << "photo rows outlive their files (catalog.h)";
  EXPECT_EQ(Http().Get("/media/thumbnails_big/" + second_hash, token).status, 200);
  EXPECT_EQ(QueryCount(catalog(), "SELECT count(*) FROM files"), 2);
}

}  // namespace
}  // namespace tessera::testing
