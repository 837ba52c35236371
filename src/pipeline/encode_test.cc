#include "src/pipeline/encode.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vips/vips8>

#include "tessera/engine.h"

namespace tessera::pipeline {
namespace {

Image Filled(int width, int height, uint8_t r, uint8_t g, uint8_t b, uint8_t a) {
  Image image{width, height, {}};
  image.rgba.resize(image.stride() * height);
  for (size_t i = 0; i < image.rgba.size(); i += 4) {
    image.rgba[i] = r;
    image.rgba[i + 1] = g;
    image.rgba[i + 2] = b;
    image.rgba[i + 3] = a;
  }
  return image;
}

// Smooth gradients plus fine texture, so that quality visibly changes the size.
Image Textured(int width, int height, uint8_t alpha = 255) {
  Image image = Filled(width, height, 0, 0, 0, alpha);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = image.rgba.data() + y * image.stride() + x * 4;
      p[0] = static_cast<uint8_t>(x * 255 / width);
      p[1] = static_cast<uint8_t>(y * 255 / height);
      p[2] = static_cast<uint8_t>(((x / 3) ^ (y / 3)) & 0x3f) + 96;
    }
  }
  return image;
}

// The encoded bytes decoded by libvips (a different decoder path from ours).
vips::VImage Decode(const std::string& bytes) {
  return vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "");
}

// The mean of `band` of an RGBA Image.
double Mean(const Image& image, int band) {
  double sum = 0;
  for (size_t i = band; i < image.rgba.size(); i += 4) sum += image.rgba[i];
  return sum / (image.rgba.size() / 4);
}

// Mean absolute difference over R, G and B between `decoded` and `image`.
double MeanAbsDiff(const vips::VImage& decoded, const Image& image) {
  vips::VImage expected =
      vips::VImage::new_from_memory(const_cast<uint8_t*>(image.rgba.data()), image.rgba.size(),
                                    image.width, image.height, 4, VIPS_FORMAT_UCHAR)
          .extract_band(0, vips::VImage::option()->set("n", 3));
  return (decoded.extract_band(0, vips::VImage::option()->set("n", 3)) - expected).abs().avg();
}

class EncodeTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitEngineRuntime().ok()); }
};

TEST_F(EncodeTest, JpegRoundTripKeepsSizeAndColour) {
  const Image image = Textured(257, 131);  // not a multiple of the 16x16 MCU
  Result<std::string> jpeg = EncodeJpeg(image, 90);
  ASSERT_TRUE(jpeg.ok()) << jpeg.status().ToString();
  ASSERT_GE(jpeg->size(), 4u);
  EXPECT_EQ(static_cast<uint8_t>((*jpeg)[0]), 0xFF);
  EXPECT_EQ(static_cast<uint8_t>((*jpeg)[1]), 0xD8);
  vips::VImage decoded = Decode(*jpeg);
  EXPECT_EQ(decoded.width(), 257);
  EXPECT_EQ(decoded.height(), 131);
  EXPECT_EQ(decoded.bands(), 3);
  EXPECT_EQ(std::string(decoded.get_string("jpeg-chroma-subsample")), "4:2:0");
  for (int band = 0; band < 3; ++band) {
    EXPECT_NEAR(decoded.extract_band(band).avg(), Mean(image, band), 1.5) << band;
  }
  EXPECT_LT(MeanAbsDiff(decoded, image), 4.0);
}

TEST_F(EncodeTest, WebpRoundTripKeepsSizeAndColour) {
  const Image image = Textured(257, 131);
  Result<std::string> webp = EncodeWebp(image, 90);
  ASSERT_TRUE(webp.ok()) << webp.status().ToString();
  EXPECT_EQ(webp->substr(0, 4), "RIFF");
  EXPECT_EQ(webp->substr(8, 4), "WEBP");
  vips::VImage decoded = Decode(*webp);
  EXPECT_EQ(decoded.width(), 257);
  EXPECT_EQ(decoded.height(), 131);
  EXPECT_EQ(decoded.bands(), 3);  // opaque: alpha dropped
  for (int band = 0; band < 3; ++band) {
    EXPECT_NEAR(decoded.extract_band(band).avg(), Mean(image, band), 1.5) << band;
  }
  EXPECT_LT(MeanAbsDiff(decoded, image), 5.0);
}

TEST_F(EncodeTest, WebpKeepsAlpha) {
  const Image image = Textured(64, 48, 100);
  Result<std::string> webp = EncodeWebp(image, 80);
  ASSERT_TRUE(webp.ok()) << webp.status().ToString();
  vips::VImage decoded = Decode(*webp);
  ASSERT_EQ(decoded.bands(), 4);
  EXPECT_NEAR(decoded.extract_band(3).avg(), 100, 1.0);
}

