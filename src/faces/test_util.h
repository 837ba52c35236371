// Helpers for the face tests (tests only): corpus images, big thumbnails, box comparisons.
#ifndef TESSERA_FACES_TEST_UTIL_H_
#define TESSERA_FACES_TEST_UTIL_H_

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>
#include <vips/vips8>

#include "src/core/test_corpus.h"
#include "src/faces/face_crop.h"
#include "src/faces/faces.h"
#include "src/pipeline/encode.h"
#include "tessera/engine.h"

namespace tessera::faces {

// gtest compares boxes with these and prints them in failure messages.
inline std::ostream& operator<<(std::ostream& os, const FaceBox& b) {
  return os << "[" << b.x << "," << b.y << " " << b.width << "x" << b.height << " " << b.score
            << "]";
}

inline bool operator==(const FaceBox& a, const FaceBox& b) {
  return a.x == b.x && a.y == b.y && a.width == b.width && a.height == b.height &&
         a.score == b.score;
}

inline bool operator==(const FaceCropBox& a, const FaceCropBox& b) {
  return a.x == b.x && a.y == b.y && a.size == b.size;
}

inline std::ostream& operator<<(std::ostream& os, const FaceCropBox& b) {
  return os << "{" << b.x << ", " << b.y << ", " << b.size << "}";
}

}  // namespace tessera::faces

namespace tessera::faces::testing {

// Intersection over union of two boxes: 1 for equal boxes, 0 for disjoint ones.
inline double Iou(const FaceBox& a, const FaceBox& b) {
  const int w = std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x);
  const int h = std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const double inter = static_cast<double>(w) * h;
  return inter / (static_cast<double>(a.width) * a.height +
                  static_cast<double>(b.width) * b.height - inter);
}

// True when every box has a positive size and lies inside a width x height image.
inline bool AllInside(const std::vector<FaceBox>& boxes, int width, int height) {
  return std::all_of(boxes.begin(), boxes.end(), [&](const FaceBox& b) {
    return b.width > 0 && b.height > 0 && b.x >= 0 && b.y >= 0 && b.x + b.width <= width &&
           b.y + b.height <= height;
  });
}

// A corpus file decoded into memory by libvips.
inline vips::VImage LoadCorpus(const std::string& relative) {
  return vips::VImage::new_from_file(tessera::testing::CorpusPath(relative).c_str()).copy_memory();
}

// What the media server stores as a photo's big thumbnail: the engine's fit inside
// 4096x1080, encoded as JPEG q85 (library::DefaultVariants' thumbnails_big).
inline std::string BigThumbnailJpeg(const std::string& relative) {
  const Engine engine;
  auto set = engine.Thumbnail(tessera::testing::CorpusPath(relative), {Target{4096, 1080}});
  if (!set.ok()) return "";
  auto jpeg = pipeline::EncodeJpeg(set->images[0], 85);
  return jpeg.ok() ? *jpeg : "";
}

inline vips::VImage DecodeJpeg(const std::string& bytes) {
  return vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "").copy_memory();
}

}  // namespace tessera::faces::testing

#endif  // TESSERA_FACES_TEST_UTIL_H_
