// `tessera thumbnailer -s SIZE INPUT OUTPUT`, as a desktop's .thumbnailer entry runs it, and the
// entry file the install target puts in share/thumbnailers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "tessera/image.h"
#include "tessera/xdg.h"
#include "tests/support/process.h"

namespace tessera::testing {
namespace {

using ::testing::HasSubstr;

TEST(ThumbnailerTest, WritesExactlyOutputFromAUri) {
  TESSERA_REQUIRE_CORPUS_FILE("orientation/orientation-6.jpg");
  TempDir work;
  const std::string file = work / "with space é.jpg";
  CopyFile(CorpusPath("orientation/orientation-6.jpg"), file);
  const std::string out = work / "out.png";
  ProcessResult r =
      RunProcess({TesseraBin(), "thumbnailer", "-s", "128", xdg::CanonicalUri(file), out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Result<Image> image = DecodePng(ReadFile(out));
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(image->width, 128);  // orientation 6 stored portrait, shown landscape
  EXPECT_EQ(image->height, 85);
  EXPECT_EQ(FilesUnder(work.path()).size(), 2u) << "only OUTPUT is written";
}

TEST(ThumbnailerTest, AcceptsAPlainPathAndLargerSizes) {
  TESSERA_REQUIRE_CORPUS_FILE("photos/mate__Dune.jpg");
  TempDir work;
  const std::string out = work / "x.png";
  ProcessResult r = RunProcess(
      {TesseraBin(), "thumbnailer", "-s", "512", CorpusPath("photos/mate__Dune.jpg"), out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Result<Image> image = DecodePng(ReadFile(out));
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(std::max(image->width, image->height), 512);
}

TEST(ThumbnailerTest, InstallPutsTheEntryInShareThumbnailers) {
  TempDir prefix;
  ProcessResult r =
      RunProcess({"cmake", "--install", TESSERA_BUILD_DIR, "--prefix", prefix.path()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string entry = prefix / "share/thumbnailers/tessera.thumbnailer";
  ASSERT_TRUE(Exists(entry));
  const std::string text = ReadFile(entry);
  EXPECT_THAT(text, HasSubstr("[Thumbnailer Entry]"));
  EXPECT_THAT(text, HasSubstr("thumbnailer -s %s %u %o"));
  EXPECT_THAT(text, HasSubstr("image/jpeg;"));
  EXPECT_THAT(text, HasSubstr("video/mp4;"));
  EXPECT_THAT(text, HasSubstr("image/x-adobe-dng;"));
  EXPECT_THAT(text, HasSubstr("image/vnd.adobe.photoshop;"));
  EXPECT_TRUE(Exists(prefix / "bin/tessera"));
  EXPECT_TRUE(Exists(prefix / "libexec/tessera/tessera-helper"));
  // The installed command finds its installed helper (relative to itself, so any prefix works)
  // and not the build tree's.
  TempDir work;
  WriteFile(work / "a.svg",
            "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='20'>"
            "<rect width='40' height='20' fill='red'/></svg>");
  ProcessResult svg = RunProcess(
      {prefix / "bin/tessera", "thumbnailer", "-s", "128", work / "a.svg", work / "a.png"},
      {.unset_env = {"TESSERA_HELPER"}});
  EXPECT_EQ(svg.exit_code, 0) << svg.err;
  EXPECT_TRUE(Exists(work / "a.png"));
}

}  // namespace
}  // namespace tessera::testing
