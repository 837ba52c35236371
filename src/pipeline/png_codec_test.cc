#include <fmt/format.h>
#include <gtest/gtest.h>
#include <png.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tessera/image.h"

namespace tessera {
namespace {

Image Gradient(int width, int height) {
  Image image{width, height, {}};
  image.rgba.resize(image.stride() * height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = image.rgba.data() + y * image.stride() + x * 4;
      p[0] = static_cast<uint8_t>(x * 7);
      p[1] = static_cast<uint8_t>(y * 3);
      p[2] = static_cast<uint8_t>(x ^ y);
      p[3] = static_cast<uint8_t>(255 - x);
    }
  }
  return image;
}

// The chunk types of a PNG, in order.
std::vector<std::string> ChunkTypes(const std::string& png) {
  std::vector<std::string> types;
  size_t pos = 8;
  while (pos + 8 <= png.size()) {
    auto* p = reinterpret_cast<const unsigned char*>(png.data() + pos);
    uint32_t length = (uint32_t{p[0]} << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
    types.push_back(png.substr(pos + 4, 4));
    pos += 12 + length;
  }
  return types;
}

std::string WriteTempFile(const std::string& bytes) {
  std::string path = ::testing::TempDir() + fmt::format("png_codec_{}_{}.png", getpid(), rand());
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

// Writes a PNG the way other programs might: any colour type, bit depth and interlacing, with
// text before and after the image data. Every sample of row y, column x is (x + y) scaled.
struct ForeignPng {
  int color_type = PNG_COLOR_TYPE_RGB;
  int bit_depth = 8;
  int interlace = PNG_INTERLACE_NONE;
  std::vector<png_text> before;
  std::vector<png_text> after;
};
void AppendBytes(png_structp png, png_bytep data, size_t n) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<char*>(data), n);
}
std::string MakeForeignPng(const ForeignPng& spec, int width, int height) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_infop end = png_create_info_struct(png);
  png_set_write_fn(png, &out, AppendBytes, nullptr);
  png_set_IHDR(png, info, width, height, spec.bit_depth, spec.color_type, spec.interlace,
               PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
  int channels = 1;
  if (spec.color_type == PNG_COLOR_TYPE_RGB) channels = 3;
  if (spec.color_type == PNG_COLOR_TYPE_RGBA) channels = 4;
  if (spec.color_type == PNG_COLOR_TYPE_GRAY_ALPHA) channels = 2;
  if (spec.color_type == PNG_COLOR_TYPE_PALETTE) {
    std::vector<png_color> palette(256);
    std::vector<png_byte> alpha(256);
    for (int i = 0; i < 256; ++i) {
      palette[i] = png_color{static_cast<png_byte>(i), static_cast<png_byte>(255 - i), 7};
      alpha[i] = static_cast<png_byte>(i / 2);
    }
    png_set_PLTE(png, info, palette.data(), 256);
    png_set_tRNS(png, info, alpha.data(), 256, nullptr);
  }
  if (!spec.before.empty()) {
    png_set_text(png, info, const_cast<png_text*>(spec.before.data()), spec.before.size());
  }
  png_write_info(png, info);
  int bytes_per_sample = spec.bit_depth == 16 ? 2 : 1;
  int passes = png_set_interlace_handling(png);
  std::vector<png_byte> row(width * channels * bytes_per_sample);
  for (int pass = 0; pass < passes; ++pass) {
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        for (int c = 0; c < channels; ++c) {
          int v = (x + y + c) % 256;
          if (bytes_per_sample == 2) {
            row[(x * channels + c) * 2] = static_cast<png_byte>(v);
            row[(x * channels + c) * 2 + 1] = 0x80;
          } else {
            row[x * channels + c] = static_cast<png_byte>(v);
          }
        }
      }
      png_write_row(png, row.data());
    }
  }
  if (!spec.after.empty()) {
    png_set_text(png, end, const_cast<png_text*>(spec.after.data()), spec.after.size());
  }
  png_write_end(png, end);
  png_destroy_write_struct(&png, &info);
  png_destroy_info_struct(nullptr, &end);
  return out;
}
png_text Text(const char* key, const char* value, int compression) {
  png_text t{};
  t.compression = compression;
  t.key = const_cast<char*>(key);
  t.text = const_cast<char*>(value);
  t.text_length = std::strlen(value);
  return t;
}

TEST(PngCodecTest, RoundTripsRgbaExactly) {
  Image image = Gradient(37, 23);
  auto png = EncodePng(image, {});
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  auto decoded = DecodePng(*png);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->width, 37);
  EXPECT_EQ(decoded->height, 23);
  EXPECT_EQ(decoded->rgba, image.rgba);
}

TEST(PngCodecTest, WritesEightBitRgbaNonInterlacedWithTextBeforeImageData) {
  PngText text = {
      {"Thumb::URI", "file:///a%20b.jpg"}, {"Thumb::MTime", "1700000000"}, {"Software", "tessera"}};
  auto png = EncodePng(Gradient(16, 16), text);
  ASSERT_TRUE(png.ok());
  // IHDR: width, height, bit depth 8, colour type 6 (RGBA), compression, filter, interlace 0.
  EXPECT_EQ(static_cast<uint8_t>((*png)[24]), 8);
  EXPECT_EQ(static_cast<uint8_t>((*png)[25]), 6);
  EXPECT_EQ(static_cast<uint8_t>((*png)[28]), 0);
  std::vector<std::string> types = ChunkTypes(*png);
  ASSERT_EQ(types, (std::vector<std::string>{"IHDR", "tEXt", "tEXt", "tEXt", "IDAT", "IEND"}));

  std::string path = WriteTempFile(*png);
  auto read = ReadPngText(path);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(*read, text);
  unlink(path.c_str());
}

