#include "src/placeholder/thumbhash.h"

#include <glib.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>
#include <vips/vips8>

#include "tessera/engine.h"

namespace tessera::placeholder {
namespace {

using Rgba = std::array<uint8_t, 4>;

struct Picture {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgba;

  Rgba At(int x, int y) const {
    const uint8_t* p = rgba.data() + (static_cast<size_t>(y) * width + x) * 4;
    return {p[0], p[1], p[2], p[3]};
  }
};

template <typename Fn>
Picture Make(int width, int height, Fn&& pixel) {
  Picture picture{width, height, std::vector<uint8_t>(static_cast<size_t>(width) * height * 4)};
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const Rgba p = pixel(x, y);
      std::copy(p.begin(), p.end(), picture.rgba.begin() + (y * width + x) * 4);
    }
  }
  return picture;
}

Picture Solid(int width, int height, Rgba colour) {
  return Make(width, height, [&](int, int) { return colour; });
}

std::vector<uint8_t> MustEncode(const Picture& picture) {
  Result<std::vector<uint8_t>> hash =
      ThumbHashFromRgba(picture.width, picture.height, picture.rgba.data());
  EXPECT_TRUE(hash.ok()) << hash.status().ToString();
  return hash.ok() ? *hash : std::vector<uint8_t>{};
}

Picture MustDecode(const std::vector<uint8_t>& hash) {
  Result<DecodedThumbHash> decoded = ThumbHashToRgba(hash);
  EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
  if (!decoded.ok()) return {};
  return {decoded->width, decoded->height, decoded->rgba};
}

// Mean of one channel over the columns [x0, x1) of the whole height.
double MeanInColumns(const Picture& picture, int channel, int x0, int x1) {
  double sum = 0;
  for (int y = 0; y < picture.height; ++y) {
    for (int x = x0; x < x1; ++x) sum += picture.At(x, y)[channel];
  }
  return sum / ((x1 - x0) * picture.height);
}

bool HasAlphaFlag(const std::vector<uint8_t>& hash) { return hash.size() > 2 && hash[2] & 0x80; }

std::vector<uint8_t> FromBase64(const std::string& text) {
  gsize length = 0;
  std::unique_ptr<guchar, decltype(&g_free)> bytes(g_base64_decode(text.c_str(), &length), &g_free);
  return std::vector<uint8_t>(bytes.get(), bytes.get() + length);
}

// ---- Byte-for-byte agreement with the reference ----

// The synthetic images the golden values were computed from. The generator that produced
// them drew the same pixels; keep the two identical.
Rgba CasePixel(const std::string& name, int x, int y) {
  const auto u8 = [](int v) { return static_cast<uint8_t>(v); };
  if (name == "gradient") return {u8(x * 255 / 22), u8(y * 255 / 16), 128, 255};
  if (name == "alpha_pattern") {
    return {u8((x * 37 + y * 11) & 255), u8((x * 5 + y * 53) & 255), u8((x * y * 7) & 255),
            u8((x * 19 + y * 7) & 255)};
  }
  if (name == "photo") {
    return {u8((x * x / 40 + y) & 255), u8((x + y * 2) & 255), u8(255 - x * 2), 255};
  }
  if (name == "strip") return {u8(x * 2), u8(255 - x * 2), u8((x * 7) & 255), 255};
  if (name == "half_transparent") return x < 20 ? Rgba{255, 0, 0, 0} : Rgba{0, 0, 255, 255};
  if (name == "all_transparent") return {200, 100, 50, 0};
  if (name == "solid") return {200, 30, 40, 255};
  ADD_FAILURE() << "no image " << name;
  return {};
}

struct GoldenCase {
  const char* name;
  int width;
  int height;
  const char* hash_hex;
  const char* base64;
  int decoded_width;
  int decoded_height;
  uint32_t decoded_fnv1a;  // FNV-1a (32-bit) of the decoded RGBA bytes
};

