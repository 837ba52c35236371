// DesktopThumbnailer with other programs' .thumbnailer entries: a type the engine does not read
// is thumbnailed by the installed program, its output decoded and stored like any thumbnail;
// a program that fails or writes garbage gets a failure record; nothing of it reaches the cache.
#include <gtest/gtest.h>

#include <filesystem>

#include "src/core/test_fs.h"
#include "tessera/desktop.h"
#include "tessera/engine.h"
#include "tessera/image.h"
#include "tessera/xdg.h"

namespace tessera {
namespace {

namespace fs = std::filesystem;
using ::tessera::testing::TempDir;
using ::tessera::testing::WriteFile;

class DesktopExternalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitEngineRuntime().ok());
    notes_ = dir_ / "files/notes.txt";
    WriteFile(notes_, "plain text, which no image decoder reads\n");
    cache_options_.base_dir = dir_ / "cache";
  }

  void Install(const std::string& exec) {
    WriteFile(dir_ / "thumbnailers/text.thumbnailer",
              "[Thumbnailer Entry]\nExec=" + exec + "\nMimeType=text/plain;\n");
  }

  FileResult Process(bool external = true) {
    DesktopOptions options;
    options.sizes = {xdg::ThumbSize::kNormal, xdg::ThumbSize::kLarge};
    options.external.enabled = external;
    options.external.dirs = {dir_ / "thumbnailers"};
    options.external.timeout_seconds = 10;
    const xdg::Cache cache(cache_options_);
    DesktopThumbnailer thumbnailer(engine_, cache, options);
    return thumbnailer.Process(notes_);
  }

  TempDir dir_;
  std::string notes_;
  xdg::CacheOptions cache_options_;
  const Engine engine_;
};

TEST_F(DesktopExternalTest, TheInstalledProgramThumbnailsWhatTheEngineCannot) {
  Install("/usr/bin/convert -size %sx%s xc:#2040c0 png:%o");
  FileResult result = Process();
  ASSERT_EQ(result.outcome, Outcome::kGenerated) << result.status.ToString();
  EXPECT_EQ(result.external, "text.thumbnailer");
  EXPECT_EQ(result.mime_type, "text/plain");
  const xdg::Cache cache(cache_options_);
  auto original = xdg::StatOriginal(notes_);
  ASSERT_TRUE(original.ok());
  for (auto [size, edge] :
       {std::pair{xdg::ThumbSize::kNormal, 128}, std::pair{xdg::ThumbSize::kLarge, 256}}) {
    xdg::Lookup lookup = cache.Find(*original, size);
    ASSERT_EQ(lookup.state, xdg::LookupState::kValid) << lookup.reason;
    auto png = DecodePng(::tessera::testing::ReadFile(lookup.path));
    ASSERT_TRUE(png.ok()) << png.status().ToString();
    EXPECT_EQ(png->width, edge);  // asked for the largest size, derived the others
    EXPECT_EQ(png->height, edge);
    EXPECT_EQ(png->rgba[0], 0x20);
    EXPECT_EQ(png->rgba[2], 0xc0);
    auto text = ReadPngText(lookup.path);
    ASSERT_TRUE(text.ok());
    bool has_mime = false, has_width = false;
    for (const auto& [key, value] : *text) {
      has_mime |= key == "Thumb::Mimetype" && value == "text/plain";
      has_width |= key == "Thumb::Image::Width";
    }
    EXPECT_TRUE(has_mime);
    EXPECT_FALSE(has_width) << "the picture's size is not the original's";
  }
}

TEST_F(DesktopExternalTest, GarbageOutputIsAFailureRecordNotAThumbnail) {
  Install("/bin/sh -c 'echo this is not a PNG > \"$1\"' sh %o");
  FileResult result = Process();
  ASSERT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_EQ(result.status.code(), StatusCode::kCorrupt) << result.status.ToString();
  EXPECT_NE(result.status.message().find("wrote no readable image"), std::string::npos)
      << result.status.ToString();
  EXPECT_NE(result.status.message().find(notes_), std::string::npos);
  const xdg::Cache cache(cache_options_);
  auto original = xdg::StatOriginal(notes_);
  ASSERT_TRUE(original.ok());
  EXPECT_TRUE(cache.HasFailure(*original));
  EXPECT_EQ(cache.Find(*original, xdg::ThumbSize::kLarge).state, xdg::LookupState::kFailed);
  EXPECT_FALSE(fs::exists(dir_ / "cache/large"));
  EXPECT_EQ(Process().outcome, Outcome::kFailedBefore);
}

TEST_F(DesktopExternalTest, WithoutExternalProgramsTheTypeIsUnsupported) {
  Install("/usr/bin/convert -size %sx%s xc:red png:%o");
  FileResult result = Process(/*external=*/false);
  ASSERT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_EQ(result.status.code(), StatusCode::kUnsupported) << result.status.ToString();
  EXPECT_TRUE(result.external.empty());
}

TEST_F(DesktopExternalTest, TypesTheEngineReadsNeverGoToThePrograms) {
  // A program for PNG that would fail: the engine decodes PNGs itself and never asks it.
  WriteFile(dir_ / "thumbnailers/png.thumbnailer",
            "[Thumbnailer Entry]\nExec=/bin/false %o\nMimeType=image/png;\n");
  auto png = EncodePng(Image{4, 4, std::vector<uint8_t>(64, 200)}, {});
  ASSERT_TRUE(png.ok());
  notes_ = dir_ / "files/small.png";
  WriteFile(notes_, *png);
  FileResult result = Process();
  ASSERT_EQ(result.outcome, Outcome::kGenerated) << result.status.ToString();
  EXPECT_TRUE(result.external.empty());
}

}  // namespace
}  // namespace tessera
