// Cropped targets through the whole engine: exact squares, cut where the picture is, upright,
// and derived from one decode alongside fitted outputs.
#include <gtest/gtest.h>

#include <cmath>
#include <vips/vips8>

#include "src/core/test_corpus.h"
#include "src/core/test_fs.h"
#include "tessera/engine.h"

namespace tessera {
namespace {

// Standard deviation of the green channel: high where the picture has detail.
double Detail(const Image& image) {
  double sum = 0, sum2 = 0;
  const double n = static_cast<double>(image.width) * image.height;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const double v = image.Pixel(x, y)[1];
      sum += v;
      sum2 += v * v;
    }
  }
  return std::sqrt(std::max(0.0, sum2 / n - (sum / n) * (sum / n)));
}

TEST(EngineCropTest, ThreeVariantsFromOneDecode) {
  TESSERA_REQUIRE_CORPUS_FILE("orientation/orientation-6.jpg");
  const Engine engine;
  auto set = engine.Thumbnail(
      testing::CorpusPath("orientation/orientation-6.jpg"),
      {Target{4096, 1080}, Target::CroppedSquare(500), Target::CroppedSquare(250)});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ASSERT_EQ(set->images.size(), 3u);
  // Stored 800x1200 with orientation 6: 1200x800 upright, inside 4096x1080 already.
  EXPECT_EQ(set->images[0].width, 1200);
  EXPECT_EQ(set->images[0].height, 800);
  EXPECT_EQ(set->images[1].width, 500);
  EXPECT_EQ(set->images[1].height, 500);
  EXPECT_EQ(set->images[2].width, 250);
  EXPECT_EQ(set->images[2].height, 250);
}

TEST(EngineCropTest, TheCropFollowsThePicture) {
  // 1200x400: flat grey, with a noisy, colourful patch in the right third. A centre crop would
  // show grey; the attention crop must find the patch.
  ASSERT_TRUE(InitEngineRuntime().ok());
  testing::TempDir dir;
  const std::string path = dir / "patch.png";
  try {
    using vips::VImage;
    VImage grey =
        (VImage::black(1200, 400, VImage::option()->set("bands", 3)) + 128).cast(VIPS_FORMAT_UCHAR);
    auto noise = [] {
      return VImage::gaussnoise(300, 300, VImage::option()->set("sigma", 60.0))
          .cast(VIPS_FORMAT_UCHAR);
    };
    VImage patch = noise().bandjoin(noise()).bandjoin(noise());
    grey.insert(patch, 860, 50).pngsave(path.c_str());
  } catch (const vips::VError& e) {
    FAIL() << e.what();
  }
  const Engine engine;
  auto set = engine.Thumbnail(path, {Target::CroppedSquare(200), Target::Square(200)});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  const Image& crop = set->images[0];
  ASSERT_EQ(crop.width, 200);
  ASSERT_EQ(crop.height, 200);
  EXPECT_EQ(set->images[1].width, 200);  // the fitted one is the whole picture
  EXPECT_EQ(set->images[1].height, 67);
  EXPECT_GT(Detail(crop), 10.0) << "the crop missed the detailed patch";
  // What a centre crop would have shown: the flat middle third of the picture.
  const Image& fitted = set->images[1];
  Image middle{fitted.height, fitted.height, {}};
  for (int y = 0; y < fitted.height; ++y) {
    const uint8_t* row = fitted.Pixel((fitted.width - fitted.height) / 2, y);
    middle.rgba.insert(middle.rgba.end(), row, row + 4 * fitted.height);
  }
  EXPECT_LT(Detail(middle), 2.0);
}

}  // namespace
}  // namespace tessera
