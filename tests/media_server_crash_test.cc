// kill -9 in the middle of a scan, then a restart: the catalog, the job queue and the media
// store must come out whole, with nothing counted twice and nothing torn.
//
// What is checked between the two runs: every file at a final store path
// (media/<kind>/<h[0:2]>/<h[2:4]>/<hash>.<ext>) decodes to its last pixel. Hidden temp files
// (".<name>.XXXXXX", written before the rename into place) may be left by the kill; they are
// tolerated, listed in the log, and must never sit at a final path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <regex>
#include <set>
#include <thread>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "tests/support/catalog_reader.h"
#include "tests/support/image_check.h"
#include "tests/support/media_server_fixture.h"

namespace tessera::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kPhotos = 40;
constexpr const char* kSource = "photos/forensics__IMG_20191224_234846.jpg";  // 4000x3000

// media/<kind>/<aa>/<bb>/<hash>.<ext> with aa, bb the hash's first two pairs.
bool IsFinalStorePath(const std::string& media_root, const std::string& path) {
  static const std::regex kFinal(
      R"(/([a-z_]+)/([0-9a-f]{2})/([0-9a-f]{2})/(([0-9a-f]{64})(_[0-9]+)?)\.([a-z0-9]+))");
  std::smatch m;
  const std::string rel = path.substr(media_root.size());
  return std::regex_match(rel, m, kFinal) && m[5].str().substr(0, 2) == m[2].str() &&
         m[5].str().substr(2, 2) == m[3].str();
}

class MediaServerCrashTest : public MediaServerFixture {
 protected:
  // Every file under DATA/media: final paths must decode fully; anything else is a leftover
  // temp file, returned.
  std::vector<std::string> CheckStore() {
    const std::string media = data() + "/media";
    std::vector<std::string> leftovers;
    for (const std::string& file : FilesUnder(media)) {
      if (!IsFinalStorePath(media, file)) {
        EXPECT_EQ(std::filesystem::path(file).filename().string().front(), '.')
            << "a file in the store that is neither final nor a hidden temp file: " << file;
        leftovers.push_back(file);
        continue;
      }
      Result<DecodedImage> image = DecodeFileFully(file);
      EXPECT_TRUE(image.ok()) << "torn file at a final path: " << image.status().ToString();
    }
    return leftovers;
  }
};

