// The detector's raw rectangles turned into FaceBoxes: clamped, filtered, in a stable order.
// Pure functions, apart from dlib, so they can be tested without images.
#ifndef TESSERA_FACES_FACE_BOXES_H_
#define TESSERA_FACES_FACE_BOXES_H_

#include <optional>
#include <vector>

#include "src/faces/faces.h"

namespace tessera::faces {

// The inclusive rectangle [left, right] x [top, bottom], as dlib gives it, cut to a
// width x height image; nullopt when no pixel of it is inside.
// REQUIRES: width > 0, height > 0.
std::optional<FaceBox> ClampFaceBox(long left, long top, long right, long bottom, double score,
                                    int width, int height);

// Sorts by x, then y, width, height, and descending score: a total order on distinct boxes,
// so equal inputs give equal outputs whatever order the detector found them in.
void SortFaceBoxes(std::vector<FaceBox>& boxes);

}  // namespace tessera::faces

#endif  // TESSERA_FACES_FACE_BOXES_H_
