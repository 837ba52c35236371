// Orientation and colour on the real corpus.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "src/pipeline/test_images.h"
#include "tessera/engine.h"

namespace tessera {
namespace {

using testing::CorpusPath;
using testing::MeanAbsDiff;

Image Thumb(const Engine& engine, const std::string& relative, int edge = 256) {
  auto set = engine.Thumbnail(CorpusPath(relative), {Target::Square(edge)});
  EXPECT_TRUE(set.ok()) << relative << ": " << set.status().ToString();
  return set.ok() ? set->images[0] : Image{};
}

// Tolerance: mean absolute difference per channel < 3 (of 255). The files differ from the
// reference only by lossless jpegtran transforms, so the residue is IDCT rounding and the
// resampler seeing mirrored pixel grids.
constexpr double kOrientationTolerance = 3.0;

class OrientationTest : public ::testing::TestWithParam<bool> {};

TEST_P(OrientationTest, AllEightTagsShowLikeTheReference) {
  TESSERA_REQUIRE_CORPUS_FILE("orientation/upright-reference.jpg");
  const Engine engine(EngineOptions{.fast_jpeg = GetParam()});
  const Image reference = Thumb(engine, "orientation/upright-reference.jpg");
  ASSERT_EQ(reference.width, 256);
  ASSERT_EQ(reference.height, 171);
  for (int tag = 1; tag <= 8; ++tag) {
    SCOPED_TRACE(tag);
    const std::string file = "orientation/orientation-" + std::to_string(tag) + ".jpg";
    auto probe = engine.Probe(CorpusPath(file));
    ASSERT_TRUE(probe.ok());
    EXPECT_EQ(probe->orientation, tag);
    EXPECT_LT(MeanAbsDiff(Thumb(engine, file), reference), kOrientationTolerance);
  }
}

TEST_P(OrientationTest, UntaggedSidewaysAndInvalidTagStayAsStored) {
  TESSERA_REQUIRE_CORPUS_FILE("orientation/invalid-orientation-9.jpg");
  const Engine engine(EngineOptions{.fast_jpeg = GetParam()});
  for (const char* file : {"orientation/invalid-orientation-9.jpg",
                           "orientation/stored-sideways-no-tag__kphotoalbum__grand_canyon_1.jpg",
                           "orientation/stored-sideways-no-tag__kphotoalbum__new_wave_1.jpg",
                           "orientation/stored-sideways-no-tag__kphotoalbum__wayne.jpg"}) {
    SCOPED_TRACE(file);
    auto probe = engine.Probe(CorpusPath(file));
    ASSERT_TRUE(probe.ok()) << probe.status().ToString();
    EXPECT_EQ(probe->orientation, 1);
    const Image image = Thumb(engine, file);
    EXPECT_EQ(image.width > image.height, probe->width > probe->height);
  }
}

INSTANTIATE_TEST_SUITE_P(FastJpeg, OrientationTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "fast" : "vips"; });

TEST(HeifOrientationTest, StaleExifOrientationIsIgnored) {
  const char* file = "heif/heic-stale-exif-orientation-3__derived__IMG_20200124_231153.heic";
  TESSERA_REQUIRE_CORPUS_FILE(file);
  const Engine engine;
  auto set = engine.Thumbnail(CorpusPath(file), {Target::Square(256)});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->probe.orientation, 1);
  // As stored: the same pixels as the JPEG it was made from, decoded without its tag 3.
  auto jpeg = engine.Probe(
      CorpusPath("orientation/real-phone-orientation-3__forensics__IMG_20200124_231153.jpg"));
  if (jpeg.ok()) {
    EXPECT_EQ(jpeg->orientation, 3);
    EXPECT_EQ(set->probe.width, jpeg->width);
    EXPECT_EQ(set->probe.height, jpeg->height);
  }
}