TEST_F(EncodeTest, LowerQualityMakesSmallerFiles) {
  const Image image = Textured(512, 384);
  Result<std::string> jpeg30 = EncodeJpeg(image, 30);
  Result<std::string> jpeg90 = EncodeJpeg(image, 90);
  Result<std::string> webp30 = EncodeWebp(image, 30);
  Result<std::string> webp90 = EncodeWebp(image, 90);
  ASSERT_TRUE(jpeg30.ok() && jpeg90.ok() && webp30.ok() && webp90.ok());
  EXPECT_LT(jpeg30->size(), jpeg90->size());
  EXPECT_LT(webp30->size(), webp90->size());
}

TEST_F(EncodeTest, JpegFlattensAlphaOverWhite) {
  // Fully transparent red is white; half-transparent red is pink.
  Result<std::string> clear = EncodeJpeg(Filled(32, 32, 255, 0, 0, 0), 95);
  Result<std::string> half = EncodeJpeg(Filled(32, 32, 255, 0, 0, 128), 95);
  ASSERT_TRUE(clear.ok() && half.ok());
  vips::VImage white = Decode(*clear);
  vips::VImage pink = Decode(*half);
  ASSERT_EQ(white.bands(), 3);
  for (int band = 0; band < 3; ++band) EXPECT_NEAR(white.extract_band(band).avg(), 255, 1.5);
  // 255 * 128/255 + 255 * 127/255 = 255; 0 * 128/255 + 255 * 127/255 = 127.
  EXPECT_NEAR(pink.extract_band(0).avg(), 255, 2.0);
  EXPECT_NEAR(pink.extract_band(1).avg(), 127, 2.0);
  EXPECT_NEAR(pink.extract_band(2).avg(), 127, 2.0);
}

TEST_F(EncodeTest, OnePixel) {
  const Image pixel = Filled(1, 1, 10, 200, 90, 255);
  Result<std::string> jpeg = EncodeJpeg(pixel, 90);
  Result<std::string> webp = EncodeWebp(pixel, 90);
  ASSERT_TRUE(jpeg.ok()) << jpeg.status().ToString();
  ASSERT_TRUE(webp.ok()) << webp.status().ToString();
  for (const std::string* bytes : {&*jpeg, &*webp}) {
    vips::VImage decoded = Decode(*bytes);
    EXPECT_EQ(decoded.width(), 1);
    EXPECT_EQ(decoded.height(), 1);
    EXPECT_NEAR(decoded.extract_band(1).avg(), 200, 6.0);
  }
}

TEST_F(EncodeTest, LargeImage4000x3000) {
  const Image image = Textured(4000, 3000);
  Result<std::string> jpeg = EncodeJpeg(image, 85);
  Result<std::string> webp = EncodeWebp(image, 80);
  ASSERT_TRUE(jpeg.ok()) << jpeg.status().ToString();
  ASSERT_TRUE(webp.ok()) << webp.status().ToString();
  for (const std::string* bytes : {&*jpeg, &*webp}) {
    vips::VImage decoded = Decode(*bytes);
    EXPECT_EQ(decoded.width(), 4000);
    EXPECT_EQ(decoded.height(), 3000);
    EXPECT_NEAR(decoded.extract_band(0).avg(), Mean(image, 0), 1.5);
  }
}

TEST_F(EncodeTest, RejectsBadInput) {
  const Image empty;
  EXPECT_EQ(EncodeJpeg(empty, 90).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodeWebp(empty, 90).status().code(), StatusCode::kInvalidArgument);
  Image short_buffer = Filled(8, 8, 0, 0, 0, 255);
  short_buffer.rgba.resize(10);
  EXPECT_EQ(EncodeJpeg(short_buffer, 90).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodeWebp(short_buffer, 90).status().code(), StatusCode::kInvalidArgument);
  const Image ok = Filled(8, 8, 0, 0, 0, 255);
  for (int quality : {0, 101, -5}) {
    EXPECT_EQ(EncodeJpeg(ok, quality).status().code(), StatusCode::kInvalidArgument) << quality;
    EXPECT_EQ(EncodeWebp(ok, quality).status().code(), StatusCode::kInvalidArgument) << quality;
  }
  // Over WebP's 16,383-pixel limit: an error, not a crash.
  Result<std::string> too_wide = EncodeWebp(Filled(16384, 1, 0, 0, 0, 255), 80);
  EXPECT_FALSE(too_wide.ok());
}

}  // namespace
}  // namespace tessera::pipeline