// Computed with the reference implementation, npm `thumbhash` 0.1.1 (rgbaToThumbHash and
// thumbHashToRGBA under Node 20.20, base64 by Node's Buffer), from the images CasePixel draws.
// "half_transparent" (flat after compositing) and "solid" have flat channels, whose AC nibbles
// are rounding noise scaled up: they match only because JsCos agrees with V8's cos.
constexpr GoldenCase kGoldenCases[] = {
    {"gradient", 23, 17, "dff7093d9c8087878088788888788788808008f878",
     "3/cJPZyAh4eAiHiIiHiHiICACPh4", 32, 23, 0x778f68abu},
    {"alpha_pattern", 13, 29, "5f08820a021880a74a045afb880cfa79496608b3477e78",
     "XwiCCgIYgKdKBFr7iAz6eUlmCLNHfng=", 13, 32, 0xcbf00a50u},
    {"photo", 100, 75, "a0d6098d8c756a696069798777788787707537f775", "oNYJjYx1amlgaXmHd3iHh3B1N/d1",
     32, 23, 0x5ecb9094u},
    {"strip", 100, 1, "5f883d19a877778788880888fd880188d7", "X4g9Gah3d4eIiAiI/YgBiNc=", 32, 5,
     0x42381394u},
    {"half_transparent", 40, 30, "150082048058788f878778685869f8000000a7888878887807",
     "FQCCBIBYeI+Hh3hoWGn4AAAAp4iIeIh4Bw==", 32, 26, 0x4ad30693u},
    {"all_transparent", 5, 7, "00088204000000000000000000000000000000000000000000",
     "AAiCBAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", 26, 32, 0x983bbbc5u},
    {"solid", 16, 12, "565a030580685b0e77888786886877740876740128", "VloDBYBoWw53iIeGiGh3dAh2dAEo",
     32, 23, 0x39cc81c5u},
};

const GoldenCase& Golden(std::string_view name) {
  for (const GoldenCase& c : kGoldenCases) {
    if (c.name == name) return c;
  }
  std::abort();
}

std::vector<uint8_t> HexBytes(std::string_view hex) {
  std::vector<uint8_t> bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return bytes;
}

Picture CaseImage(const GoldenCase& c) {
  return Make(c.width, c.height, [&](int x, int y) { return CasePixel(c.name, x, y); });
}

uint32_t Fnv1a(const std::vector<uint8_t>& bytes) {
  uint32_t h = 0x811c9dc5u;
  for (uint8_t b : bytes) h = (h ^ b) * 0x01000193u;
  return h;
}

TEST(ThumbHashGoldenTest, EncoderMatchesReferenceBytes) {
  for (const GoldenCase& c : kGoldenCases) {
    SCOPED_TRACE(c.name);
    const std::vector<uint8_t> hash = MustEncode(CaseImage(c));
    EXPECT_EQ(hash, HexBytes(c.hash_hex));
    EXPECT_EQ(ThumbHashBase64(hash), c.base64);
  }
}

TEST(ThumbHashGoldenTest, DecoderMatchesReferencePixels) {
  for (const GoldenCase& c : kGoldenCases) {
    SCOPED_TRACE(c.name);
    const Picture decoded = MustDecode(HexBytes(c.hash_hex));
    EXPECT_EQ(decoded.width, c.decoded_width);
    EXPECT_EQ(decoded.height, c.decoded_height);
    EXPECT_EQ(Fnv1a(decoded.rgba), c.decoded_fnv1a);
  }
}

// ---- What a viewer sees ----

TEST(ThumbHashTest, SolidColourDecodesToThatColour) {
  const Rgba colours[] = {{200, 30, 40, 255},   {10, 120, 240, 255}, {128, 128, 128, 255},
                          {255, 255, 255, 255}, {0, 0, 0, 255},      {250, 220, 20, 255}};
  for (const Rgba& colour : colours) {
    SCOPED_TRACE(testing::Message()
                 << int{colour[0]} << "," << int{colour[1]} << "," << int{colour[2]});
    const std::vector<uint8_t> hash = MustEncode(Solid(16, 16, colour));
    EXPECT_FALSE(HasAlphaFlag(hash));
    const Picture decoded = MustDecode(hash);
    ASSERT_EQ(decoded.width, 32);
    ASSERT_EQ(decoded.height, 32);
    for (int y = 0; y < decoded.height; ++y) {
      for (int x = 0; x < decoded.width; ++x) {
        const Rgba p = decoded.At(x, y);
        for (int c = 0; c < 3; ++c) ASSERT_NEAR(p[c], colour[c], 6) << "at " << x << "," << y;
        ASSERT_EQ(p[3], 255);
      }
    }
  }
}

TEST(ThumbHashTest, LeftRedRightBlueKeepsSides) {
  const Picture picture = Make(40, 20, [](int x, int) {
    return x < 20 ? Rgba{255, 0, 0, 255} : Rgba{0, 0, 255, 255};
  });
  const Picture decoded = MustDecode(MustEncode(picture));
  const int quarter = decoded.width / 4;
  const double left_r = MeanInColumns(decoded, 0, 0, quarter);
  const double left_b = MeanInColumns(decoded, 2, 0, quarter);
  const double right_r = MeanInColumns(decoded, 0, decoded.width - quarter, decoded.width);
  const double right_b = MeanInColumns(decoded, 2, decoded.width - quarter, decoded.width);
  EXPECT_GT(left_r, 150);
  EXPECT_LT(left_b, 100);
  EXPECT_GT(right_b, 150);
  EXPECT_LT(right_r, 100);
}

