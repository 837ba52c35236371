// The libvips policy of InitEngineRuntime: the in-process ImageMagick fallback is blocked, and
// files that only it (or another untrusted loader) could read get a clear "unsupported".
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vips/vips8>

#include "tessera/engine.h"

namespace tessera {
namespace {

// A 2x2 24-bit BMP: libvips 8.14 reads BMP only through ImageMagick (magickload).
std::string TinyBmp() {
  std::string bmp = "BM";
  auto put32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) bmp.push_back(static_cast<char>(v >> (8 * i)));
  };
  auto put16 = [&](uint16_t v) {
    bmp.push_back(static_cast<char>(v));
    bmp.push_back(static_cast<char>(v >> 8));
  };
  const std::string row = std::string("\x00\x00\xff\x00\x00\xff", 6) + std::string(2, '\0');
  put32(54 + 2 * row.size()), put16(0), put16(0), put32(54);
  put32(40), put32(2), put32(2), put16(1), put16(24), put32(0), put32(2 * row.size());
  put32(2835), put32(2835), put32(0), put32(0);
  return bmp + row + row;
}

TEST(RuntimeTest, ImageMagickFallbackIsBlocked) {
  ASSERT_TRUE(InitEngineRuntime().ok());
  const std::string bmp = TinyBmp();
  VipsImage* image = vips_image_new_from_buffer(bmp.data(), bmp.size(), "", nullptr);
  EXPECT_EQ(image, nullptr) << "libvips loaded a BMP: magickload is not blocked";
  if (image != nullptr) g_object_unref(image);
  const std::string error = vips_error_buffer();
  vips_error_clear();
  EXPECT_NE(error.find("blocked"), std::string::npos) << error;
}

// A BMP is an ImageMagick format: never decoded in this process, only by the helper.
TEST(RuntimeTest, ImageMagickFormatsAreDecodedOnlyInTheHelper) {
  char path[] = "/tmp/tessera-runtime-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  const std::string bmp = TinyBmp();
  ASSERT_EQ(write(fd, bmp.data(), bmp.size()), static_cast<ssize_t>(bmp.size()));
  close(fd);
  EngineOptions in_process;
  in_process.isolation.enabled = false;
  Result<ThumbnailSet> refused = Engine(in_process).Thumbnail(path, {Target::Square(128)});
  Result<ThumbnailSet> isolated = Engine().Thumbnail(path, {Target::Square(128)});
  unlink(path);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnsupported) << refused.status().ToString();
  EXPECT_NE(refused.status().message().find(path), std::string::npos);
  ASSERT_TRUE(isolated.ok()) << isolated.status().ToString();
  ASSERT_EQ(isolated->images.size(), 1u);
  EXPECT_EQ(isolated->images[0].width, 2);
  EXPECT_EQ(isolated->images[0].height, 2);
  EXPECT_EQ(isolated->probe.format, "magick");
}

}  // namespace
}  // namespace tessera
