// PaddedSquare's geometry, exhaustively; FaceCropJpeg on real faces.
#include "src/faces/face_crop.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "src/faces/test_util.h"

namespace tessera::faces {
namespace {

FaceBox Face(int x, int y, int width, int height) { return FaceBox{x, y, width, height, 1.0}; }

bool Contains(const FaceCropBox& square, const FaceBox& face) {
  return square.x <= face.x && square.y <= face.y &&
         face.x + face.width <= square.x + square.size &&
         face.y + face.height <= square.y + square.size;
}

// --- PaddedSquare ---

TEST(PaddedSquareTest, CentredWithPaddingOnEverySide) {
  // 50 px face, 0.4 padding: 20 px each side, a 90 px square from 80 to 170.
  EXPECT_EQ(PaddedSquare(Face(100, 100, 50, 50), 1000, 1000), (FaceCropBox{80, 80, 90}));
  EXPECT_EQ(PaddedSquare(Face(100, 100, 50, 50), 1000, 1000, 0.0), (FaceCropBox{100, 100, 50}));
  EXPECT_EQ(PaddedSquare(Face(100, 100, 50, 50), 1000, 1000, 1.0), (FaceCropBox{50, 50, 150}));
}

TEST(PaddedSquareTest, OblongFacesUseTheLongerSide) {
  // 40x60: side 60 + 2 * 24 = 108, centred on (120, 130).
  EXPECT_EQ(PaddedSquare(Face(100, 100, 40, 60), 1000, 1000), (FaceCropBox{66, 76, 108}));
  // 61x30, padding 0: of the 31 spare rows, the odd one goes above the face.
  EXPECT_EQ(PaddedSquare(Face(100, 100, 61, 30), 1000, 1000, 0.0), (FaceCropBox{100, 84, 61}));
}

TEST(PaddedSquareTest, ShiftedInsideAtEachEdgeWithoutShrinking) {
  const int w = 800, h = 600;
  // Faces touching each edge; the 90 px square keeps its size and moves inside.
  EXPECT_EQ(PaddedSquare(Face(0, 300, 50, 50), w, h), (FaceCropBox{0, 280, 90}));      // left
  EXPECT_EQ(PaddedSquare(Face(750, 300, 50, 50), w, h), (FaceCropBox{710, 280, 90}));  // right
  EXPECT_EQ(PaddedSquare(Face(400, 0, 50, 50), w, h), (FaceCropBox{380, 0, 90}));      // top
  EXPECT_EQ(PaddedSquare(Face(400, 550, 50, 50), w, h), (FaceCropBox{380, 510, 90}));  // bottom
  // Near but not at an edge: moved only by what sticks out.
  EXPECT_EQ(PaddedSquare(Face(10, 300, 50, 50), w, h), (FaceCropBox{0, 280, 90}));
  EXPECT_EQ(PaddedSquare(Face(30, 300, 50, 50), w, h), (FaceCropBox{10, 280, 90}));
}

TEST(PaddedSquareTest, ShiftedInsideAtEachCorner) {
  const int w = 800, h = 600;
  EXPECT_EQ(PaddedSquare(Face(0, 0, 50, 50), w, h), (FaceCropBox{0, 0, 90}));
  EXPECT_EQ(PaddedSquare(Face(750, 0, 50, 50), w, h), (FaceCropBox{710, 0, 90}));
  EXPECT_EQ(PaddedSquare(Face(0, 550, 50, 50), w, h), (FaceCropBox{0, 510, 90}));
  EXPECT_EQ(PaddedSquare(Face(750, 550, 50, 50), w, h), (FaceCropBox{710, 510, 90}));
}

TEST(PaddedSquareTest, ShrunkOnlyToTheImagesShorterSide) {
  // 100x60 image, 40 px face: the 72 px square would not fit the 60 rows. It spans them, and
  // stays centred on the face across.
  EXPECT_EQ(PaddedSquare(Face(20, 10, 40, 40), 100, 60), (FaceCropBox{10, 0, 60}));
  // Portrait strip: 50 columns.
  EXPECT_EQ(PaddedSquare(Face(5, 100, 40, 40), 50, 400), (FaceCropBox{0, 95, 50}));
  // Exactly fits: not shrunk.
  EXPECT_EQ(PaddedSquare(Face(9, 9, 40, 40), 72, 72), (FaceCropBox{0, 0, 72}));
  // A face as large as the image.
  EXPECT_EQ(PaddedSquare(Face(0, 0, 64, 48), 64, 48), (FaceCropBox{8, 0, 48}));
}

TEST(PaddedSquareTest, TinyImages) {
  EXPECT_EQ(PaddedSquare(Face(0, 0, 1, 1), 1, 1), (FaceCropBox{0, 0, 1}));
  EXPECT_EQ(PaddedSquare(Face(1, 0, 1, 1), 2, 1), (FaceCropBox{1, 0, 1}));
  EXPECT_EQ(PaddedSquare(Face(0, 0, 1, 1), 2, 1), (FaceCropBox{0, 0, 1}));
  EXPECT_EQ(PaddedSquare(Face(0, 0, 2, 2), 3, 3), (FaceCropBox{0, 0, 3}));
  EXPECT_EQ(PaddedSquare(Face(1, 1, 2, 2), 3, 3), (FaceCropBox{0, 0, 3}));
  EXPECT_EQ(PaddedSquare(Face(0, 2, 1, 1), 1, 5), (FaceCropBox{0, 2, 1}));
}

TEST(PaddedSquareTest, HugePaddingDoesNotOverflow) {
  EXPECT_EQ(PaddedSquare(Face(10, 10, 20, 20), 300, 200, 1e12), (FaceCropBox{0, 0, 200}));
  EXPECT_EQ(PaddedSquare(Face(10, 10, 20, 20), 300, 200, 1e300), (FaceCropBox{0, 0, 200}));
}

TEST(PaddedSquareTest, FacesReachingPastTheImageStillGiveASquareInside) {
  const FaceCropBox box = PaddedSquare(Face(-20, -10, 50, 50), 200, 200);
  EXPECT_EQ(box, (FaceCropBox{0, 0, 90}));
  EXPECT_EQ(PaddedSquare(Face(180, 190, 50, 50), 200, 200), (FaceCropBox{110, 110, 90}));
}

// The contract over a sweep of random faces, images and paddings.
TEST(PaddedSquareTest, PropertiesOverRandomInputs) {
  std::mt19937 rng(7);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int i = 0; i < 50000; ++i) {
    const int w = uniform(1, 600), h = uniform(1, 600);
    const int fw = uniform(1, w), fh = uniform(1, h);
    const FaceBox face = Face(uniform(0, w - fw), uniform(0, h - fh), fw, fh);
    const double padding = uniform(0, 100) / 100.0;
    const FaceCropBox box = PaddedSquare(face, w, h, padding);
    SCOPED_TRACE(::testing::Message()
                 << w << "x" << h << " " << face << " pad " << padding << " -> " << box);
    const int longer = std::max(fw, fh);
    const int wanted = longer + 2 * static_cast<int>(std::round(padding * longer));
    ASSERT_EQ(box.size, std::min({wanted, w, h}));
    ASSERT_GE(box.x, 0);
    ASSERT_GE(box.y, 0);
    ASSERT_LE(box.x + box.size, w);
    ASSERT_LE(box.y + box.size, h);
    // Each axis: the face is inside whenever the square is at least as long as the face is
    // along it, and the square is centred on the face unless an edge stopped it.
    if (box.size >= fw) {
      ASSERT_TRUE(box.x <= face.x && face.x + fw <= box.x + box.size);
    } else {
      ASSERT_TRUE(face.x <= box.x && box.x + box.size <= face.x + fw);  // inside the face
    }
    if (box.size >= fh) ASSERT_TRUE(box.y <= face.y && face.y + fh <= box.y + box.size);
    const double offset_x = (box.x + box.size / 2.0) - (face.x + fw / 2.0);
    if (box.x > 0 && box.x + box.size < w) ASSERT_LE(std::abs(offset_x), 0.5);
    const double offset_y = (box.y + box.size / 2.0) - (face.y + fh / 2.0);
    if (box.y > 0 && box.y + box.size < h) ASSERT_LE(std::abs(offset_y), 0.5);
    if (box.size == wanted) ASSERT_TRUE(Contains(box, face));
  }
}

// --- FaceCropJpeg ---

constexpr char kThreeFaces[] = "faces/dlib__2008_002506.jpg";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The SOFn markers of a JPEG, read segment by segment up to the first scan.
std::set<int> FrameMarkers(const std::string& jpeg) {
  std::set<int> markers;
  size_t p = 2;  // after SOI
  while (p + 4 <= jpeg.size() && static_cast<uint8_t>(jpeg[p]) == 0xFF) {
    const int marker = static_cast<uint8_t>(jpeg[p + 1]);
    if (marker == 0xDA) break;  // start of scan
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
      markers.insert(marker);
    }
    const size_t length =
        static_cast<uint8_t>(jpeg[p + 2]) * 256u + static_cast<uint8_t>(jpeg[p + 3]);
    p += 2 + length;
  }
  return markers;
}

class FaceCropJpegTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitEngineRuntime().ok());
    TESSERA_REQUIRE_CORPUS_FILE(kThreeFaces);
    jpeg_ = ReadFile(tessera::testing::CorpusPath(kThreeFaces));
    ASSERT_FALSE(jpeg_.empty());
    image_ = testing::DecodeJpeg(jpeg_);
    auto faces = DetectFaces(image_);
    ASSERT_TRUE(faces.ok()) << faces.status().ToString();
    faces_ = *faces;
    ASSERT_EQ(faces_.size(), 3u);
  }

  std::string jpeg_;
  vips::VImage image_;
  std::vector<FaceBox> faces_;
};

TEST_F(FaceCropJpegTest, EachFaceBecomesABaselineSquareWithTheFaceInIt) {
  for (const FaceBox& face : faces_) {
    SCOPED_TRACE(::testing::Message() << face);
    const FaceCropBox box = PaddedSquare(face, image_.width(), image_.height());
    EXPECT_TRUE(Contains(box, face)) << box;
    ASSERT_GE(box.size, 150);

    auto crop = FaceCropJpeg(jpeg_, face, 150, 85);
    ASSERT_TRUE(crop.ok()) << crop.status().ToString();
    const vips::VImage decoded = testing::DecodeJpeg(*crop);
    EXPECT_EQ(decoded.width(), 150);
    EXPECT_EQ(decoded.height(), 150);
    EXPECT_EQ(decoded.bands(), 3);
    EXPECT_EQ(FrameMarkers(*crop), std::set<int>{0xC0});  // baseline, nothing progressive

    // The crop shows the face: found again, about in the middle, about 1/1.8 of the side.
    auto found = DetectFaces(decoded);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    ASSERT_EQ(found->size(), 1u);
    const FaceBox& again = (*found)[0];
    EXPECT_NEAR(again.x + again.width / 2.0, 75, 15) << again;
    EXPECT_NEAR(again.y + again.height / 2.0, 75, 15) << again;
    EXPECT_NEAR(again.width, 150 / 1.8, 20) << again;
  }
}