TEST(ThumbHashTest, TransparentRegionStaysTransparent) {
  const Picture picture = Make(40, 40, [](int x, int) {
    return x < 20 ? Rgba{255, 255, 255, 0} : Rgba{0, 160, 0, 255};
  });
  const std::vector<uint8_t> hash = MustEncode(picture);
  EXPECT_TRUE(HasAlphaFlag(hash));
  const Picture decoded = MustDecode(hash);
  const int quarter = decoded.width / 4;
  EXPECT_LT(MeanInColumns(decoded, 3, 0, quarter), 60);
  EXPECT_GT(MeanInColumns(decoded, 3, decoded.width - quarter, decoded.width), 200);
  // The white hidden under alpha 0 does not bleed into the visible green.
  EXPECT_LT(MeanInColumns(decoded, 0, decoded.width - quarter, decoded.width), 60);
}

TEST(ThumbHashTest, OpaqueImageDecodesOpaque) {
  const Picture decoded = MustDecode(MustEncode(CaseImage(Golden("photo"))));
  for (size_t i = 3; i < decoded.rgba.size(); i += 4) ASSERT_EQ(decoded.rgba[i], 255);
}

TEST(ThumbHashTest, AspectRatioSurvivesApproximately) {
  for (int w = 50; w <= 100; w += 5) {
    for (int h = 50; h <= 100; h += 5) {
      SCOPED_TRACE(testing::Message() << w << "x" << h);
      const Picture decoded = MustDecode(MustEncode(Solid(w, h, {90, 140, 200, 255})));
      EXPECT_EQ(std::max(decoded.width, decoded.height), 32);
      if (w > h) EXPECT_GE(decoded.width, decoded.height);
      if (w < h) EXPECT_LE(decoded.width, decoded.height);
      if (w == h) EXPECT_EQ(decoded.width, decoded.height);
      // Seven luminance terms on the long side: within 1/8 for ratios up to 2.
      const double ratio = static_cast<double>(w) / h;
      const double decoded_ratio = static_cast<double>(decoded.width) / decoded.height;
      EXPECT_NEAR(decoded_ratio / ratio, 1.0, 0.15);
    }
  }
  const Picture landscape = MustDecode(MustEncode(Solid(100, 50, {0, 0, 0, 255})));
  EXPECT_EQ(landscape.width, 32);
  EXPECT_EQ(landscape.height, 18);  // 7:4 terms
  const Picture portrait = MustDecode(MustEncode(Solid(50, 100, {0, 0, 0, 255})));
  EXPECT_EQ(portrait.width, 18);
  EXPECT_EQ(portrait.height, 32);
}

TEST(ThumbHashTest, LengthWithinFormatBoundsAndDecodable) {
  const int sides[] = {1, 2, 3, 5, 7, 10, 13, 20, 33, 50, 64, 77, 99, 100};
  for (int w : sides) {
    for (int h : sides) {
      for (uint8_t alpha : {uint8_t{255}, uint8_t{128}}) {
        SCOPED_TRACE(testing::Message() << w << "x" << h << " alpha " << int{alpha});
        const Picture picture = Make(w, h, [&](int x, int y) {
          return Rgba{static_cast<uint8_t>(x * 2), static_cast<uint8_t>(y * 2), 60, alpha};
        });
        const std::vector<uint8_t> hash = MustEncode(picture);
        EXPECT_GE(hash.size(), alpha == 255 ? kThumbHashMinBytes : 23u);
        EXPECT_LE(hash.size(), alpha == 255 ? 24u : kThumbHashMaxBytes);
        EXPECT_EQ(HasAlphaFlag(hash), alpha != 255);
        EXPECT_TRUE(ThumbHashToRgba(hash).ok());
      }
    }
  }
}

// ---- Bad input ----

TEST(ThumbHashTest, RejectsSizesOutsideOneToHundred) {
  const std::vector<uint8_t> pixels(101 * 101 * 4, 255);
  const int sizes[][2] = {{0, 10}, {10, 0}, {-1, 10}, {101, 50}, {50, 101}, {101, 101}};
  for (const auto& size : sizes) {
    Result<std::vector<uint8_t>> hash = ThumbHashFromRgba(size[0], size[1], pixels.data());
    ASSERT_FALSE(hash.ok()) << size[0] << "x" << size[1];
    EXPECT_EQ(hash.status().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_TRUE(ThumbHashFromRgba(100, 100, pixels.data()).ok());
}

TEST(ThumbHashTest, DecoderRejectsEveryTruncation) {
  for (const GoldenCase& c : kGoldenCases) {
    SCOPED_TRACE(c.name);
    const std::vector<uint8_t> hash = HexBytes(c.hash_hex);
    for (size_t length = 0; length < hash.size(); ++length) {
      Result<DecodedThumbHash> decoded =
          ThumbHashToRgba(std::span<const uint8_t>(hash.data(), length));
      ASSERT_FALSE(decoded.ok()) << "length " << length;
      EXPECT_EQ(decoded.status().code(), StatusCode::kCorrupt);
    }
  }
  EXPECT_FALSE(ThumbHashToRgba({}).ok());
}

TEST(ThumbHashTest, DecoderRejectsTrailingBytes) {
  std::vector<uint8_t> hash = HexBytes(Golden("gradient").hash_hex);
  hash.push_back(0x88);
  Result<DecodedThumbHash> decoded = ThumbHashToRgba(hash);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorrupt);
}

TEST(ThumbHashTest, DecoderRejectsZeroDimension) {
  std::vector<uint8_t> hash = HexBytes(Golden("gradient").hash_hex);  // landscape: byte 3 is ly
  hash[3] &= ~7;
  Result<DecodedThumbHash> decoded = ThumbHashToRgba(hash);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorrupt);
}

