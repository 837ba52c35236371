// Evaluating pipelines into memory: packed rows, RGB given an opaque alpha, metadata kept.
#include "src/pipeline/rgba.h"

#include <gtest/gtest.h>

#include <vips/vips8>

#include "tessera/engine.h"

namespace tessera::pipeline {
namespace {

using vips::VImage;

// A width x height uchar image whose band b at (x, y) is (x + 3 * y + 50 * b) % 256: every
// row and band distinct, so a misplaced tile or a strided row shows.
VImage Pattern(int width, int height, int bands) {
  VImage xy = VImage::xyz(width, height);
  VImage base = xy.extract_band(0) + xy.extract_band(1) * 3;
  VImage out = base;
  for (int b = 1; b < bands; ++b) out = out.bandjoin(base + 50 * b);
  return (out % 256).cast(VIPS_FORMAT_UCHAR);
}

class RgbaTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitEngineRuntime().ok()); }
};

// Larger than libvips' tiles in both directions, with odd sizes.
constexpr int kWidth = 301, kHeight = 157;

TEST_F(RgbaTest, RgbGetsAnOpaqueAlphaAndPackedRows) {
  const Image image = ToImage(Pattern(kWidth, kHeight, 3));
  ASSERT_EQ(image.width, kWidth);
  ASSERT_EQ(image.height, kHeight);
  ASSERT_EQ(image.rgba.size(), image.stride() * kHeight);
  for (int y : {0, 1, 64, 128, kHeight - 1}) {
    for (int x : {0, 1, 127, 255, kWidth - 1}) {
      const uint8_t* p = image.Pixel(x, y);
      for (int b = 0; b < 3; ++b) EXPECT_EQ(p[b], (x + 3 * y + 50 * b) % 256) << x << "," << y;
      EXPECT_EQ(p[3], 255);
    }
  }
}

TEST_F(RgbaTest, RgbaIsCopiedAsIs) {
  const Image image = ToImage(Pattern(kWidth, kHeight, 4));
  ASSERT_EQ(image.rgba.size(), image.stride() * kHeight);
  for (int y : {0, 77, kHeight - 1}) {
    for (int x : {0, 200, kWidth - 1}) {
      const uint8_t* p = image.Pixel(x, y);
      for (int b = 0; b < 4; ++b) EXPECT_EQ(p[b], (x + 3 * y + 50 * b) % 256) << x << "," << y;
    }
  }
}

TEST_F(RgbaTest, MaterializeComputesOnceAndKeepsTheInterpretation) {
  const VImage lazy = Pattern(kWidth, kHeight, 3)
                          .copy(VImage::option()->set("interpretation",
                                                      static_cast<int>(VIPS_INTERPRETATION_sRGB)));
  const VImage done = Materialize(lazy);
  EXPECT_EQ(done.width(), kWidth);
  EXPECT_EQ(done.height(), kHeight);
  EXPECT_EQ(done.interpretation(), VIPS_INTERPRETATION_sRGB);
  EXPECT_EQ(done.getpoint(300, 156), lazy.getpoint(300, 156));
  EXPECT_EQ(ToImage(done).rgba, ToImage(lazy).rgba);
}

}  // namespace
}  // namespace tessera::pipeline
