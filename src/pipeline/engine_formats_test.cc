// Every decodable file of the corpus' format groups gets an RGBA thumbnail of the planned size.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "src/pipeline/plan.h"
#include "src/pipeline/test_images.h"
#include "tessera/engine.h"

namespace tessera {
namespace {

using testing::CorpusFiles;

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// Thumbnails every file in `folder` at 256 and checks size, RGBA layout and the plan.
void ThumbnailFolder(const std::string& folder, bool fast_jpeg) {
  const Engine engine(EngineOptions{.fast_jpeg = fast_jpeg});
  const auto files = CorpusFiles(folder);
  ASSERT_FALSE(files.empty()) << folder;
  for (const std::string& path : files) {
    SCOPED_TRACE(path);
    if (Contains(path, "encrypted-password")) continue;  // see EncryptedPdfFailsClearly
    auto set = engine.Thumbnail(path, {Target::Square(256)});
    ASSERT_TRUE(set.ok()) << set.status().ToString();
    ASSERT_EQ(set->images.size(), 1u);
    const Image& image = set->images[0];
    const pipeline::Size expected =
        pipeline::FitInside({set->probe.OrientedWidth(), set->probe.OrientedHeight()}, 256, 256);
    EXPECT_EQ(image.width, expected.width);
    EXPECT_EQ(image.height, expected.height);
    EXPECT_EQ(image.rgba.size(), image.stride() * image.height);
  }
}

class FormatsTest : public ::testing::TestWithParam<const char*> {};

TEST_P(FormatsTest, EveryFileGetsAPlannedThumbnail) {
  TESSERA_REQUIRE_CORPUS_FILE(GetParam());
  ThumbnailFolder(GetParam(), /*fast_jpeg=*/true);
}

INSTANTIATE_TEST_SUITE_P(Corpus, FormatsTest,
                         ::testing::Values("photos", "jpeg-variants", "png", "webp", "heif", "jxl",
                                           "tiff", "gif", "svg", "pdf", "edge", "orientation",
                                           "art", "faces"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(FormatsTest, PhotosThroughLibvipsJpegload) {
  TESSERA_REQUIRE_CORPUS_FILE("photos");
  ThumbnailFolder("photos", /*fast_jpeg=*/false);
}

// The corpus README expects libheif 1.15 to refuse this AVIF sequence. It does refuse the
// sequence track, and libvips' format detection does not claim the 'avis' brand; but the file
// also carries a still primary item (brands avif, mif1), and heifload called directly, as we
// do once GIO says image/avif, decodes that. A still frame is the right thumbnail.
TEST(FormatsTest, AvifSequenceGivesItsPrimaryStillImage) {
  TESSERA_REQUIRE_CORPUS_FILE("heif/avif-sequence-animated__mimetype__avifsequence.avif");
  const std::string path =
      testing::CorpusPath("heif/avif-sequence-animated__mimetype__avifsequence.avif");
  auto set = Engine().Thumbnail(path, {Target::Square(256)});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->probe.mime_type, "image/avif");
  EXPECT_EQ(set->probe.width, 499);
  EXPECT_EQ(set->probe.height, 479);
  EXPECT_EQ(set->images[0].width, 256);
  EXPECT_EQ(set->images[0].height, 246);
}

TEST(FormatsTest, EncryptedPdfFailsClearly) {
  TESSERA_REQUIRE_CORPUS_FILE("pdf/encrypted-password__forensics__a-text-pass-A5d.pdf");
  const std::string path =
      testing::CorpusPath("pdf/encrypted-password__forensics__a-text-pass-A5d.pdf");
  auto set = Engine().Thumbnail(path, {Target::Square(256)});
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), StatusCode::kUnsupported) << set.status().ToString();
  EXPECT_TRUE(Contains(set.status().message(), path));
  EXPECT_TRUE(Contains(set.status().message(), "encrypted"));
}

TEST(FormatsTest, PdfFirstPageAndPageCount) {
  TESSERA_REQUIRE_CORPUS_FILE("pdf/2-pages__forensics__a-text.pdf");
  auto set = Engine().Thumbnail(testing::CorpusPath("pdf/2-pages__forensics__a-text.pdf"),
                                {Target::Square(256)});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->probe.pages, 2);
  EXPECT_TRUE(set->probe.is_vector);
  EXPECT_EQ(set->probe.mime_type, "application/pdf");
  EXPECT_EQ(std::max(set->images[0].width, set->images[0].height), 256);
}

TEST(FormatsTest, MultiPageTiffAndAnimatedGifGiveTheFirstPage) {
  TESSERA_REQUIRE_CORPUS_FILE("tiff/multipage-3__derived__mate.tif");
  auto tiff = Engine().Thumbnail(testing::CorpusPath("tiff/multipage-3__derived__mate.tif"),
                                 {Target::Square(128)});
  ASSERT_TRUE(tiff.ok()) << tiff.status().ToString();
  EXPECT_EQ(tiff->probe.pages, 3);
  auto gif =
      Engine().Thumbnail(testing::CorpusPath("gif/animated-36frames__imageio__newtonscradle.gif"),
                         {Target::Square(128)});
  ASSERT_TRUE(gif.ok()) << gif.status().ToString();
  EXPECT_EQ(gif->probe.pages, 36);
}