TEST_F(FaceCropJpegTest, PixelsComeFromTheSquareUnscaledWhenSmallEnough) {
  const FaceBox& face = faces_[0];
  const FaceCropBox box = PaddedSquare(face, image_.width(), image_.height());
  // Asking for more than the square holds: never upscaled.
  auto crop = FaceCropJpeg(jpeg_, face, 1000, 95);
  ASSERT_TRUE(crop.ok()) << crop.status().ToString();
  const vips::VImage decoded = testing::DecodeJpeg(*crop);
  ASSERT_EQ(decoded.width(), box.size);
  ASSERT_EQ(decoded.height(), box.size);
  // The same pixels as the photo's square, up to JPEG's loss.
  const vips::VImage source = image_.extract_area(box.x, box.y, box.size, box.size);
  EXPECT_LT((decoded.cast(VIPS_FORMAT_FLOAT) - source.cast(VIPS_FORMAT_FLOAT)).abs().avg(), 4.0);
  // ... and not those of a square next to it.
  const int other_x = box.x + box.size <= image_.width() - box.size ? box.x + box.size : 0;
  const vips::VImage other = image_.extract_area(other_x, box.y, box.size, box.size);
  EXPECT_GT((decoded.cast(VIPS_FORMAT_FLOAT) - other.cast(VIPS_FORMAT_FLOAT)).abs().avg(), 15.0);
}

