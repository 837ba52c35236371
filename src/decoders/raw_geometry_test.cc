#include "src/decoders/raw_geometry.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace tessera::decoders {
namespace {

// dcraw's flip_index, the transform LibRaw applies to its own output: output pixel (row, col)
// of an upright w x h image is taken from stored pixel flip_index(row, col).
std::array<int, 2> LibRawSource(int flip, int row, int col, int stored_w, int stored_h) {
  if (flip & 4) std::swap(row, col);
  if (flip & 2) row = stored_h - 1 - row;
  if (flip & 1) col = stored_w - 1 - col;
  return {row, col};
}

// The EXIF display transform: where display pixel (row, col) comes from in the stored image.
std::array<int, 2> ExifSource(int orientation, int row, int col, int stored_w, int stored_h) {
  switch (orientation) {
    case 2:
      return {row, stored_w - 1 - col};
    case 3:
      return {stored_h - 1 - row, stored_w - 1 - col};
    case 4:
      return {stored_h - 1 - row, col};
    case 5:
      return {col, row};
    case 6:
      return {stored_h - 1 - col, row};
    case 7:
      return {stored_h - 1 - col, stored_w - 1 - row};
    case 8:
      return {col, stored_w - 1 - row};
    default:
      return {row, col};
  }
}

TEST(RawGeometryTest, FlipCodesMapToExifOrientations) {
  const std::vector<std::array<int, 2>> expected = {{0, 1}, {1, 2}, {2, 4}, {3, 3},
                                                    {4, 5}, {5, 8}, {6, 6}, {7, 7}};
  for (const auto& [flip, exif] : expected) {
    EXPECT_EQ(ExifOrientationForLibRawFlip(flip), exif) << "flip " << flip;
  }
  EXPECT_EQ(ExifOrientationForLibRawFlip(-1), 1);
  EXPECT_EQ(ExifOrientationForLibRawFlip(90), 1);
}

// The mapping agrees with LibRaw's own pixel transform on every pixel of a 5x3 image.
TEST(RawGeometryTest, MappingAgreesWithLibRawFlipIndex) {
  const int w = 5, h = 3;
  for (int flip = 0; flip < 8; ++flip) {
    const int exif = ExifOrientationForLibRawFlip(flip);
    const Size up = SwapIf(Size{w, h}, FlipSwapsAxes(flip));
    for (int row = 0; row < up.height; ++row) {
      for (int col = 0; col < up.width; ++col) {
        EXPECT_EQ(LibRawSource(flip, row, col, w, h), ExifSource(exif, row, col, w, h))
            << "flip " << flip << " at " << row << "," << col;
      }
    }
  }
}

TEST(RawGeometryTest, OnlyTransposingFlipsSwapAxes) {
  for (int flip = 0; flip < 8; ++flip) EXPECT_EQ(FlipSwapsAxes(flip), flip >= 4) << flip;
  EXPECT_EQ(SwapIf(Size{3, 2}, true), (Size{2, 3}));
  EXPECT_EQ(SwapIf(Size{3, 2}, false), (Size{3, 2}));
}

TEST(RawGeometryTest, CropToAspectKeepsTheLargestCentredRegion) {
  EXPECT_EQ(CropToAspect(Size{1024, 683}, Size{1224, 816}), (Size{1024, 683}));
  EXPECT_EQ(CropToAspect(Size{256, 171}, Size{2400, 1600}), (Size{256, 171}));
  EXPECT_EQ(CropToAspect(Size{1620, 1080}, Size{6000, 4000}), (Size{1620, 1080}));
  EXPECT_EQ(CropToAspect(Size{1920, 1080}, Size{6000, 4000}), (Size{1620, 1080}));
  EXPECT_EQ(CropToAspect(Size{1000, 1000}, Size{3, 2}), (Size{1000, 667}));
  EXPECT_EQ(CropToAspect(Size{10, 1}, Size{1, 100}), (Size{1, 1}));
}

TEST(RawGeometryTest, AspectMismatchIsRelative) {
  EXPECT_DOUBLE_EQ(AspectMismatch(Size{300, 200}, Size{3000, 2000}), 0.0);
  EXPECT_NEAR(AspectMismatch(Size{1024, 683}, Size{1224, 816}), 0.0004, 0.0005);
  EXPECT_NEAR(AspectMismatch(Size{1920, 1080}, Size{6000, 4000}), 0.185, 0.001);
}

TEST(RawGeometryTest, JpegScaledSizeRoundsUpAsLibjpeg) {
  EXPECT_EQ(JpegScaledSize(Size{1024, 683}, 2), (Size{256, 171}));
  EXPECT_EQ(JpegScaledSize(Size{1024, 683}, 1), (Size{128, 86}));
  EXPECT_EQ(JpegScaledSize(Size{1024, 683}, 8), (Size{1024, 683}));
}

TEST(RawGeometryTest, PreviewScaleNumPicksTheSmallestCoveringScale) {
  const Size image{1224, 816}, preview{1024, 683};
  EXPECT_EQ(PreviewScaleNum(preview, image, Size{256, 171}), 2);
  EXPECT_EQ(PreviewScaleNum(preview, image, Size{128, 85}), 1);
  EXPECT_EQ(PreviewScaleNum(preview, image, Size{1, 1}), 1);
  EXPECT_EQ(PreviewScaleNum(preview, image, Size{1024, 683}), 8);
  EXPECT_EQ(PreviewScaleNum(preview, image, Size{1100, 733}), 0);  // larger than the preview
  // A 16:9 preview of a 3:2 image is something else (bars, another crop): never used.
  EXPECT_EQ(PreviewScaleNum(Size{1920, 1080}, Size{6000, 4000}, Size{64, 43}), 0);
  // A 2% mismatch is cropped away; the crop must still cover the minimum.
  EXPECT_EQ(PreviewScaleNum(Size{1640, 1080}, Size{6000, 4000}, Size{1620, 1080}), 8);
  EXPECT_EQ(PreviewScaleNum(Size{1640, 1080}, Size{6000, 4000}, Size{1640, 1080}), 0);
}

TEST(RawGeometryTest, ShrinkFactorStillCovers) {
  EXPECT_EQ(ShrinkFactorToCover(Size{1224, 816}, Size{256, 171}), 4);
  EXPECT_EQ(ShrinkFactorToCover(Size{1200, 800}, Size{512, 341}), 2);
  EXPECT_EQ(ShrinkFactorToCover(Size{1200, 800}, Size{601, 400}), 1);
  EXPECT_EQ(ShrinkFactorToCover(Size{100, 100}, Size{200, 200}), 1);  // never enlarges
  EXPECT_EQ(ShrinkFactorToCover(Size{100, 100}, Size{0, 0}), 1);
  for (int w = 100; w < 140; ++w) {
    const Size in{w, w * 2 / 3}, min{25, 16};
    const int f = ShrinkFactorToCover(in, min);
    EXPECT_TRUE((Size{in.width / f, in.height / f}.Covers(min))) << w;
    EXPECT_FALSE((Size{in.width / (f + 1), in.height / (f + 1)}.Covers(min))) << w;
  }
}

TEST(RawGeometryTest, HalfSizeRoundsUp) {
  EXPECT_TRUE(HalfSizeCovers(Size{2400, 1600}, Size{1200, 800}));
  EXPECT_FALSE(HalfSizeCovers(Size{2400, 1600}, Size{1201, 800}));
  EXPECT_TRUE(HalfSizeCovers(Size{2401, 1601}, Size{1201, 801}));
}

}  // namespace
}  // namespace tessera::decoders
