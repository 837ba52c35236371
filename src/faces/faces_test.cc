// DetectFaces on real photos of the corpus (faces/), as given and as our big thumbnails.
#include "src/faces/faces.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "src/faces/test_util.h"

namespace tessera::faces {
namespace {

using testing::AllInside;
using testing::BigThumbnailJpeg;
using testing::DecodeJpeg;
using testing::Iou;
using testing::LoadCorpus;

constexpr char kThreeFaces[] = "faces/dlib__2008_002506.jpg";  // 500x375, three people
constexpr char kDogs[] = "faces/dlib__dogs.jpg";               // 900x916, two dogs, no person
constexpr char kAstronaut[] = "faces/imageio__astronaut.png";  // 512x512 NASA portrait
constexpr char kBaldGuys[] = "faces/dlib__bald_guys.jpg";      // 1986x1545 grid of 24 faces
constexpr char kSmallFaces[] = "faces/dlib__2008_002470.jpg";  // 500x332, six faces of ~40 px

class FacesTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitEngineRuntime().ok()); }
};

std::vector<FaceBox> Detect(const vips::VImage& image, Upsample upsample = Upsample::kAuto) {
  auto faces = DetectFaces(image, upsample);
  EXPECT_TRUE(faces.ok()) << faces.status().ToString();
  return faces.ok() ? *faces : std::vector<FaceBox>{};
}

bool ByPosition(const FaceBox& a, const FaceBox& b) {
  return std::tie(a.x, a.y) < std::tie(b.x, b.y);
}

// The corpus README: dlib's HOG detector finds the three people of this VOC photo. The centres
// were measured once (dlib 19.24, 2x upsampling); 15 px is well under half a head, so no other
// face could pass for one of these.
TEST_F(FacesTest, FindsTheThreePeopleLeftToRight) {
  TESSERA_REQUIRE_CORPUS_FILE(kThreeFaces);
  const vips::VImage image = LoadCorpus(kThreeFaces);
  const std::vector<FaceBox> faces = Detect(image);
  ASSERT_EQ(faces.size(), 3u);
  EXPECT_TRUE(AllInside(faces, image.width(), image.height()));
  const int expected_centres[3][2] = {{169, 110}, {270, 141}, {384, 134}};
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_NEAR(faces[i].x + faces[i].width / 2, expected_centres[i][0], 15);
    EXPECT_NEAR(faces[i].y + faces[i].height / 2, expected_centres[i][1], 15);
    EXPECT_GT(faces[i].score, 0.5);
    EXPECT_GE(faces[i].width, 60);  // real heads here are 90-110 px
  }
}

TEST_F(FacesTest, DogsAreNotFaces) {
  TESSERA_REQUIRE_CORPUS_FILE(kDogs);
  const vips::VImage image = LoadCorpus(kDogs);
  EXPECT_TRUE(Detect(image).empty());
  // Not a matter of scale either: the doubled image has no face.
  EXPECT_TRUE(Detect(image, Upsample::kAlways).empty());
}

// The astronaut's face is the surest detection among `faces`, and anything else is marginal.
// dlib's HOG model takes the round mission patch on her suit for a face whenever the input is
// not exactly the original PNG at its own size (doubled: score 0.12; re-encoded as our
// thumbnail: 0.002). Real faces of the corpus score 0.22 and more, so callers that want
// fewer false alarms may drop low scores; DetectFaces keeps dlib's own threshold.
void ExpectOneSureFace(const std::vector<FaceBox>& faces, const FaceBox& face) {
  ASSERT_FALSE(faces.empty());
  const auto surest =
      std::max_element(faces.begin(), faces.end(),
                       [](const FaceBox& a, const FaceBox& b) { return a.score < b.score; });
  EXPECT_GT(Iou(*surest, face), 0.6) << *surest << " vs " << face;
  EXPECT_GT(surest->score, 1.0) << *surest;
  for (const FaceBox& other : faces) {
    if (&other != &*surest) EXPECT_LT(other.score, 0.2) << other;
  }
}

TEST_F(FacesTest, AstronautPortraitHasOneFace) {
  TESSERA_REQUIRE_CORPUS_FILE(kAstronaut);
  const vips::VImage image = LoadCorpus(kAstronaut);
  const std::vector<FaceBox> once = Detect(image, Upsample::kNever);
  ASSERT_EQ(once.size(), 1u);
  const FaceBox face = once[0];
  EXPECT_NEAR(face.x + face.width / 2, 223, 15);  // her face, in the upper middle
  EXPECT_NEAR(face.y + face.height / 2, 127, 15);
  EXPECT_GT(face.score, 1.0);

  ExpectOneSureFace(Detect(image), face);  // kAuto: 512 < 600, so searched doubled
}