TEST(FormatsTest, SixteenBitPngComesOutEightBit) {
  TESSERA_REQUIRE_CORPUS_FILE("png/16bit-rgb__derived__Storm.png");
  auto set = Engine().Thumbnail(testing::CorpusPath("png/16bit-rgb__derived__Storm.png"),
                                {Target::Square(256)});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->probe.bits_per_sample, 16);
  // Not black, not white: the values were scaled from 16 to 8 bits, not truncated.
  const double mean = testing::MeanChannel(set->images[0], 1);
  EXPECT_GT(mean, 20);
  EXPECT_LT(mean, 235);
  EXPECT_EQ(testing::MeanChannel(set->images[0], 3), 255);
}

TEST(FormatsTest, TransparentPixelsStayTransparent) {
  TESSERA_REQUIRE_CORPUS_FILE("edge/1x1-transparent.png");
  auto one =
      Engine().Thumbnail(testing::CorpusPath("edge/1x1-transparent.png"), {Target::Square(256)});
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->images[0].width, 1);
  EXPECT_EQ(one->images[0].Pixel(0, 0)[3], 0);
  auto mostly =
      Engine().Thumbnail(testing::CorpusPath("png/alpha-mostly-transparent__mate__Arc-Colors.png"),
                         {Target::Square(256)});
  ASSERT_TRUE(mostly.ok()) << mostly.status().ToString();
  EXPECT_TRUE(mostly->probe.has_alpha);
  int transparent = 0;
  for (size_t i = 3; i < mostly->images[0].rgba.size(); i += 4) {
    transparent += mostly->images[0].rgba[i] == 0;
  }
  EXPECT_GT(transparent, 0);
}

// Mean brightness of partly transparent pixels over that of opaque ones.
double EdgeToOpaqueBrightness(const Image& image) {
  double edge_sum = 0, opaque_sum = 0;
  int edge_n = 0, opaque_n = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const uint8_t* p = image.Pixel(x, y);
      const double luma = (p[0] + p[1] + p[2]) / 3.0;
      if (p[3] > 20 && p[3] < 200) edge_sum += luma, ++edge_n;
      if (p[3] == 255) opaque_sum += luma, ++opaque_n;
    }
  }
  if (edge_n == 0 || opaque_n == 0 || opaque_sum == 0) return -1;
  return (edge_sum / edge_n) / (opaque_sum / opaque_n);
}

// Premultiplied resampling: partly transparent edge pixels keep their colour; resampling
// straight RGBA pulls in the colour of transparent neighbours (black here) and darkens them.
// Tolerance: the thumbnail's edge/opaque brightness ratio within 15% of the original's.
TEST(FormatsTest, AlphaEdgesAreNotDarkened) {
  for (const char* file : {"png/alpha-photo__libjxl__flower_alpha.png",
                           "png/alpha-photo-500px__libjxl__tmshre_riaphotographs_alpha.png"}) {
    SCOPED_TRACE(file);
    if (!testing::PathExists(testing::CorpusPath(file))) continue;
    auto full = Engine().Thumbnail(testing::CorpusPath(file), {Target::Square(100000)});
    auto small = Engine().Thumbnail(testing::CorpusPath(file), {Target::Square(128)});
    ASSERT_TRUE(full.ok() && small.ok());
    const double before = EdgeToOpaqueBrightness(full->images[0]);
    const double after = EdgeToOpaqueBrightness(small->images[0]);
    if (before < 0 || after < 0) continue;
    EXPECT_GT(after, 0.85 * before) << before << " -> " << after;
  }
}

TEST(DecodeOnceTest, FourTargetsFromOneCall) {
  TESSERA_REQUIRE_CORPUS_FILE("photos/npm-exif__sony-alpha-6000.jpg");
  for (bool fast : {true, false}) {
    const Engine engine(EngineOptions{.fast_jpeg = fast});
    auto set = engine.Thumbnail(
        testing::CorpusPath("photos/npm-exif__sony-alpha-6000.jpg"),
        {Target::Square(128), Target::Square(1024), Target::Square(256), Target::Square(512)});
    ASSERT_TRUE(set.ok()) << set.status().ToString();
    ASSERT_EQ(set->images.size(), 4u);
    EXPECT_EQ(set->images[0].width, 128);
    EXPECT_EQ(set->images[0].height, 85);
    EXPECT_EQ(set->images[1].width, 1024);
    EXPECT_EQ(set->images[1].height, 683);
    EXPECT_EQ(set->images[2].width, 256);
    EXPECT_EQ(set->images[2].height, 171);
    EXPECT_EQ(set->images[3].width, 512);
    EXPECT_EQ(set->images[3].height, 341);
    // The cascade's 256 matches a direct 256.
    auto direct = engine.Thumbnail(testing::CorpusPath("photos/npm-exif__sony-alpha-6000.jpg"),
                                   {Target::Square(256)});
    ASSERT_TRUE(direct.ok());
    EXPECT_LT(testing::MeanAbsDiff(set->images[2], direct->images[0]), 3.0);
  }
}

TEST(EngineTest, RejectsEmptyOrNonPositiveTargets) {
  EXPECT_EQ(Engine().Thumbnail("/nonexistent", {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Engine().Thumbnail("/nonexistent", {Target{0, 5}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Engine().Thumbnail("/nonexistent", {Target::Square(5)}).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace tessera
