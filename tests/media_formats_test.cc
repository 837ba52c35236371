// Videos, camera RAW and ImageMagick formats through the command, end to end: each file gets
// thumbnails GLib would accept, with the keys its kind calls for (Thumb::Movie::Length for
// videos), upright, and for the black-first clip not black.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "tessera/image.h"
#include "tessera/xdg.h"
#include "tests/support/process.h"

namespace tessera::testing {
namespace {

using ::testing::HasSubstr;

std::string SharedExtra(const std::string& name) {
  return std::string(TESSERA_SOURCE_DIR) + "/../shared/corpus/extra/" + name;
}

std::vector<std::string> Folder(const std::string& relative) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(CorpusPath(relative))) {
    if (e.is_regular_file()) files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::map<std::string, std::string> Keys(const std::string& png) {
  std::map<std::string, std::string> keys;
  Result<PngText> text = ReadPngText(png);
  if (text.ok()) {
    for (const auto& [k, v] : *text) keys[k] = v;
  }
  return keys;
}

double MeanLuma(const Image& image) {
  double sum = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const uint8_t* p = image.Pixel(x, y);
      sum += 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
    }
  }
  return sum / (static_cast<double>(image.width) * image.height);
}

class MediaFormatsTest : public ::testing::Test {
 protected:
  // Thumbnails `files` at 256 (large); returns the --json report.
  nlohmann::json Thumbnail(const std::vector<std::string>& files) {
    std::vector<std::string> args = {TesseraBin(), "thumbnail", "--json", "-j", "2"};
    args.insert(args.end(), files.begin(), files.end());
    ProcessResult r =
        RunProcess(args, {.env = {{"XDG_CACHE_HOME", cache_home_.path()}}, .timeout_seconds = 600});
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
    return nlohmann::json::parse(r.out);
  }
  // ... and expects every one generated.
  void ThumbnailAll(const std::vector<std::string>& files) {
    const nlohmann::json out = Thumbnail(files);
    EXPECT_EQ(out["summary"]["generated"], files.size()) << out.dump(1);
  }
  std::string Thumb(const std::string& path) const {
    Result<xdg::Original> original = xdg::StatOriginal(path);
    EXPECT_TRUE(original.ok());
    const xdg::Cache cache(xdg::CacheOptions{.base_dir = cache_home_.path() + "/thumbnails"});
    EXPECT_EQ(cache.Find(*original, xdg::ThumbSize::kLarge).state, xdg::LookupState::kValid)
        << path;
    return cache.ThumbnailPath(original->uri, xdg::ThumbSize::kLarge);
  }
  Image Pixels(const std::string& path) const {
    Result<Image> image = DecodePng(ReadFile(Thumb(path)));
    EXPECT_TRUE(image.ok()) << path;
    return image.ok() ? *image : Image{};
  }

  TempDir cache_home_, work_;
};

TEST_F(MediaFormatsTest, EveryCorpusVideoGetsAThumbnailWithItsLength) {
  TESSERA_REQUIRE_CORPUS_FILE("video");
  std::vector<std::string> files = Folder("video");
  if (Exists(SharedExtra("real-hevc-hvc1.mov"))) files.push_back(SharedExtra("real-hevc-hvc1.mov"));
  ThumbnailAll(files);
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    const auto keys = Keys(Thumb(f));
    ASSERT_TRUE(keys.count("Thumb::Movie::Length")) << "no Thumb::Movie::Length";
    EXPECT_GE(std::stoi(keys.at("Thumb::Movie::Length")), 1);
    EXPECT_EQ(keys.count("Thumb::Image::Width"), 0u) << "image keys describe images only";
    const Image image = Pixels(f);
    const bool small = f.find("160x120") != std::string::npos;
    EXPECT_EQ(std::max(image.width, image.height), small ? 160 : 256) << "never upscaled";
  }
  const Image rotated = Pixels(CorpusPath("video/derived-rotate90-metadata__phone.mp4"));
  EXPECT_GT(rotated.height, rotated.width) << "the phone clip is portrait once rotated";
  const Image black_first = Pixels(CorpusPath("video/derived-black-first-2s__cockatoo.mp4"));
  EXPECT_GT(MeanLuma(black_first), 40.0) << "a black first frame was chosen";
}

// A QuickTime reference movie: its frames live in other files (on the author's disk in 2003),
// which are never opened; ffmpegthumbnailer fails on it too.
TEST_F(MediaFormatsTest, ReferenceMovieFailsWithItsReason) {
  const std::string mov = SharedExtra("real-quicktime-jpeg.mov");
  if (!Exists(mov)) GTEST_SKIP() << "no " << mov;
  const nlohmann::json out = Thumbnail({mov});
  ASSERT_EQ(out["files"].size(), 1u);
  EXPECT_EQ(out["files"][0]["outcome"], "failed");
  EXPECT_THAT(out["files"][0].value("error", ""), HasSubstr("reference movie"));
  EXPECT_THAT(out["files"][0].value("error", ""), HasSubstr("real-quicktime-jpeg.mov"));
}

TEST_F(MediaFormatsTest, CameraRawGetsAnUprightThumbnail) {
  TESSERA_REQUIRE_CORPUS_FILE("raw");
  std::vector<std::string> files = Folder("raw");
  if (Exists(SharedExtra("real-canon-eos-6d.dng")))
    files.push_back(SharedExtra("real-canon-eos-6d.dng"));
  ThumbnailAll(files);
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    const auto keys = Keys(Thumb(f));
    EXPECT_EQ(keys.at("Thumb::Mimetype"), "image/x-adobe-dng");
    const int width = std::stoi(keys.at("Thumb::Image::Width"));
    const int height = std::stoi(keys.at("Thumb::Image::Height"));
    const Image image = Pixels(f);
    EXPECT_NEAR(static_cast<double>(image.width) / image.height,
                static_cast<double>(width) / height, 0.02);
  }
}

TEST_F(MediaFormatsTest, ImageMagickFormatsMadeHereGetThumbnails) {
  TESSERA_REQUIRE_CORPUS_FILE("photos/mate__Dune.jpg");
  const std::string source = CorpusPath("photos/mate__Dune.jpg");
  std::vector<std::string> files;
  for (const char* name : {"dune.psd", "dune.tga", "dune.pcx", "dune.sgi", "dune.bmp"}) {
    const std::string out = work_ / name;
    ProcessResult r = RunProcess({"/usr/bin/convert", source, "-resize", "400x300", out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    files.push_back(out);
  }
  ThumbnailAll(files);
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    const Image image = Pixels(f);
    EXPECT_EQ(std::max(image.width, image.height), 256);
    EXPECT_GT(MeanLuma(image), 20.0);
  }
}

TEST_F(MediaFormatsTest, DesktopThumbnailerEntryHandlesAVideo) {
  TESSERA_REQUIRE_CORPUS_FILE("video/real-h264-320x240__imageio__realshort.mp4");
  const std::string out = work_ / "out.png";
  ProcessResult r =
      RunProcess({TesseraBin(), "thumbnailer", "-s", "128",
                  CorpusPath("video/real-h264-320x240__imageio__realshort.mp4"), out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Result<Image> image = DecodePng(ReadFile(out));
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(image->width, 128);
  EXPECT_EQ(image->height, 96);
}

}  // namespace
}  // namespace tessera::testing