TEST(HeifOrientationTest, IphoneFifteenProIsPortrait) {
  std::string path = CorpusPath("real-extra/real-iphone-15-pro.heic");
  if (!testing::PathExists(path)) path = "/work/shared/corpus/extra/real-iphone-15-pro.heic";
  if (!testing::PathExists(path)) GTEST_SKIP() << "no real-iphone-15-pro.heic";
  auto set = Engine().Thumbnail(path, {Target::Square(256)});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->probe.orientation, 1);
  EXPECT_EQ(set->probe.mime_type, "image/heif");
  EXPECT_EQ(set->images[0].width, 192);
  EXPECT_EQ(set->images[0].height, 256);
}

// Tolerance: mean absolute difference per channel < 6 against the sRGB original's thumbnail
// (measured: about 0.5 to 0.8 for AdobeRGB, P3, ProPhoto). The profiles are true colour
// conversions of it, so ignoring the profile fails this by far. CMYK gets 10: the round trip
// through a print gamut clips saturated colours (vipsthumbnail itself is 8.75 off on it).
constexpr double kColourTolerance = 6.0;
constexpr double kCmykTolerance = 10.0;

TEST(ColourTest, EmbeddedProfilesConvertToSrgb) {
  TESSERA_REQUIRE_CORPUS_FILE("jpeg-variants/icc-adobergb1998.jpg");
  const Engine engine;
  const Image original = Thumb(engine, "photos/mate__LadyBird.jpg");
  for (const char* file : {"jpeg-variants/icc-adobergb1998.jpg", "jpeg-variants/icc-prophoto.jpg",
                           "jpeg-variants/icc-display-p3.jpg", "jpeg-variants/cmyk-with-icc.jpg"}) {
    SCOPED_TRACE(file);
    auto probe = engine.Probe(CorpusPath(file));
    ASSERT_TRUE(probe.ok());
    EXPECT_TRUE(probe->has_icc_profile);
    const double diff = MeanAbsDiff(Thumb(engine, file), original);
    std::printf("colour %s: mean abs diff %.3f\n", file, diff);
    EXPECT_LT(diff, std::string(file).find("cmyk") != std::string::npos ? kCmykTolerance
                                                                        : kColourTolerance);
  }
}

// Both paths decode with libjpeg's DCT scaling, so with the same scale they agree (< 2).
// Files whose width is not a multiple of 8 x shrink are left out: libvips 8.14 rounds the
// shrunk size down (2268 / 8 -> 283) where libjpeg rounds up (284), and that 0.35% change of
// scale moves fine texture by a fraction of a pixel (flower_q85_gray: 6.2).
TEST(ColourTest, FastAndVipsJpegPathsAgree) {
  TESSERA_REQUIRE_CORPUS_FILE("jpeg-variants/icc-display-p3.jpg");
  const Engine fast(EngineOptions{.fast_jpeg = true});
  const Engine slow(EngineOptions{.fast_jpeg = false});
  for (const char* file :
       {"jpeg-variants/icc-display-p3.jpg", "photos/mate__Storm.jpg",
        "jpeg-variants/grayscale-1band.jpg", "jpeg-variants/arithmetic-coded.jpg",
        "photos/npm-exif__sony-alpha-6000.jpg"}) {
    SCOPED_TRACE(file);
    const double diff = MeanAbsDiff(Thumb(fast, file), Thumb(slow, file));
    EXPECT_LT(diff, 2.0);
    std::printf("fast vs vips %s: %.3f\n", file, diff);
  }
}

// YCCK without a profile goes through libvips' built-in CMYK profile: plausible colours, not
// inverted. Tolerance is loose (< 25): a generic CMYK profile is not the one ImageMagick used.
TEST(ColourTest, YcckWithoutProfileIsNotInverted) {
  TESSERA_REQUIRE_CORPUS_FILE("jpeg-variants/cmyk-adobe-ycck-no-icc.jpg");
  const Engine engine;
  const Image ycck = Thumb(engine, "jpeg-variants/cmyk-adobe-ycck-no-icc.jpg");
  const Image original = Thumb(engine, "photos/mate__LadyBird.jpg");
  EXPECT_LT(MeanAbsDiff(ycck, original), 25.0);
}

}  // namespace
}  // namespace tessera
