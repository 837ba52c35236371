#include "src/media/sniff.h"

#include <gtest/gtest.h>

#include <string>

namespace tessera::media {
namespace {

TEST(SniffTest, MagicBytesNotNames) {
  EXPECT_EQ(SniffContent(std::string("\xFF\xD8\xFF\xE0\0\x10JFIF\0", 11)).mime_type, "image/jpeg");
  EXPECT_EQ(SniffContent(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)).family, "png");
  EXPECT_EQ(SniffContent("GIF89a\x01\0\x01\0").family, "gif");
  EXPECT_EQ(SniffContent("%PDF-1.4\n").family, "pdf");
  EXPECT_EQ(SniffContent("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>").family, "svg");
  EXPECT_EQ(SniffContent("hello, this is text\n").mime_type, "text/plain");
  EXPECT_EQ(SniffContent("hello, this is text\n").family, "");
}

TEST(SniffTest, FamiliesAndAllowlist) {
  EXPECT_EQ(FamilyForMime("image/avif"), "heif");
  EXPECT_EQ(FamilyForMime("image/heif"), "heif");
  EXPECT_EQ(FamilyForMime("video/mp4"), "");
  EXPECT_EQ(FamilyForVipsLoader("VipsForeignLoadJpegBuffer"), "jpeg");
  EXPECT_EQ(FamilyForVipsLoader("VipsForeignLoadNsgifBuffer"), "gif");
  EXPECT_EQ(FamilyForVipsLoader("VipsForeignLoadSvgBuffer"), "svg");
  EXPECT_EQ(FamilyForVipsLoader("VipsForeignLoadSvgFile"), "");  // SVG only from memory
  EXPECT_EQ(FamilyForVipsLoader("svgload"), "");
  EXPECT_EQ(FamilyForVipsLoader("VipsForeignLoadMagickBuffer"), "");
  EXPECT_EQ(FamilyForVipsLoader("magickload_buffer"), "");
  EXPECT_EQ(FamilyForVipsLoader("VipsForeignLoadOpenslideFile"), "");
  EXPECT_EQ(FamilyForVipsLoader("pdfload_buffer"), "pdf");
  EXPECT_TRUE(IsGenericMime("application/octet-stream"));
  EXPECT_FALSE(IsGenericMime("video/mp4"));
}

}  // namespace
}  // namespace tessera::media