// ---- From a libvips image ----

class ThumbHashForImageTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitEngineRuntime().ok()); }

  // A memory image over `pixels` (which must outlive it) tagged as `interpretation`.
  static vips::VImage FromMemory(std::vector<uint8_t>& pixels, int width, int height, int bands,
                                 VipsInterpretation interpretation) {
    return vips::VImage::new_from_memory(pixels.data(), pixels.size(), width, height, bands,
                                         VIPS_FORMAT_UCHAR)
        .copy(vips::VImage::option()->set("interpretation", static_cast<int>(interpretation)));
  }
};

TEST_F(ThumbHashForImageTest, SmallSrgbImageHashesLikeItsPixels) {
  // 100x75 fits already, so no resampling: the reference's hash of the same pixels.
  const GoldenCase& photo = Golden("photo");
  const Picture picture = CaseImage(photo);
  std::vector<uint8_t> rgb;
  for (size_t i = 0; i < picture.rgba.size(); i += 4) {
    rgb.insert(rgb.end(), picture.rgba.begin() + i, picture.rgba.begin() + i + 3);
  }
  Result<std::string> hash =
      ThumbHashForImage(FromMemory(rgb, photo.width, photo.height, 3, VIPS_INTERPRETATION_sRGB));
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(*hash, photo.base64);
}

TEST_F(ThumbHashForImageTest, LargeImageIsDownsizedKeepingColourAndShape) {
  vips::VImage big = vips::VImage::black(800, 400)
                         .new_from_image({200.0, 30.0, 40.0})
                         .copy(vips::VImage::option()->set(
                             "interpretation", static_cast<int>(VIPS_INTERPRETATION_sRGB)));
  Result<std::string> hash = ThumbHashForImage(big);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  const std::vector<uint8_t> bytes = FromBase64(*hash);
  EXPECT_FALSE(HasAlphaFlag(bytes));
  const Picture decoded = MustDecode(bytes);
  EXPECT_EQ(decoded.width, 32);
  EXPECT_EQ(decoded.height, 18);
  const Rgba centre = decoded.At(16, 9);
  EXPECT_NEAR(centre[0], 200, 6);
  EXPECT_NEAR(centre[1], 30, 6);
  EXPECT_NEAR(centre[2], 40, 6);
}

TEST_F(ThumbHashForImageTest, GreyWithAlphaKeepsTransparency) {
  // 300x150 grey + alpha, transparent on the left half.
  std::vector<uint8_t> pixels;
  for (int y = 0; y < 150; ++y) {
    for (int x = 0; x < 300; ++x) {
      pixels.push_back(180);
      pixels.push_back(x < 150 ? 0 : 255);
    }
  }
  Result<std::string> hash =
      ThumbHashForImage(FromMemory(pixels, 300, 150, 2, VIPS_INTERPRETATION_B_W));
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  const std::vector<uint8_t> bytes = FromBase64(*hash);
  EXPECT_TRUE(HasAlphaFlag(bytes));
  const Picture decoded = MustDecode(bytes);
  EXPECT_GT(decoded.width, decoded.height);
  const int quarter = decoded.width / 4;
  EXPECT_LT(MeanInColumns(decoded, 3, 0, quarter), 60);
  EXPECT_GT(MeanInColumns(decoded, 3, decoded.width - quarter, decoded.width), 200);
  const Rgba right = decoded.At(decoded.width - 2, decoded.height / 2);
  EXPECT_NEAR(right[0], 180, 8);
  // Still grey, up to the format's own tint: a zero colour difference is stored as 32/31.5 - 1.
  EXPECT_NEAR(right[0], right[1], 6);
  EXPECT_NEAR(right[1], right[2], 6);
}

TEST_F(ThumbHashForImageTest, EmptyImageIsInvalid) {
  Result<std::string> hash = ThumbHashForImage(vips::VImage());
  ASSERT_FALSE(hash.ok());
  EXPECT_EQ(hash.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tessera::placeholder
