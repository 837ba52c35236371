// Every hostile or broken file in corpus/bad gets a clear error naming it and a failure record,
// or (for the few that are really decodable) a correct thumbnail; nothing crashes, nothing
// partial is left in the cache. Run under a generous timeout and address-space cap: a guard
// against hangs and blow-ups, not a speed test.
#include <dirent.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "tessera/image.h"
#include "tessera/xdg.h"
#include "tests/support/process.h"

namespace tessera::testing {
namespace {

using ::testing::HasSubstr;

constexpr long long kAddressSpaceCap = 4LL << 30;  // 4 GiB: the GIF bomb alone would take 17

// The files in bad/ that are really decodable and must get a thumbnail.
bool MustSucceed(const std::string& name) {
  return name.rfind("wrong-ext-jpeg", 0) == 0 || name.rfind("wrong-ext-png", 0) == 0 ||
         name.rfind("wrong-ext-mp4", 0) == 0 || name.rfind("malformed-exif", 0) == 0 ||
         name.rfind("svg-", 0) == 0;
}

std::vector<std::string> BadFiles() {
  std::vector<std::string> names;
  DIR* dir = opendir(CorpusPath("bad").c_str());
  if (!dir) return names;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] != '.') names.push_back(e->d_name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

TEST(BadFilesTest, EveryFileGetsAThumbnailOrAClearErrorAndARecord) {
  TESSERA_REQUIRE_CORPUS_FILE("bad");
  TempDir cache_home;
  std::vector<std::string> args = {TesseraBin(), "thumbnail", "--json", "-j", "2", "--size", "all"};
  const std::vector<std::string> names = BadFiles();
  ASSERT_GE(names.size(), 20u);
  for (const std::string& name : names) args.push_back(CorpusPath("bad/" + name));
  ProcessResult r = RunProcess(args, {.env = {{"XDG_CACHE_HOME", cache_home.path()}},
                                      .timeout_seconds = 300,
                                      .address_space_bytes = kAddressSpaceCap});
  ASSERT_EQ(r.exit_code, 1) << "some bad files must fail, and the process must not crash\n"
                            << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["files"].size(), names.size());
  const xdg::Cache cache(xdg::CacheOptions{.base_dir = cache_home.path() + "/thumbnails"});
  for (const auto& file : j["files"]) {
    const std::string path = file["path"];
    const std::string name = path.substr(path.rfind('/') + 1);
    Result<xdg::Original> original = xdg::StatOriginal(path);
    ASSERT_TRUE(original.ok());
    if (MustSucceed(name)) {
      EXPECT_EQ(file["outcome"], "generated") << name << ": " << file.dump();
      for (xdg::ThumbSize size : xdg::kAllSizes) {
        EXPECT_EQ(cache.Find(*original, size).state, xdg::LookupState::kValid) << name;
      }
      continue;
    }
    EXPECT_EQ(file["outcome"], "failed") << name;
    const std::string error = file.value("error", "");
    EXPECT_THAT(error, HasSubstr(name)) << "the error must name the file";
    EXPECT_GT(error.size(), name.size() + 10) << "and give a reason: " << error;
    if (name.rfind("audio-only", 0) == 0) EXPECT_THAT(error, HasSubstr("no video stream"));
    EXPECT_TRUE(cache.HasFailure(*original)) << name << " has no failure record";
    for (xdg::ThumbSize size : xdg::kAllSizes) {
      EXPECT_FALSE(Exists(cache.ThumbnailPath(original->uri, size))) << name;
    }
  }
  // No temp file or partial thumbnail anywhere in the cache.
  for (const std::string& f : FilesUnder(cache_home.path())) {
    EXPECT_EQ(f.substr(f.size() - 4), ".png") << "stray file " << f;
    EXPECT_TRUE(DecodePng(ReadFile(f)).ok()) << "torn file " << f;
  }
}

TEST(BadFilesTest, FailureRecordsAreHonouredUntilTheFileChanges) {
  TESSERA_REQUIRE_CORPUS_FILE("bad/truncated-40pct__IMG_20191224_234846.jpg");
  TempDir cache_home, work;
  const std::string file = work / "cut.jpg";
  CopyFile(CorpusPath("bad/truncated-40pct__IMG_20191224_234846.jpg"), file);
  ProcessOptions options{.env = {{"XDG_CACHE_HOME", cache_home.path()}}};
  ProcessResult first = RunProcess({TesseraBin(), "thumbnail", file}, options);
  EXPECT_EQ(first.exit_code, 1);
  EXPECT_THAT(first.err, HasSubstr("cut.jpg"));
  ProcessResult second = RunProcess({TesseraBin(), "thumbnail", file}, options);
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_THAT(second.out, HasSubstr("1 failed before"));
  // The file is repaired: the record no longer applies.
  CopyFile(CorpusPath("photos/forensics__IMG_20191224_234846.jpg"), file);
  ProcessResult third = RunProcess({TesseraBin(), "thumbnail", file}, options);
  EXPECT_EQ(third.exit_code, 0) << third.err;
  EXPECT_THAT(third.out, HasSubstr("1 generated"));
}

TEST(BadFilesTest, AnUnwritableCacheIsNotBlamedOnTheFile) {
  TESSERA_REQUIRE_CORPUS_FILE("bad/truncated-40pct__IMG_20191224_234846.jpg");
  TempDir home, work;
  // XDG_CACHE_HOME is a regular file: nothing can be created below it (even as root).
  WriteFile(home / "not-a-folder", "x");
  const std::string photo = work / "a.jpg";
  CopyFile(CorpusPath("photos/mate__Dune.jpg"), photo);
  ProcessResult r = RunProcess({TesseraBin(), "thumbnail", photo},
                               {.env = {{"XDG_CACHE_HOME", home / "not-a-folder"}}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("a.jpg"));
  EXPECT_EQ(FilesUnder(home.path()).size(), 1u) << "nothing written anywhere";
}

TEST(BadFilesTest, ThumbnailerWritesNothingForABadFile) {
  TESSERA_REQUIRE_CORPUS_FILE("bad/wrong-ext-mp4-named.jpg");
  TempDir work;
  const std::string out = work / "out.png";
  ProcessResult r = RunProcess({TesseraBin(), "thumbnailer", "-s", "256",
                                CorpusPath("bad/truncated-50pct__TwoWings.png"), out});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("truncated-50pct__TwoWings.png"));
  EXPECT_TRUE(FilesUnder(work.path()).empty()) << "no output, not even an empty file";
}

}  // namespace
}  // namespace tessera::testing