TEST_F(FaceCropJpegTest, SizesSweep) {
  const FaceBox& face = faces_[1];
  const int side = PaddedSquare(face, image_.width(), image_.height()).size;
  for (int size : {1, 2, 31, 64, 100, side - 1, side, side + 1}) {
    SCOPED_TRACE(size);
    auto crop = FaceCropJpeg(jpeg_, face, size, 80);
    ASSERT_TRUE(crop.ok()) << crop.status().ToString();
    const vips::VImage decoded = testing::DecodeJpeg(*crop);
    EXPECT_EQ(decoded.width(), std::min(size, side));
    EXPECT_EQ(decoded.height(), std::min(size, side));
  }
}

TEST_F(FaceCropJpegTest, BadArgumentsAreRefused) {
  const FaceBox& face = faces_[0];
  EXPECT_EQ(FaceCropJpeg(jpeg_, face, 0, 85).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FaceCropJpeg(jpeg_, face, 100, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FaceCropJpeg(jpeg_, face, 100, 101).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FaceCropJpeg("", face, 100, 85).status().code(), StatusCode::kInvalidArgument);
  void* png_data = nullptr;
  size_t png_size = 0;
  image_.write_to_buffer(".png", &png_data, &png_size);
  const std::string png(static_cast<const char*>(png_data), png_size);
  g_free(png_data);
  EXPECT_EQ(FaceCropJpeg(png, face, 100, 85).status().code(), StatusCode::kInvalidArgument);
  // Empty boxes and boxes outside the 500x375 image (from another image, say).
  for (const FaceBox& bad :
       {Face(10, 10, 0, 10), Face(10, 10, 10, -1), Face(-1, 10, 50, 50), Face(10, -1, 50, 50),
        Face(451, 10, 50, 50), Face(10, 326, 50, 50), Face(0, 0, 501, 375)}) {
    SCOPED_TRACE(::testing::Message() << bad);
    auto crop = FaceCropJpeg(jpeg_, bad, 100, 85);
    EXPECT_EQ(crop.status().code(), StatusCode::kInvalidArgument) << crop.status().ToString();
  }
  // The last row and column are inside.
  EXPECT_TRUE(FaceCropJpeg(jpeg_, Face(450, 325, 50, 50), 100, 85).ok());
}

TEST_F(FaceCropJpegTest, BrokenJpegsAreCorrupt) {
  // Cut in the middle of the scan: the rows of the square are missing.
  const std::string truncated = jpeg_.substr(0, jpeg_.size() * 2 / 3);
  auto crop = FaceCropJpeg(truncated, Face(200, 300, 50, 50), 64, 85);
  EXPECT_EQ(crop.status().code(), StatusCode::kCorrupt) << crop.status().ToString();
  // A JPEG signature and nothing else.
  crop = FaceCropJpeg(std::string("\xFF\xD8\xFF\xE0garbage", 11), faces_[0], 64, 85);
  EXPECT_EQ(crop.status().code(), StatusCode::kCorrupt) << crop.status().ToString();
}

}  // namespace
}  // namespace tessera::faces