TEST_F(MediaServerCrashTest, KillDuringAScanThenRestartLeavesEverythingWhole) {
  TESSERA_REQUIRE_CORPUS_FILE(kSource);
  std::filesystem::create_directories(library() + "/shoot");
  ASSERT_TRUE(
      WriteDistinctJpegs(CorpusPath(kSource), library() + "/shoot", kPhotos, 2000, 1500).ok());

  ASSERT_TRUE(StartServer({"--no-faces"}, /*workers=*/1));
  const std::string token = CliToken(kOwner);
  ASSERT_FALSE(token.empty());
  // Wait for a few files to be done, then kill -9 while the scan runs.
  int64_t done_at_kill = -1;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    nlohmann::json jobs = Http().Get("/api/jobs", token).Json();
    if (jobs.is_object() && jobs["scans"].is_array() && !jobs["scans"].empty()) {
      const nlohmann::json& scan = jobs["scans"][0];
      if (scan["files_done"].get<int64_t>() >= 5) {
        ASSERT_EQ(scan["state"], "running") << "the scan finished before it could be killed";
        done_at_kill = scan["files_done"].get<int64_t>();
        break;
      }
    }
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_GE(done_at_kill, 5) << "the scan made no progress";
  EXPECT_EQ(server_->Kill(), 128 + SIGKILL);
  ASSERT_LT(done_at_kill, kPhotos);

  // The crash left no torn file at a final path.
  const std::vector<std::string> after_kill = CheckStore();
  for (const std::string& f : after_kill) std::cerr << "left by the kill: " << f << "\n";
  const long long files_at_kill = QueryCount(catalog(), "SELECT count(*) FROM files");
  EXPECT_GE(files_at_kill, 1);
  EXPECT_LT(files_at_kill, kPhotos);

  // Restart (two workers now, to be quick): the queued jobs, and the one the killed worker
  // held, are finished.
  ASSERT_TRUE(StartServer({"--no-faces"}, /*workers=*/2));
  nlohmann::json jobs;
  ASSERT_TRUE(WaitForIdle(token, &jobs, 120s));
  EXPECT_EQ(jobs["queue"]["pending"], 0);
  EXPECT_EQ(jobs["queue"]["in_progress"], 0);
  EXPECT_EQ(jobs["scans"][0]["last_scan"]["failed"], 0);
  EXPECT_EQ(jobs["scans"][0]["last_scan"]["files_seen"], kPhotos);

  // Every library file has exactly one row, naming the photo of its bytes.
  Result<std::vector<Row>> files = QueryCatalog(
      catalog(), "SELECT f.rel_path, p.hash FROM files f JOIN photos p ON p.id = f.photo_id");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(QueryCount(catalog(), "SELECT count(*) FROM files"), kPhotos);
  std::set<std::string> paths;
  for (const Row& row : *files) {
    EXPECT_TRUE(paths.insert(row[0]).second) << "two rows for " << row[0];
    EXPECT_EQ(row[1], B2Sum(library() + "/" + row[0])) << row[0];
  }
  for (int i = 0; i < kPhotos; ++i) {
    char name[32];
    std::snprintf(name, sizeof(name), "shoot/shot_%02d.jpg", i);
    EXPECT_EQ(paths.count(name), 1u) << name;
  }
  EXPECT_EQ(QueryCount(catalog(), "SELECT count(*) FROM photos"), kPhotos);
  EXPECT_EQ(QueryCount(catalog(), "SELECT count(DISTINCT hash) FROM photos"), kPhotos);
  EXPECT_EQ(ListPhotos(token).size(), static_cast<size_t>(kPhotos));

  // Each photo has its three variants recorded, each stored file complete and as recorded.
  Result<std::vector<Row>> variants =
      QueryCatalog(catalog(),
                   "SELECT p.hash, v.kind, v.width, v.height, v.bytes FROM variants v "
                   "JOIN photos p ON p.id = v.photo_id WHERE v.kind IN "
                   "('thumbnails_big', 'square_thumbnails', 'small_square_thumbnails')");
  ASSERT_TRUE(variants.ok()) << variants.status().ToString();
  EXPECT_EQ(variants->size(), 3u * kPhotos);
  std::set<std::pair<std::string, std::string>> seen;
  for (const Row& v : *variants) {
    SCOPED_TRACE(v[1] + " of " + v[0]);
    EXPECT_TRUE(seen.insert({v[0], v[1]}).second) << "recorded twice";
    const std::string stored = StoredFile(v[1], v[0]);
    ASSERT_FALSE(stored.empty()) << "recorded but not stored";
    Result<DecodedImage> image = DecodeFileFully(stored);
    ASSERT_TRUE(image.ok()) << image.status().ToString();
    EXPECT_EQ(std::to_string(image->width), v[2]);
    EXPECT_EQ(std::to_string(image->height), v[3]);
    EXPECT_EQ(std::to_string(Stat(stored).st_size), v[4]);
  }
  // The job queue is empty, no failure was recorded, and the store holds only whole files.
  EXPECT_EQ(QueryCount(catalog(), "SELECT count(*) FROM jobs"), 0);
  EXPECT_EQ(QueryCount(catalog(), "SELECT count(*) FROM failures"), 0);
  const std::vector<std::string> after_restart = CheckStore();
  for (const std::string& f : after_restart) std::cerr << "still left after restart: " << f << "\n";
}

}  // namespace
}  // namespace tessera::testing