// A photo-like gradient compresses; every chunk's CRC and the zlib stream's Adler-32 are right
// (libpng checks both while decoding, and fails on either).
TEST(PngCodecTest, CompressesAndChecksumsAreValid) {
  Image image = Gradient(300, 200);
  auto png = EncodePng(image, {{"Thumb::URI", "file:///a.jpg"}});
  ASSERT_TRUE(png.ok());
  EXPECT_LT(png->size(), image.rgba.size() / 2);
  Result<Image> back = DecodePng(*png);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->rgba, image.rgba);
  std::string corrupt = *png;
  corrupt[corrupt.size() - 20] ^= 0x55;  // inside IDAT's data or CRC
  EXPECT_FALSE(DecodePng(corrupt).ok());
}

// Noise does not compress: the encoder must still produce a valid file (stored blocks grow the
// stream past its input size).
TEST(PngCodecTest, IncompressibleImagesStillEncode) {
  Image image{257, 129, {}};
  image.rgba.resize(image.stride() * image.height);
  uint32_t state = 12345;
  for (uint8_t& b : image.rgba)
    b = static_cast<uint8_t>((state = state * 1103515245 + 12345) >> 16);
  auto png = EncodePng(image, {});
  ASSERT_TRUE(png.ok());
  Result<Image> back = DecodePng(*png);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->rgba, image.rgba);
}

TEST(PngCodecTest, RejectsBadInput) {
  Image bad{4, 4, std::vector<uint8_t>(10)};
  EXPECT_EQ(EncodePng(bad, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodePng(Gradient(2, 2), {{"", "x"}}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodePng("not a png at all").status().code(), StatusCode::kCorrupt);
  auto png = EncodePng(Gradient(64, 64), {});
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(DecodePng(png->substr(0, png->size() / 2)).status().code(), StatusCode::kCorrupt);
  std::string flipped = *png;
  flipped[40] ^= 0x55;  // inside IDAT: CRC or zlib failure
  EXPECT_FALSE(DecodePng(flipped).ok());
  EXPECT_EQ(ReadPngText("/nonexistent/x.png").status().code(), StatusCode::kNotFound);
}

TEST(PngCodecTest, DecodesRgbWithoutAlphaAndReadsTextAfterImageData) {
  ForeignPng spec;
  spec.before = {Text("Thumb::URI", "file:///x.jpg", PNG_TEXT_COMPRESSION_NONE)};
  spec.after = {Text("Thumb::MTime", "1700000000", PNG_TEXT_COMPRESSION_NONE),
                Text("Comment", "squeezed", PNG_TEXT_COMPRESSION_zTXt),
                Text("Title", "international", PNG_ITXT_COMPRESSION_NONE)};
  std::string png = MakeForeignPng(spec, 5, 3);
  auto image = DecodePng(png);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  const uint8_t* p = image->Pixel(2, 1);
  EXPECT_EQ(p[0], 3);
  EXPECT_EQ(p[1], 4);
  EXPECT_EQ(p[2], 5);
  EXPECT_EQ(p[3], 255);

  std::string path = WriteTempFile(png);
  auto text = ReadPngText(path);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, (PngText{{"Thumb::URI", "file:///x.jpg"},
                            {"Thumb::MTime", "1700000000"},
                            {"Comment", "squeezed"},
                            {"Title", "international"}}));
  unlink(path.c_str());
}

TEST(PngCodecTest, DecodesInterlacedSixteenBitGrey) {
  ForeignPng spec;
  spec.color_type = PNG_COLOR_TYPE_GRAY;
  spec.bit_depth = 16;
  spec.interlace = PNG_INTERLACE_ADAM7;
  spec.after = {Text("Thumb::Size", "42", PNG_TEXT_COMPRESSION_NONE)};
  std::string png = MakeForeignPng(spec, 9, 9);
  auto image = DecodePng(png);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  for (int y = 0; y < 9; ++y) {
    for (int x = 0; x < 9; ++x) {
      const uint8_t* p = image->Pixel(x, y);
      ASSERT_EQ(p[0], x + y);
      ASSERT_EQ(p[1], x + y);
      ASSERT_EQ(p[3], 255);
    }
  }
  std::string path = WriteTempFile(png);
  auto text = ReadPngText(path);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, (PngText{{"Thumb::Size", "42"}}));
  unlink(path.c_str());
}

TEST(PngCodecTest, DecodesPaletteWithTransparency) {
  ForeignPng spec;
  spec.color_type = PNG_COLOR_TYPE_PALETTE;
  std::string png = MakeForeignPng(spec, 4, 4);
  auto image = DecodePng(png);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  const uint8_t* p = image->Pixel(3, 2);  // index 5
  EXPECT_EQ(p[0], 5);
  EXPECT_EQ(p[1], 250);
  EXPECT_EQ(p[2], 7);
  EXPECT_EQ(p[3], 2);
}

}  // namespace
}  // namespace tessera
