// Routing: the content decides where a file is decoded; the name only breaks ties GIO cannot.
#include "src/media/route.h"

#include <gtest/gtest.h>

#include <string>

namespace tessera::media {
namespace {

const std::string kJpeg("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20);
const std::string kTiff("II*\x00\x08\x00\x00\x00\x00\x00", 10);
const std::string kPsd("8BPS\x00\x01\x00\x00\x00\x00\x00\x00\x00\x03", 14);
const std::string kMp4(
    "\x00\x00\x00\x18"
    "ftypmp42\x00\x00\x00\x00mp42isom",
    24);
const std::string kMp3("ID3\x03\x00\x00\x00\x00\x00\x00", 10);
const std::string kSvg = "<svg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/>";
const std::string kBinary("\x13\x37\x00\x42\x99\xfe\x01\x02\x03\x04\x05\x06", 12);

TEST(RouteTest, HardenedFormatsStayInProcess) {
  const Route r = RouteFile("/p/a.jpg", kJpeg);
  EXPECT_EQ(r.family, "jpeg");
  EXPECT_FALSE(r.isolated);
  const Route t = RouteFile("/p/scan.tif", kTiff);
  EXPECT_EQ(t.family, "tiff");
  EXPECT_FALSE(t.isolated);
}

TEST(RouteTest, UntrustedFormatsGoToTheHelper) {
  EXPECT_EQ(RouteFile("/p/a.svg", kSvg).family, "svg");
  EXPECT_TRUE(RouteFile("/p/a.svg", kSvg).isolated);
  EXPECT_EQ(RouteFile("/p/a.psd", kPsd).family, "magick");
  EXPECT_TRUE(RouteFile("/p/a.psd", kPsd).isolated);
  const Route video = RouteFile("/p/clip.mp4", kMp4);
  EXPECT_EQ(video.family, "video");
  EXPECT_EQ(video.mime_type, "video/mp4");
  EXPECT_TRUE(video.isolated);
  // Audio goes to the video decoder too: cover art, or "no video stream".
  EXPECT_EQ(RouteFile("/p/song.mp3", kMp3).family, "video");
}

TEST(RouteTest, ContentBeatsTheName) {
  EXPECT_EQ(RouteFile("/p/photo.mp4", kJpeg).family, "jpeg");
  EXPECT_EQ(RouteFile("/p/clip.jpg", kMp4).family, "video");
  EXPECT_EQ(RouteFile("/p/raw.nef", kJpeg).family, "jpeg");
}

TEST(RouteTest, TiffBasedRawIsKnownByItsName) {
  for (const char* name :
       {"/p/a.dng", "/p/a.nef", "/p/a.NEF", "/p/a.arw", "/p/a.cr2", "/p/a.pef"}) {
    SCOPED_TRACE(name);
    const Route r = RouteFile(name, kTiff);
    EXPECT_EQ(r.family, "raw");
    EXPECT_TRUE(r.isolated);
    EXPECT_NE(r.mime_type, "image/tiff");
  }
}

TEST(RouteTest, UnknownBinaryTakesTheNameOnlyForFormatsWithoutMagic) {
  EXPECT_EQ(RouteFile("/p/a.tga", kBinary).family, "magick");
  EXPECT_EQ(RouteFile("/p/a.mov", kBinary).family, "video");
  // JPEG, PNG and friends have magic numbers: a name cannot vouch for unknown bytes.
  EXPECT_EQ(RouteFile("/p/a.jpg", kBinary).family, "");
  EXPECT_EQ(RouteFile("/p/a.png", kBinary).family, "");
  EXPECT_EQ(RouteFile("/p/a.bin", kBinary).family, "");
}

TEST(RouteTest, TextIsNeverAnImageByName) {
  EXPECT_EQ(RouteFile("/p/a.tga", "just some words\n").family, "");
  EXPECT_EQ(RouteFile("/p/a.jpg", "just some words\n").family, "");
}

}  // namespace
}  // namespace tessera::media
