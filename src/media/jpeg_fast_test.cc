#include "src/media/jpeg_fast.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "src/core/test_corpus.h"
#include "tessera/engine.h"

namespace tessera::media {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class JpegFastTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitEngineRuntime().ok()); }
};

TEST_F(JpegFastTest, ScaledDecodeSizesAndProfile) {
  TESSERA_REQUIRE_CORPUS_FILE("jpeg-variants/icc-display-p3.jpg");
  const std::string bytes = ReadAll(testing::CorpusPath("jpeg-variants/icc-display-p3.jpg"));
  for (int m = 1; m <= 8; ++m) {
    auto image = DecodeJpegFast("p3.jpg", bytes, {.scale_num = m});
    ASSERT_TRUE(image.ok()) << image.status().ToString();
    ASSERT_TRUE(image->has_value());
    EXPECT_EQ((*image)->width(), (2560 * m + 7) / 8);
    EXPECT_EQ((*image)->height(), (1600 * m + 7) / 8);
    EXPECT_EQ((*image)->bands(), 3);
    EXPECT_NE((*image)->get_typeof(VIPS_META_ICC_NAME), 0u);
  }
}

TEST_F(JpegFastTest, GreyIsOneBand) {
  TESSERA_REQUIRE_CORPUS_FILE("jpeg-variants/grayscale-1band.jpg");
  auto image = DecodeJpegFast(
      "g.jpg", ReadAll(testing::CorpusPath("jpeg-variants/grayscale-1band.jpg")), {.scale_num = 1});
  ASSERT_TRUE(image.ok() && image->has_value());
  EXPECT_EQ((*image)->bands(), 1);
  EXPECT_EQ((*image)->interpretation(), VIPS_INTERPRETATION_B_W);
}

TEST_F(JpegFastTest, CmykAndYcckAreLeftToLibvips) {
  TESSERA_REQUIRE_CORPUS_FILE("jpeg-variants/cmyk-adobe-ycck-no-icc.jpg");
  for (const char* file :
       {"jpeg-variants/cmyk-adobe-ycck-no-icc.jpg", "jpeg-variants/cmyk-with-icc.jpg"}) {
    auto image = DecodeJpegFast("c.jpg", ReadAll(testing::CorpusPath(file)), {});
    ASSERT_TRUE(image.ok());
    EXPECT_FALSE(image->has_value()) << file;
  }
}

TEST_F(JpegFastTest, PrematureEndIsAnError) {
  TESSERA_REQUIRE_CORPUS_FILE("photos/mate__Storm.jpg");
  std::string bytes = ReadAll(testing::CorpusPath("photos/mate__Storm.jpg"));
  bytes.resize(bytes.size() / 2);
  auto image = DecodeJpegFast("half.jpg", bytes, {.scale_num = 2});
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(image.status().message(), "half.jpg: premature end of JPEG data");
}

TEST_F(JpegFastTest, GarbageIsAnErrorNotACrash) {
  auto image = DecodeJpegFast("x.jpg", std::string("\xFF\xD8\xFF\x00garbage", 11), {});
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(DecodeJpegFast("e.jpg", "", {}).status().code(), StatusCode::kCorrupt);
}

}  // namespace
}  // namespace tessera::media
