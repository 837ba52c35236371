// `tessera thumbnail`, `lookup`, `info` and `clean` as a user runs them: the real binary on
// real corpus photos, into a real freedesktop cache folder.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "tessera/image.h"
#include "tessera/xdg.h"
#include "tests/support/process.h"

namespace tessera::testing {
namespace {

using ::testing::HasSubstr;

class CliThumbnailTest : public ::testing::Test {
 protected:
  ProcessResult Tessera(std::vector<std::string> args, ProcessOptions options = {}) {
    args.insert(args.begin(), TesseraBin());
    options.env.emplace("XDG_CACHE_HOME", cache_home_.path());
    return RunProcess(args, options);
  }
  std::string CacheFile(const std::string& original, const char* size) {
    return cache_home_.path() + "/thumbnails/" + size + "/" +
           xdg::Md5Hex(xdg::CanonicalUri(original)) + ".png";
  }
  std::string Photo(const std::string& name) {
    std::string path = work_ / name;
    CopyFile(CorpusPath("photos/" + name), path);
    return path;
  }

  TempDir cache_home_;
  TempDir work_;
};

constexpr const char* kPhoto = "mate__Dune.jpg";

TEST_F(CliThumbnailTest, AllSizesWrittenWithKeysAndModes) {
  TESSERA_REQUIRE_CORPUS_FILE(std::string("photos/") + kPhoto);
  const std::string photo = Photo(kPhoto);
  ProcessResult r = Tessera({"thumbnail", "--size", "all", photo}, {.umask = 0});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("1 generated"));
  const std::pair<const char*, int> sizes[] = {
      {"normal", 128}, {"large", 256}, {"x-large", 512}, {"xx-large", 1024}};
  for (auto [dir, edge] : sizes) {
    const std::string thumb = CacheFile(photo, dir);
    ASSERT_TRUE(Exists(thumb)) << thumb;
    EXPECT_EQ(Stat(thumb).st_mode & 0777, 0600u) << "umask 0 must not widen " << thumb;
    EXPECT_EQ(Stat(cache_home_.path() + "/thumbnails/" + dir).st_mode & 0777, 0700u);
    Result<Image> image = DecodePng(ReadFile(thumb));
    ASSERT_TRUE(image.ok());
    EXPECT_EQ(std::max(image->width, image->height), edge);
    Result<PngText> keys = ReadPngText(thumb);
    ASSERT_TRUE(keys.ok());
    std::map<std::string, std::string> k(keys->begin(), keys->end());
    EXPECT_EQ(k["Thumb::URI"], xdg::CanonicalUri(photo));
    EXPECT_EQ(k["Thumb::MTime"], std::to_string(Stat(photo).st_mtime));
    EXPECT_EQ(k["Thumb::Size"], std::to_string(Stat(photo).st_size));
    EXPECT_EQ(k["Thumb::Mimetype"], "image/jpeg");
    EXPECT_FALSE(k["Thumb::Image::Width"].empty());
    EXPECT_THAT(k["Software"], HasSubstr("tessera"));
  }
}

TEST_F(CliThumbnailTest, ValidThumbnailsAreSkippedAndStaleOnesRegenerated) {
  TESSERA_REQUIRE_CORPUS_FILE(std::string("photos/") + kPhoto);
  const std::string photo = Photo(kPhoto);
  ASSERT_EQ(Tessera({"thumbnail", photo}).exit_code, 0);
  const std::string thumb = CacheFile(photo, "large");
  const ino_t first_inode = Stat(thumb).st_ino;

  ProcessResult again = Tessera({"thumbnail", photo});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_THAT(again.out, HasSubstr("1 up to date"));
  EXPECT_EQ(Stat(thumb).st_ino, first_inode) << "a valid thumbnail was rewritten";

  // A new mtime makes it stale: regenerated (atomically, so a new inode).
  struct timespec times[2] = {{0, UTIME_OMIT}, {1000000000, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, photo.c_str(), times, 0), 0);
  ProcessResult lookup = Tessera({"lookup", photo});
  EXPECT_EQ(lookup.exit_code, 1);
  EXPECT_THAT(lookup.out, HasSubstr("stale"));
  ProcessResult regen = Tessera({"thumbnail", photo});
  EXPECT_THAT(regen.out, HasSubstr("1 generated"));
  EXPECT_NE(Stat(thumb).st_ino, first_inode);
  Result<PngText> text = ReadPngText(thumb);
  ASSERT_TRUE(text.ok());
  std::map<std::string, std::string> k(text->begin(), text->end());
  EXPECT_EQ(k["Thumb::MTime"], "1000000000");

  ProcessResult valid = Tessera({"lookup", photo});
  EXPECT_EQ(valid.exit_code, 0) << valid.out << valid.err;
  EXPECT_THAT(valid.out, HasSubstr(thumb));
}

TEST_F(CliThumbnailTest, RecursiveJsonReportsEveryFile) {
  TESSERA_REQUIRE_CORPUS_FILE("orientation");
  for (int i = 1; i <= 8; ++i) {
    std::string name = "orientation-" + std::to_string(i) + ".jpg";
    mkdir((work_ / "sub").c_str(), 0755);
    CopyFile(CorpusPath("orientation/" + name), work_ / ("sub/" + name));
  }
  ProcessResult r = Tessera({"thumbnail", "-r", "-j", "2", "--json", work_.path()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["summary"]["files"], 8);
  EXPECT_EQ(j["summary"]["generated"], 8);
  for (const auto& file : j["files"]) EXPECT_EQ(file["outcome"], "generated") << file.dump();
  // Every orientation comes out landscape, as the upright reference is.
  for (int i = 1; i <= 8; ++i) {
    std::string original = work_ / ("sub/orientation-" + std::to_string(i) + ".jpg");
    Result<Image> image = DecodePng(ReadFile(CacheFile(original, "large")));
    ASSERT_TRUE(image.ok());
    EXPECT_EQ(image->width, 256) << i;
    EXPECT_EQ(image->height, 171) << i;
  }
}

TEST_F(CliThumbnailTest, InfoShowsProbeAndThumbnailKeys) {
  TESSERA_REQUIRE_CORPUS_FILE(std::string("photos/") + kPhoto);
  const std::string photo = Photo(kPhoto);
  ProcessResult info = Tessera({"info", "--json", photo});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  nlohmann::json j = nlohmann::json::parse(info.out);
  EXPECT_EQ(j[0]["mime_type"], "image/jpeg");
  EXPECT_GT(j[0]["width"].get<int>(), 0);

  ASSERT_EQ(Tessera({"thumbnail", photo}).exit_code, 0);
  ProcessResult keys = Tessera({"info", CacheFile(photo, "large")});
  EXPECT_EQ(keys.exit_code, 0);
  EXPECT_THAT(keys.out, HasSubstr("Thumb::URI"));
  EXPECT_THAT(keys.out, HasSubstr(xdg::CanonicalUri(photo)));
}

TEST_F(CliThumbnailTest, MissingFileIsNamedAndFails) {
  ProcessResult r = Tessera({"thumbnail", work_ / "no-such.jpg"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no-such.jpg"));
  EXPECT_FALSE(Exists(cache_home_.path() + "/thumbnails/fail"))
      << "a missing file is not a broken file: no failure record";
}

TEST_F(CliThumbnailTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Tessera({"thumbnail", "--size", "huge", "x.jpg"}).exit_code, 2);
  EXPECT_EQ(Tessera({"frobnicate"}).exit_code, 2);
}

TEST_F(CliThumbnailTest, FilesInsideAThumbnailCacheAreNeverThumbnailed) {
  TESSERA_REQUIRE_CORPUS_FILE(std::string("photos/") + kPhoto);
  const std::string photo = Photo(kPhoto);
  ASSERT_EQ(Tessera({"thumbnail", photo}).exit_code, 0);
  const std::string thumb = CacheFile(photo, "large");
  ProcessResult r = Tessera({"thumbnail", "--json", thumb});
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["files"][0]["outcome"], "skipped");
  EXPECT_FALSE(Exists(CacheFile(thumb, "large")));
}

TEST_F(CliThumbnailTest, CleanRemovesOrphansWithDryRunFirst) {
  TESSERA_REQUIRE_CORPUS_FILE(std::string("photos/") + kPhoto);
  const std::string photo = Photo(kPhoto);
  ASSERT_EQ(Tessera({"thumbnail", "--size", "all", photo}).exit_code, 0);
  ASSERT_EQ(unlink(photo.c_str()), 0);
  ProcessResult dry = Tessera({"clean", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("4 orphaned"));
  EXPECT_TRUE(Exists(CacheFile(photo, "large")));
  ProcessResult clean = Tessera({"clean"});
  EXPECT_THAT(clean.out, HasSubstr("4 orphaned"));
  EXPECT_FALSE(Exists(CacheFile(photo, "large")));
}

TEST_F(CliThumbnailTest, DraftExportLayout) {
  TESSERA_REQUIRE_CORPUS_FILE(std::string("photos/") + kPhoto);
  const std::string photo = Photo(kPhoto);
  ASSERT_EQ(chmod(photo.c_str(), 0640), 0);
  ProcessResult r = Tessera({"thumbnail", "--draft", "hq", photo});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string draft = work_ / (std::string(".thumbnails/128x128/") + kPhoto + ".hq.png");
  ASSERT_TRUE(Exists(draft)) << draft;
  EXPECT_EQ(Stat(draft).st_mtime, Stat(photo).st_mtime);
  EXPECT_EQ(Stat(draft).st_mode & 0777, 0640u);
}

TEST_F(CliThumbnailTest, DraftOnlyLowQualityWritesNoPersonalCache) {
  TESSERA_REQUIRE_CORPUS_FILE("photos/forensics__IMG_20191224_234846.jpg");
  const std::string photo = Photo("forensics__IMG_20191224_234846.jpg");
  ProcessResult r = Tessera({"thumbnail", "--draft", "lq", "--draft-only", photo});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string draft = work_ / ".thumbnails/128x128/forensics__IMG_20191224_234846.jpg.lq.png";
  ASSERT_TRUE(Exists(draft));
  Result<Image> image = DecodePng(ReadFile(draft));
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(image->width, 128);
  EXPECT_EQ(image->height, 96);
  EXPECT_FALSE(Exists(cache_home_.path() + "/thumbnails")) << "draft only";
  EXPECT_FALSE(Exists(work_ / ".thumbnails/128x128/forensics__IMG_20191224_234846.jpg.hq.png"));
}

}  // namespace
}  // namespace tessera::testing
