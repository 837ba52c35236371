#include "src/faces/faces.h"

#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms/interpolation.h>
#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <new>

#include "src/faces/face_boxes.h"

namespace tessera::faces {
namespace {

// The caller's pixels as a read-only dlib image, so the search reads them in place instead of
// copying them into a dlib::array2d first. dlib's generic image interface finds these functions
// by argument-dependent lookup; the search only ever reads its input.
struct RgbView {
  const uint8_t* data;
  long rows;
  long columns;
  long stride;
};

long num_rows(const RgbView& view) { return view.rows; }
long num_columns(const RgbView& view) { return view.columns; }
long width_step(const RgbView& view) { return view.stride; }
const void* image_data(const RgbView& view) { return view.data; }

}  // namespace
}  // namespace tessera::faces

namespace dlib {
template <>
struct image_traits<tessera::faces::RgbView> {
  typedef rgb_pixel pixel_type;  // three unsigned chars: R, G, B, as our rows are laid out
};
}  // namespace dlib

namespace tessera::faces {
namespace {

static_assert(sizeof(dlib::rgb_pixel) == 3, "rgb_pixel must match packed RGB samples");

// Building the detector parses its five serialised HOG filters and precomputes their
// separable forms: about 330 ms of CPU. Searching keeps the image's feature pyramid inside the
// detector, so one object cannot serve two threads at once. dlib's copy constructor copies only
// the configuration and the filters (about 0.05 ms) and no pyramid, so every search gets a
// fresh copy of one detector built once per process: no per-thread build cost, and no pyramid
// (megabytes for a large image) kept alive between calls. Copying only reads the original.
dlib::frontal_face_detector FreshDetector() {
  static const dlib::frontal_face_detector* const prototype =
      new dlib::frontal_face_detector(dlib::get_frontal_face_detector());  // never destroyed
  return *prototype;
}

bool ShouldUpsample(Upsample upsample, int width, int height) {
  switch (upsample) {
    case Upsample::kNever:
      return false;
    case Upsample::kAlways:
      return true;
    case Upsample::kAuto:
      break;
  }
  return std::min(width, height) < kUpsampleBelow;
}

std::vector<FaceBox> Search(const RgbView& view, bool upsample) {
  dlib::frontal_face_detector detector = FreshDetector();
  std::vector<dlib::rect_detection> found;
  if (upsample) {
    // The detector's window is 80x80; doubling the image (bilinear, as dlib's own examples do)
    // brings 40x40 faces up to it. Boxes come back through the same pyramid's rect_down.
    dlib::array2d<dlib::rgb_pixel> doubled;
    dlib::pyramid_down<2> pyramid;
    dlib::pyramid_up(view, doubled, pyramid);
    detector(doubled, found);
    for (dlib::rect_detection& d : found) d.rect = pyramid.rect_down(d.rect);
  } else {
    detector(view, found);
  }
  std::vector<FaceBox> boxes;
  boxes.reserve(found.size());
  const int width = static_cast<int>(view.columns);
  const int height = static_cast<int>(view.rows);
  for (const dlib::rect_detection& d : found) {
    if (auto box = ClampFaceBox(d.rect.left(), d.rect.top(), d.rect.right(), d.rect.bottom(),
                                d.detection_confidence, width, height)) {
      boxes.push_back(*box);
    }
  }
  // dlib returns detections by descending confidence, which can swap two faces of similar
  // score between a photo and its re-encoded thumbnail. Position gives them stable numbers.
  SortFaceBoxes(boxes);
  return boxes;
}

}  // namespace

Result<std::vector<FaceBox>> DetectFaces(const uint8_t* rgb, int width, int height, size_t stride) {
  return DetectFaces(rgb, width, height, stride, Upsample::kAuto);
}

Result<std::vector<FaceBox>> DetectFaces(const uint8_t* rgb, int width, int height, size_t stride,
                                         Upsample upsample) {
  if (rgb == nullptr) return Status::InvalidArgument("detect faces: no pixels");
  if (width <= 0 || height <= 0) {
    return Status::InvalidArgument(fmt::format("detect faces: empty {}x{} image", width, height));
  }
  if (stride < static_cast<size_t>(width) * 3) {
    return Status::InvalidArgument(
        fmt::format("detect faces: stride {} is below 3 x width {}", stride, width));
  }
  const bool doubled = ShouldUpsample(upsample, width, height);
  const int64_t searched = static_cast<int64_t>(width) * height * (doubled ? 4 : 1);
  if (searched > kMaxDetectPixels) {
    return Status::TooLarge(fmt::format("detect faces: {}x{}{} is over {} pixels", width, height,
                                        doubled ? " doubled" : "", kMaxDetectPixels));
  }
  const RgbView view{rgb, height, width, static_cast<long>(stride)};
  try {
    return Search(view, doubled);
  } catch (const std::bad_alloc&) {
    return Status::Internal(fmt::format("detect faces: out of memory for {}x{}", width, height));
  } catch (const std::exception& e) {
    // dlib::error and anything the standard library throws inside it.
    return Status::Internal(fmt::format("detect faces: {}", e.what()));
  }
}

}  // namespace tessera::faces
