#include "src/pipeline/exif_preview.h"

#include <gtest/gtest.h>

#include "src/core/test_corpus.h"
#include "src/media/file_bytes.h"
#include "src/media/probe.h"
#include "src/pipeline/test_images.h"

namespace tessera::pipeline {
namespace {

using testing::CorpusPath;

constexpr const char* kPhoto = "photos/forensics__IMG_20191224_234846.jpg";  // 320x240 inside
constexpr const char* kTurned =
    "orientation/real-phone-orientation-3__forensics__IMG_20200124_231153.jpg";

std::optional<PreviewSource> PreviewFor(const std::string& path, int edge) {
  const std::string bytes = *media::ReadFileBytes(path, 1 << 30);
  const media::ProbeResult probed = *media::ProbeBytes(path, bytes);
  const std::vector<Target> targets = {Target::Square(edge)};
  const Plan plan = MakePlan(probed.info, targets, probed.facts, Quality::kFast);
  return ExifPreview(path, bytes, probed.info, plan, targets);
}

TEST(ExifPreviewTest, UsedOnlyWhenItCoversTheOutput) {
  TESSERA_REQUIRE_CORPUS_FILE(kPhoto);
  ASSERT_EQ(InitEngineRuntime().ok(), true);
  std::optional<PreviewSource> small = PreviewFor(CorpusPath(kPhoto), 128);
  ASSERT_TRUE(small.has_value());
  EXPECT_EQ(small->info.width, 320);
  EXPECT_EQ(small->plan.outputs[0].width, 128);
  EXPECT_EQ(small->plan.outputs[0].height, 96);
  EXPECT_FALSE(PreviewFor(CorpusPath(kPhoto), 512).has_value()) << "would upscale the preview";
}

TEST(ExifPreviewTest, NoneInAJpegWithoutExif) {
  TESSERA_REQUIRE_CORPUS_FILE("orientation/upright-reference.jpg");
  ASSERT_TRUE(InitEngineRuntime().ok());
  EXPECT_FALSE(PreviewFor(CorpusPath("orientation/upright-reference.jpg"), 64).has_value());
}

// The fast thumbnail looks like the careful one: same size, same content, same orientation
// (the preview has no EXIF of its own; the photo's orientation is applied to it).
TEST(ExifPreviewTest, FastThumbnailMatchesTheQualityOne) {
  TESSERA_REQUIRE_CORPUS_FILE(kTurned);
  const Engine engine;
  for (const char* file : {kPhoto, kTurned}) {
    Result<ThumbnailSet> fast =
        engine.Thumbnail(CorpusPath(file), {Target::Square(128)}, Quality::kFast);
    Result<ThumbnailSet> good = engine.Thumbnail(CorpusPath(file), {Target::Square(128)});
    ASSERT_TRUE(fast.ok() && good.ok()) << file;
    ASSERT_EQ(fast->images[0].width, good->images[0].width) << file;
    ASSERT_EQ(fast->images[0].height, good->images[0].height) << file;
    // Measured 5.2 and 2.1.
    EXPECT_LT(testing::MeanAbsDiff(fast->images[0], good->images[0]), 12.0) << file;
  }
}

}  // namespace
}  // namespace tessera::pipeline