// The media server detects faces on the stored big thumbnail (fits 4096x1080, JPEG q85), not
// on the original: same faces, re-encoded and, for large photos, smaller.
TEST_F(FacesTest, SameFacesOnTheBigThumbnail) {
  TESSERA_REQUIRE_CORPUS_FILE(kThreeFaces);
  TESSERA_REQUIRE_CORPUS_FILE(kAstronaut);
  const std::string three = BigThumbnailJpeg(kThreeFaces);
  ASSERT_FALSE(three.empty());
  const vips::VImage three_thumb = DecodeJpeg(three);
  ASSERT_EQ(three_thumb.width(), 500);  // never upscaled
  const std::vector<FaceBox> original = Detect(LoadCorpus(kThreeFaces));
  const std::vector<FaceBox> thumb = Detect(three_thumb);
  ASSERT_EQ(thumb.size(), 3u);
  for (size_t i = 0; i < thumb.size() && i < original.size(); ++i) {
    EXPECT_GT(Iou(thumb[i], original[i]), 0.7) << thumb[i] << " vs " << original[i];
  }

  const std::string astronaut = BigThumbnailJpeg(kAstronaut);
  ASSERT_FALSE(astronaut.empty());
  const vips::VImage astronaut_thumb = DecodeJpeg(astronaut);
  const std::vector<FaceBox> face = Detect(LoadCorpus(kAstronaut), Upsample::kNever);
  ASSERT_EQ(face.size(), 1u);
  ExpectOneSureFace(Detect(astronaut_thumb, Upsample::kNever), face[0]);
  ExpectOneSureFace(Detect(astronaut_thumb), face[0]);
}

TEST_F(FacesTest, LargePhotoDownscaledToTheBigThumbnail) {
  TESSERA_REQUIRE_CORPUS_FILE(kBaldGuys);
  const vips::VImage full = LoadCorpus(kBaldGuys);
  const std::string jpeg = BigThumbnailJpeg(kBaldGuys);
  ASSERT_FALSE(jpeg.empty());
  const vips::VImage thumb = DecodeJpeg(jpeg);
  ASSERT_EQ(thumb.height(), 1080);
  ASSERT_EQ(thumb.width(), 1388);

  const std::vector<FaceBox> big = Detect(full);
  const std::vector<FaceBox> small = Detect(thumb);
  EXPECT_EQ(big.size(), 24u);
  ASSERT_EQ(small.size(), big.size());
  EXPECT_TRUE(AllInside(small, thumb.width(), thumb.height()));
  // Each face of the thumbnail is one of the original's, scaled down.
  const double scale = static_cast<double>(thumb.width()) / full.width();
  for (const FaceBox& s : small) {
    double best = 0;
    for (const FaceBox& b : big) {
      const FaceBox scaled{static_cast<int>(b.x * scale), static_cast<int>(b.y * scale),
                           static_cast<int>(b.width * scale), static_cast<int>(b.height * scale),
                           b.score};
      best = std::max(best, Iou(s, scaled));
    }
    EXPECT_GT(best, 0.5) << s;
  }
}

// The numbering of a photo's faces must not change from one call (or thread) to the next.
TEST_F(FacesTest, OrderIsStableAndByPosition) {
  TESSERA_REQUIRE_CORPUS_FILE(kBaldGuys);
  const std::string jpeg = BigThumbnailJpeg(kBaldGuys);
  ASSERT_FALSE(jpeg.empty());
  const vips::VImage thumb = DecodeJpeg(jpeg);
  const std::vector<FaceBox> first = Detect(thumb);
  const std::vector<FaceBox> second = Detect(thumb);
  ASSERT_EQ(first.size(), 24u);
  EXPECT_EQ(first, second);
  EXPECT_TRUE(std::is_sorted(first.begin(), first.end(), ByPosition));
}

TEST_F(FacesTest, ConcurrentCallsAgree) {
  TESSERA_REQUIRE_CORPUS_FILE(kThreeFaces);
  const vips::VImage image = LoadCorpus(kThreeFaces);
  const std::vector<FaceBox> expected = Detect(image);
  ASSERT_EQ(expected.size(), 3u);
  constexpr int kThreads = 4;
  std::vector<std::vector<FaceBox>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 2; ++round) {
        auto faces = DetectFaces(image);
        if (faces.ok()) results[t] = *faces;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(results[t], expected) << "thread " << t;
}

// Faces of about 40 px: found only in the doubled image, which kAuto searches for a photo this
// small, and in a fraction of the time kAlways would take for a large one.
TEST_F(FacesTest, SmallImagesAreUpsampled) {
  TESSERA_REQUIRE_CORPUS_FILE(kSmallFaces);
  const vips::VImage image = LoadCorpus(kSmallFaces);
  const std::vector<FaceBox> never = Detect(image, Upsample::kNever);
  const std::vector<FaceBox> automatic = Detect(image);
  EXPECT_TRUE(never.empty());
  EXPECT_EQ(automatic.size(), 6u);
  EXPECT_EQ(automatic, Detect(image, Upsample::kAlways));
  EXPECT_TRUE(AllInside(automatic, image.width(), image.height()));
  for (const FaceBox& face : automatic) EXPECT_LT(face.width, 60) << face;
}

TEST_F(FacesTest, LargeImagesAreNotUpsampled) {
  TESSERA_REQUIRE_CORPUS_FILE(kBaldGuys);
  const vips::VImage thumb = DecodeJpeg(BigThumbnailJpeg(kBaldGuys));  // 1388x1080
  EXPECT_EQ(Detect(thumb), Detect(thumb, Upsample::kNever));
}

}  // namespace
}  // namespace tessera::faces
