// DetectFaces' inputs: raw buffers with any stride, every kind of libvips image, bad arguments,
// and faces cut by the image's edge.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "src/faces/faces.h"
#include "src/faces/test_util.h"

namespace tessera::faces {
namespace {

using testing::AllInside;
using testing::LoadCorpus;

constexpr char kThreeFaces[] = "faces/dlib__2008_002506.jpg";  // 500x375, three people

class FacesInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitEngineRuntime().ok());
    TESSERA_REQUIRE_CORPUS_FILE(kThreeFaces);
    image_ = LoadCorpus(kThreeFaces);
    auto faces = DetectFaces(image_);
    ASSERT_TRUE(faces.ok()) << faces.status().ToString();
    expected_ = *faces;
    ASSERT_EQ(expected_.size(), 3u);
  }

  // The photo's RGB rows copied into a buffer with `padding` spare bytes after each row.
  std::vector<uint8_t> Rows(size_t padding) const {
    size_t size = 0;
    void* packed = image_.write_to_memory(&size);
    const size_t row = static_cast<size_t>(image_.width()) * 3;
    std::vector<uint8_t> rows((row + padding) * image_.height(), 0xAB);
    for (int y = 0; y < image_.height(); ++y) {
      std::memcpy(rows.data() + y * (row + padding), static_cast<uint8_t*>(packed) + y * row, row);
    }
    g_free(packed);
    return rows;
  }

  vips::VImage image_;
  std::vector<FaceBox> expected_;
};

TEST_F(FacesInputTest, RawBuffersPackedOrPadded) {
  const size_t row = static_cast<size_t>(image_.width()) * 3;
  for (size_t padding : {size_t{0}, size_t{1}, size_t{13}, size_t{64}}) {
    SCOPED_TRACE(padding);
    const std::vector<uint8_t> rows = Rows(padding);
    auto faces = DetectFaces(rows.data(), image_.width(), image_.height(), row + padding);
    ASSERT_TRUE(faces.ok()) << faces.status().ToString();
    EXPECT_EQ(*faces, expected_);
  }
}

// Every representation of the same pixels gives the same faces, to the score.
TEST_F(FacesInputTest, EquivalentVipsImagesGiveTheSameFaces) {
  using vips::VImage;
  const VImage with_alpha = image_.bandjoin_const({255});
  const VImage sixteen_bit =
      (image_.cast(VIPS_FORMAT_USHORT) * 257)
          .cast(VIPS_FORMAT_USHORT)
          .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_RGB16));
  size_t size = 0;
  void* packed = image_.write_to_memory(&size);
  // A bare memory image, as a caller's own buffer would be: "multiband", not "srgb".
  const VImage multiband =
      VImage::new_from_memory(packed, size, image_.width(), image_.height(), 3, VIPS_FORMAT_UCHAR)
          .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_MULTIBAND))
          .copy_memory();
  g_free(packed);
  ASSERT_EQ(multiband.interpretation(), VIPS_INTERPRETATION_MULTIBAND);
  const VImage extra_band = image_.bandjoin_const({255, 9});  // RGB, opaque alpha, a fifth band

  for (const VImage& variant : {with_alpha, sixteen_bit, multiband, extra_band}) {
    SCOPED_TRACE(variant.bands());
    auto faces = DetectFaces(variant);
    ASSERT_TRUE(faces.ok()) << faces.status().ToString();
    EXPECT_EQ(*faces, expected_);
  }
}

TEST_F(FacesInputTest, GreyAndTransparentImages) {
  using vips::VImage;
  const VImage grey = image_.colourspace(VIPS_INTERPRETATION_B_W);
  ASSERT_EQ(grey.bands(), 1);
  auto faces = DetectFaces(grey);
  ASSERT_TRUE(faces.ok()) << faces.status().ToString();
  EXPECT_EQ(faces->size(), 3u);

  // Alpha 0 everywhere: flattened over white, nothing is left to find.
  const VImage invisible = image_.bandjoin_const({0});
  faces = DetectFaces(invisible);
  ASSERT_TRUE(faces.ok()) << faces.status().ToString();
  EXPECT_TRUE(faces->empty());
}

