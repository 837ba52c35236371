#include "src/faces/face_boxes.h"

#include <algorithm>
#include <cassert>
#include <tuple>

namespace tessera::faces {

std::optional<FaceBox> ClampFaceBox(long left, long top, long right, long bottom, double score,
                                    int width, int height) {
  assert(width > 0 && height > 0);
  left = std::max(left, 0L);
  top = std::max(top, 0L);
  right = std::min(right, static_cast<long>(width) - 1);
  bottom = std::min(bottom, static_cast<long>(height) - 1);
  if (right < left || bottom < top) return std::nullopt;
  return FaceBox{static_cast<int>(left), static_cast<int>(top), static_cast<int>(right - left + 1),
                 static_cast<int>(bottom - top + 1), score};
}

void SortFaceBoxes(std::vector<FaceBox>& boxes) {
  std::sort(boxes.begin(), boxes.end(), [](const FaceBox& a, const FaceBox& b) {
    // b.score before a.score: the surer of two otherwise equal boxes first.
    return std::tie(a.x, a.y, a.width, a.height, b.score) <
           std::tie(b.x, b.y, b.width, b.height, a.score);
  });
}

}  // namespace tessera::faces
