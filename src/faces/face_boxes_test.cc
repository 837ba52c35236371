#include "src/faces/face_boxes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "src/faces/test_util.h"

namespace tessera::faces {
namespace {

TEST(ClampFaceBoxTest, InsideIsKeptAsIs) {
  // dlib's rectangles are inclusive: [10, 59] is 50 pixels.
  auto box = ClampFaceBox(10, 20, 59, 79, 1.5, 100, 100);
  ASSERT_TRUE(box.has_value());
  EXPECT_EQ(*box, (FaceBox{10, 20, 50, 60, 1.5}));
  box = ClampFaceBox(0, 0, 99, 99, 0.1, 100, 100);  // the whole image
  ASSERT_TRUE(box.has_value());
  EXPECT_EQ(*box, (FaceBox{0, 0, 100, 100, 0.1}));
}

TEST(ClampFaceBoxTest, ReachingPastAnEdgeIsCut) {
  EXPECT_EQ(ClampFaceBox(-13, -5, 40, 30, 1, 100, 80).value(), (FaceBox{0, 0, 41, 31, 1}));
  EXPECT_EQ(ClampFaceBox(70, 60, 130, 95, 1, 100, 80).value(), (FaceBox{70, 60, 30, 20, 1}));
  EXPECT_EQ(ClampFaceBox(-10, -10, 200, 200, 1, 100, 80).value(), (FaceBox{0, 0, 100, 80, 1}));
  // A sliver one pixel wide on the last column.
  EXPECT_EQ(ClampFaceBox(99, 10, 140, 50, 1, 100, 80).value(), (FaceBox{99, 10, 1, 41, 1}));
}

TEST(ClampFaceBoxTest, NothingInsideIsDropped) {
  EXPECT_FALSE(ClampFaceBox(-50, 10, -1, 40, 1, 100, 80).has_value());   // left of the image
  EXPECT_FALSE(ClampFaceBox(100, 10, 150, 40, 1, 100, 80).has_value());  // right of it
  EXPECT_FALSE(ClampFaceBox(10, -40, 40, -1, 1, 100, 80).has_value());   // above
  EXPECT_FALSE(ClampFaceBox(10, 80, 40, 120, 1, 100, 80).has_value());   // below
  EXPECT_FALSE(ClampFaceBox(30, 30, 29, 40, 1, 100, 80).has_value());    // empty (right < left)
  EXPECT_FALSE(ClampFaceBox(30, 30, 40, 29, 1, 100, 80).has_value());    // empty (bottom < top)
}

TEST(SortFaceBoxesTest, ByPositionThenSizeThenScore) {
  std::vector<FaceBox> boxes = {
      {50, 10, 20, 20, 1.0}, {10, 90, 20, 20, 0.5}, {10, 30, 20, 20, 2.0},
      {10, 30, 20, 25, 0.1}, {10, 30, 20, 20, 3.0}, {50, 5, 40, 40, 0.2},
  };
  const std::vector<FaceBox> expected = {
      {10, 30, 20, 20, 3.0}, {10, 30, 20, 20, 2.0}, {10, 30, 20, 25, 0.1},
      {10, 90, 20, 20, 0.5}, {50, 5, 40, 40, 0.2},  {50, 10, 20, 20, 1.0},
  };
  SortFaceBoxes(boxes);
  EXPECT_EQ(boxes, expected);
}

TEST(SortFaceBoxesTest, AnyInputOrderGivesTheSameOutput) {
  std::vector<FaceBox> boxes;
  for (int i = 0; i < 40; ++i) {
    // Many ties on x and on (x, y) so every key is exercised.
    boxes.push_back(FaceBox{(i * 7) % 5 * 10, (i * 3) % 4 * 10, 20 + i % 3, 20, 0.1 * (i % 6)});
  }
  std::vector<FaceBox> reference = boxes;
  SortFaceBoxes(reference);
  std::mt19937 rng(42);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(boxes.begin(), boxes.end(), rng);
    std::vector<FaceBox> sorted = boxes;
    SortFaceBoxes(sorted);
    ASSERT_EQ(sorted, reference) << "round " << round;
  }
}

}  // namespace
}  // namespace tessera::faces
