#include "src/pipeline/plan.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

namespace tessera::pipeline {
namespace {

ProbeInfo Jpeg(int w, int h, int orientation = 1) {
  ProbeInfo p;
  p.format = "jpeg";
  p.width = w;
  p.height = h;
  p.orientation = orientation;
  return p;
}

TEST(FitInsideTest, LandscapePortraitSquare) {
  EXPECT_EQ(FitInside({6000, 4000}, 256, 256), (Size{256, 171}));
  EXPECT_EQ(FitInside({4000, 6000}, 256, 256), (Size{171, 256}));
  EXPECT_EQ(FitInside({4096, 4096}, 256, 256), (Size{256, 256}));
  EXPECT_EQ(FitInside({1200, 800}, 128, 128), (Size{128, 85}));   // 85.33
  EXPECT_EQ(FitInside({1200, 800}, 512, 100), (Size{150, 100}));  // height limits
}

TEST(FitInsideTest, NeverUpscaled) {
  EXPECT_EQ(FitInside({100, 50}, 256, 256), (Size{100, 50}));
  EXPECT_EQ(FitInside({1, 1}, 1024, 1024), (Size{1, 1}));
  EXPECT_EQ(FitInside({256, 171}, 256, 256), (Size{256, 171}));
  EXPECT_EQ(FitInside({300, 200}, 300, 1000), (Size{300, 200}));
}

TEST(FitInsideTest, StripsKeepOnePixel) {
  EXPECT_EQ(FitInside({16000, 400}, 128, 128), (Size{128, 3}));  // 3.2
  EXPECT_EQ(FitInside({300, 12000}, 128, 128), (Size{3, 128}));
  EXPECT_EQ(FitInside({16000, 400}, 32, 32), (Size{32, 1}));  // 0.8 rounds to 1
  EXPECT_EQ(FitInside({300, 12000}, 16, 16), (Size{1, 16}));  // 0.4 is raised to 1
  EXPECT_EQ(FitInside({161, 1}, 128, 128), (Size{128, 1}));
  EXPECT_EQ(FitInside({100000, 1}, 1, 1), (Size{1, 1}));
}

TEST(FitInsideTest, RoundsHalfUp) {
  EXPECT_EQ(FitInside({400, 100}, 2, 2), (Size{2, 1}));  // 0.5 -> 1
  EXPECT_EQ(FitInside({1000, 300}, 100, 100), (Size{100, 30}));
  EXPECT_EQ(FitInside({1000, 305}, 100, 100), (Size{100, 31}));  // 30.5 -> 31
}

// Every output fits the box, touches it on one side (or equals the original), and keeps the
// aspect ratio to the pixel.
TEST(FitInsideTest, Sweep) {
  const int sides[] = {1,   2,   3,    7,    64,   99,   127,  128,  129,  255,   256,  257,
                       600, 800, 1023, 1024, 1025, 3000, 4000, 4032, 6000, 12000, 16000};
  const int boxes[] = {1, 16, 100, 128, 256, 512, 1024};
  for (int w : sides) {
    for (int h : sides) {
      for (int bw : boxes) {
        for (int bh : boxes) {
          const Size out = FitInside({w, h}, bw, bh);
          SCOPED_TRACE(testing::Message() << w << "x" << h << " in " << bw << "x" << bh);
          ASSERT_GE(out.width, 1);
          ASSERT_GE(out.height, 1);
          ASSERT_LE(out.width, std::min(w, bw));
          ASSERT_LE(out.height, std::min(h, bh));
          if (w <= bw && h <= bh) {
            ASSERT_EQ(out, (Size{w, h}));
            continue;
          }
          ASSERT_TRUE(out.width == bw || out.height == bh);
          if (out.width == bw && static_cast<int64_t>(bw) * h <= static_cast<int64_t>(bh) * w) {
            const double exact = static_cast<double>(h) * bw / w;
            ASSERT_EQ(out.height, std::max(1, static_cast<int>(std::floor(exact + 0.5))));
          } else {
            const double exact = static_cast<double>(w) * bh / h;
            ASSERT_EQ(out.width, std::max(1, static_cast<int>(std::floor(exact + 0.5))));
          }
        }
      }
    }
  }
}

TEST(PlanTest, OrientationsFiveToEightSwap) {
  for (int o = 1; o <= 8; ++o) {
    SCOPED_TRACE(o);
    // Stored 800x1200 for 5..8 (as the corpus does), 1200x800 otherwise: upright 1200x800.
    const ProbeInfo p = o >= 5 ? Jpeg(800, 1200, o) : Jpeg(1200, 800, o);
    const Plan plan = MakePlan(p, {Target::Square(256)}, {});
    EXPECT_EQ(plan.outputs[0], (Size{256, 171}));
    EXPECT_EQ(plan.decode_min, o >= 5 ? (Size{171, 256}) : (Size{256, 171}));
  }
}

TEST(PlanTest, InvalidOrientationIsNotSwapped) {
  const Plan plan = MakePlan(Jpeg(800, 1200, 9), {Target::Square(256)}, {});
  EXPECT_EQ(plan.outputs[0], (Size{171, 256}));
}

TEST(PlanTest, CascadeIsLargestFirstInTargetOrder) {
  const Plan plan = MakePlan(
      Jpeg(6000, 4000),
      {Target::Square(128), Target::Square(1024), Target::Square(256), Target::Square(512)}, {});
  ASSERT_EQ(plan.outputs.size(), 4u);
  EXPECT_EQ(plan.outputs[0], (Size{128, 85}));
  EXPECT_EQ(plan.outputs[1], (Size{1024, 683}));
  EXPECT_EQ(plan.outputs[2], (Size{256, 171}));
  EXPECT_EQ(plan.outputs[3], (Size{512, 341}));
  EXPECT_EQ(plan.cascade, (std::vector<int>{1, 3, 2, 0}));
  EXPECT_EQ(plan.largest, (Size{1024, 683}));
}

TEST(PlanTest, JpegScaleAndShrink) {
  EXPECT_EQ(JpegScaleNum({6000, 4000}, {256, 171}), 1);  // 750x500
  EXPECT_EQ(JpegShrink({6000, 4000}, {256, 171}), 8);
  EXPECT_EQ(JpegScaleNum({4000, 3000}, {1024, 768}), 3);  // 1500x1125
  EXPECT_EQ(JpegShrink({4000, 3000}, {1024, 768}), 2);    // 4 would give 1000 < 1024
  EXPECT_EQ(JpegScaleNum({1200, 800}, {1200, 800}), 8);
  EXPECT_EQ(JpegShrink({1200, 800}, {1200, 800}), 1);
  EXPECT_EQ(JpegScaleNum({1, 1}, {1, 1}), 1);  // ceil keeps a pixel
  EXPECT_EQ(JpegShrink({16000, 400}, {128, 3}), 8);
  EXPECT_EQ(JpegShrink({2268, 1512}, {284, 189}), 4);  // 2268 / 8 = 283 in libvips
  EXPECT_EQ(JpegShrink({1, 1}, {1, 1}), 1);
  // Sweep: the result always covers the minimum and the next step down would not.
  for (int w : {1, 7, 100, 801, 1200, 4000, 6000, 16000}) {
    for (int box : {1, 32, 128, 256, 512, 1024}) {
      const Size min = FitInside({w, 3000}, box, box);
      const int m = JpegScaleNum({w, 3000}, min);
      ASSERT_GE((int64_t{w} * m + 7) / 8, min.width);
      ASSERT_GE((3000 * m + 7) / 8, min.height);
      if (m > 1) {
        ASSERT_FALSE((int64_t{w} * (m - 1) + 7) / 8 >= min.width &&
                     (3000 * (m - 1) + 7) / 8 >= min.height);
      }
      const int s = JpegShrink({w, 3000}, min);
      ASSERT_GE(w / s, min.width);
      ASSERT_GE(3000 / s, min.height);
    }
  }
}

TEST(PlanTest, FastJpegOnlyWhenTheProbeAllowsIt) {
  LoaderFacts fast;
  fast.jpeg_fast_path = true;
  Plan plan = MakePlan(Jpeg(6000, 4000), {Target::Square(256)}, fast);
  EXPECT_TRUE(plan.fast_jpeg);
  EXPECT_EQ(plan.jpeg_scale_num, 1);
  EXPECT_EQ(plan.expected_decode, (Size{750, 500}));
  plan = MakePlan(Jpeg(6000, 4000), {Target::Square(256)}, {});
  EXPECT_FALSE(plan.fast_jpeg);
  EXPECT_EQ(plan.jpeg_shrink, 8);
}

TEST(PlanTest, OrientedJpegShrinkUsesStoredAxes) {
  // 3000x4000 stored, orientation 6: upright 4000x3000; 1024 box -> 1024x768 upright,
  // 768x1024 stored: 3000/4 = 750 < 768, so shrink 2.
  const Plan plan = MakePlan(Jpeg(3000, 4000, 6), {Target::Square(1024)}, {});
  EXPECT_EQ(plan.outputs[0], (Size{1024, 768}));
  EXPECT_EQ(plan.decode_min, (Size{768, 1024}));
  EXPECT_EQ(plan.jpeg_shrink, 2);
}

TEST(PlanTest, WebpAndVectorsLoadAtTheTargetScale) {
  ProbeInfo p = Jpeg(4096, 4096);
  p.format = "webp";
  Plan plan = MakePlan(p, {Target::Square(256)}, {});
  EXPECT_DOUBLE_EQ(plan.load_scale, 256.0 / 4096);
  p.format = "svg";
  p.is_vector = true;
  p.width = p.height = 100000;
  plan = MakePlan(p, {Target::Square(256), Target::Square(128)}, {});
  EXPECT_DOUBLE_EQ(plan.load_scale, 256.0 / 100000);
  EXPECT_EQ(plan.outputs[0], (Size{256, 256}));
  p.format = "pdf";
  p.width = 612;
  p.height = 792;
  plan = MakePlan(p, {Target::Square(256)}, {});
  EXPECT_EQ(plan.outputs[0], (Size{198, 256}));
  // The wider axis rounded up (197.8 -> 198), so its scale decides: the render covers both.
  EXPECT_NEAR(plan.load_scale, 198.0 / 612, 1e-9);
  // Small vector: rendered as declared, never upscaled.
  p.width = p.height = 48;
  plan = MakePlan(p, {Target::Square(256)}, {});
  EXPECT_EQ(plan.outputs[0], (Size{48, 48}));
  EXPECT_DOUBLE_EQ(plan.load_scale, 1.0);
}

TEST(PlanTest, TiffPyramidPicksTheSmallestLevelThatCovers) {
  ProbeInfo p = Jpeg(5640, 3172);
  p.format = "tiff";
  LoaderFacts facts;
  facts.pyramid_levels = {{5640, 3172}, {2820, 1586}, {1410, 793}, {705, 396}, {352, 198}};
  EXPECT_EQ(MakePlan(p, {Target::Square(256)}, facts).tiff_page, 4);   // 256x144
  EXPECT_EQ(MakePlan(p, {Target::Square(400)}, facts).tiff_page, 3);   // 400x225
  EXPECT_EQ(MakePlan(p, {Target::Square(1024)}, facts).tiff_page, 2);  // 1024x576
  EXPECT_EQ(MakePlan(p, {Target::Square(2000)}, facts).tiff_page, 1);
  EXPECT_EQ(MakePlan(p, {Target::Square(8000)}, facts).tiff_page, 0);
  EXPECT_EQ(MakePlan(p, {Target::Square(256)}, {}).tiff_page, 0);  // not a pyramid
}

TEST(PlanTest, HeifThumbnailUsedOnlyWhenLargeEnough) {
  ProbeInfo p = Jpeg(3024, 4032);
  p.format = "heif";
  LoaderFacts facts;
  facts.heif_thumbnail = {240, 320};
  EXPECT_TRUE(MakePlan(p, {Target::Square(128)}, facts).heif_thumbnail);
  EXPECT_TRUE(MakePlan(p, {Target::Square(256)}, facts).heif_thumbnail);   // 192x256
  EXPECT_FALSE(MakePlan(p, {Target::Square(512)}, facts).heif_thumbnail);  // 384x512
  facts.heif_thumbnail = {320, 320};  // padded or cropped: another picture
  EXPECT_FALSE(MakePlan(p, {Target::Square(128)}, facts).heif_thumbnail);
}

TEST(CoverBoxTest, CoversTheBoxWithTheOriginalsAspect) {
  EXPECT_EQ(CoverBox({4000, 3000}, 500, 500), (Size{667, 500}));  // 666.67 rounded up
  EXPECT_EQ(CoverBox({3000, 4000}, 500, 500), (Size{500, 667}));
  EXPECT_EQ(CoverBox({1000, 1000}, 250, 250), (Size{250, 250}));
  EXPECT_EQ(CoverBox({16000, 400}, 250, 250), (Size{10000, 250}));
  EXPECT_EQ(CoverBox({1200, 800}, 600, 100), (Size{600, 400}));  // width limits
}

TEST(CoverBoxTest, NeverUpscaled) {
  EXPECT_EQ(CoverBox({300, 200}, 500, 500), (Size{300, 200}));
  EXPECT_EQ(CoverBox({600, 400}, 500, 500), (Size{600, 400}));  // 750x500 would upscale
  EXPECT_EQ(CoverBox({501, 500}, 500, 500), (Size{501, 500}));
}

// The media server's three variants of one photo: a big one fitted to 4096x1080, a true 500
// square and a 250 square, decoded once.
TEST(PlanTest, CropTargetsCutFromACoveringResize) {
  const Plan plan =
      MakePlan(Jpeg(4000, 3000),
               {Target{4096, 1080}, Target::CroppedSquare(500), Target::CroppedSquare(250)},
               LoaderFacts{.jpeg_fast_path = true});
  EXPECT_EQ(plan.outputs, (std::vector<Size>{{1440, 1080}, {500, 500}, {250, 250}}));
  EXPECT_EQ(plan.resized, (std::vector<Size>{{1440, 1080}, {667, 500}, {334, 250}}));
  EXPECT_EQ(plan.cropped, (std::vector<bool>{false, true, true}));
  EXPECT_EQ(plan.cascade, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(plan.decode_min, (Size{1440, 1080}));
}

TEST(PlanTest, CropOfASmallOriginalIsASmallerSquareNotAnUpscale) {
  const Plan plan = MakePlan(Jpeg(300, 200), {Target::CroppedSquare(500)}, LoaderFacts{});
  EXPECT_EQ(plan.outputs[0], (Size{200, 200}));
  EXPECT_EQ(plan.resized[0], (Size{300, 200}));
  EXPECT_TRUE(plan.cropped[0]);
  const Plan wide = MakePlan(Jpeg(300, 200), {Target{400, 100, Target::Fit::kCrop}}, {});
  EXPECT_EQ(wide.outputs[0], (Size{300, 75})) << "the box's shape, scaled down";
}

TEST(PlanTest, CropDecodesEnoughForTheCoveringSize) {
  // A panorama: the 250 square needs the full 250 px height, so 10000 px of width.
  const Plan plan = MakePlan(Jpeg(16000, 400, 6), {Target::CroppedSquare(250)}, LoaderFacts{});
  EXPECT_EQ(plan.outputs[0], (Size{250, 250}));
  EXPECT_EQ(plan.resized[0], (Size{250, 10000}));  // display: portrait after orientation 6
  EXPECT_EQ(plan.decode_min, (Size{10000, 250}));  // stored
}

}  // namespace
}  // namespace tessera::pipeline