TEST_F(FacesInputTest, FacesCutByTheEdgeAreClamped) {
  // Cutting 64 rows off the top leaves the left face's forehead above the image: dlib's box
  // starts at y = -13 and is clamped to the first row.
  const vips::VImage top_cut = image_.extract_area(0, 64, 500, 311).copy_memory();
  auto faces = DetectFaces(top_cut);
  ASSERT_TRUE(faces.ok()) << faces.status().ToString();
  ASSERT_FALSE(faces->empty());
  EXPECT_TRUE(AllInside(*faces, 500, 311));
  EXPECT_EQ((*faces)[0].y, 0) << (*faces)[0];

  // Cutting 80 columns off the right leaves the right face reaching past the last column.
  const vips::VImage right_cut = image_.extract_area(0, 0, 420, 375).copy_memory();
  faces = DetectFaces(right_cut);
  ASSERT_TRUE(faces.ok()) << faces.status().ToString();
  ASSERT_FALSE(faces->empty());
  EXPECT_TRUE(AllInside(*faces, 420, 375));
  EXPECT_EQ(faces->back().x + faces->back().width, 420) << faces->back();
}

TEST(FacesArgumentsTest, BadBuffersAreRefused) {
  const std::vector<uint8_t> pixels(30 * 10 * 3, 128);
  EXPECT_EQ(DetectFaces(nullptr, 30, 10, 90).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DetectFaces(pixels.data(), 0, 10, 90).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DetectFaces(pixels.data(), 30, -1, 90).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DetectFaces(pixels.data(), 30, 10, 89).status().code(), StatusCode::kInvalidArgument);
  // A flat grey image is fine and has no face, even searched doubled.
  auto faces = DetectFaces(pixels.data(), 30, 10, 90);
  ASSERT_TRUE(faces.ok()) << faces.status().ToString();
  EXPECT_TRUE(faces->empty());
  // A 1x1 image too.
  faces = DetectFaces(pixels.data(), 1, 1, 3);
  ASSERT_TRUE(faces.ok()) << faces.status().ToString();
  EXPECT_TRUE(faces->empty());
}

TEST(FacesArgumentsTest, HugeImagesAreRefusedBeforeAnyPixelIsRead) {
  // The limit is checked first: the one-row buffer behind the claimed size is never read.
  const std::vector<uint8_t> row(20000 * 3, 0);
  auto faces = DetectFaces(row.data(), 20000, 2001, row.size());  // 40.02 MP
  EXPECT_EQ(faces.status().code(), StatusCode::kTooLarge) << faces.status().ToString();
  // Under the limit as given, over it once doubled.
  faces = DetectFaces(row.data(), 20000, 1000, row.size(), Upsample::kAlways);
  EXPECT_EQ(faces.status().code(), StatusCode::kTooLarge) << faces.status().ToString();
  // kAuto doubles a 590-row image too.
  faces = DetectFaces(row.data(), 20000, 590, row.size());
  EXPECT_EQ(faces.status().code(), StatusCode::kTooLarge) << faces.status().ToString();
}

TEST(FacesArgumentsTest, HugeVipsImagesAreRefusedBeforeConversion) {
  ASSERT_TRUE(InitEngineRuntime().ok());
  // A lazy black image: converting it would compute 160 MB.
  const vips::VImage huge =
      vips::VImage::black(10000, 4001, vips::VImage::option()->set("bands", 4));
  auto faces = DetectFaces(huge);
  EXPECT_EQ(faces.status().code(), StatusCode::kTooLarge) << faces.status().ToString();
}

}  // namespace
}  // namespace tessera::faces
