// Face detection with dlib's built-in HOG frontal face detector (no model file to ship).
//
// The detector has five HOG filters (frontal, turned left or right, tilted left or right) with
// an 80x80 window: it finds faces whose box is about 70 pixels or more, and about 35 pixels
// once the image is doubled. It misses profiles, faces upside down or strongly tilted, and
// animals' faces. Its threshold is dlib's own (score > 0): on the corpus, real faces score
// 0.22 to 3.1 and the false alarms seen (a round badge on a suit) 0.002 to 0.12, so a caller
// wanting fewer false alarms can drop low scores itself.
#ifndef TESSERA_FACES_FACES_H_
#define TESSERA_FACES_FACES_H_

#include <cstddef>
#include <cstdint>
#include <vector>
#include <vips/vips8>

#include "tessera/status.h"

namespace tessera::faces {

// A face in pixels of the image searched: always inside it, with a positive size.
struct FaceBox {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
  double score = 0;  // dlib's detection confidence: >= 0, larger is surer (about 0..3)
};

// Images whose shorter side is below this many pixels are searched at twice their size.
// The big thumbnails of camera photos (1080 px high, 810 px wide when portrait) never are.
// Small originals are: five of the corpus' nine 500 px PASCAL VOC photos show 0 or 1 face at
// their own size and 6 or 7 doubled (faces of 35 to 70 px), for 4.3x the time (0.09 s instead
// of 0.02 s of CPU at 500x375).
inline constexpr int kUpsampleBelow = 600;

// Searches over this many pixels (counted after doubling) are refused with TooLarge. A search
// costs about 0.12 s of CPU and 10 MB of memory per megapixel searched (0.17 s for a 1440x1080
// thumbnail, 2.8 s for a 24 MP original): pass a thumbnail, not the original.
inline constexpr int64_t kMaxDetectPixels = 40'000'000;

enum class Upsample {
  kAuto,    // when the shorter side is below kUpsampleBelow
  kNever,   // search the image as given
  kAlways,  // search at twice the size (bilinear): about 4.3x the time, finds faces half as big
};

// Finds the faces in an 8-bit sRGB image of interleaved R, G, B samples, row `y` starting at
// `rgb + y * stride`. Upsamples as `Upsample::kAuto` says.
// Boxes are clamped to the image, boxes left without area are dropped, and the rest are sorted
// by x, then y (then width, height, score), so a photo's faces are numbered the same way on
// every call. Overlapping detections are already merged by dlib.
// Errors: InvalidArgument for a null buffer, a non-positive size or stride < 3 * width;
// TooLarge when the pixels searched (after any doubling) exceed kMaxDetectPixels; Internal
// when dlib fails (out of memory included).
// Thread-safe, and any number of calls may run at once. The first call in the process also
// builds the detector (about 0.35 s of CPU, kept until exit); each call then searches with its
// own copy of it (0.05 ms), so nothing is kept per thread between calls.
// REQUIRES: the buffer holds `height` rows of `stride` bytes (the last may be 3 * width).
Result<std::vector<FaceBox>> DetectFaces(const uint8_t* rgb, int width, int height, size_t stride);

// As above, with the upsampling chosen by the caller (benchmarks, tests).
Result<std::vector<FaceBox>> DetectFaces(const uint8_t* rgb, int width, int height, size_t stride,
                                         Upsample upsample);

// Any libvips image: converted to 8-bit sRGB (grey, CMYK, 16-bit and other colour spaces
// through vips_colourspace; an embedded ICC profile is not applied, which detection does not
// need), alpha flattened over white, extra bands dropped, then searched as above. The image is
// evaluated in the calling thread. Boxes are in the image's pixels, as stored (no EXIF
// orientation is applied).
// Errors: as above, and Internal when libvips fails (the message names the step).
// REQUIRES: libvips is initialised (InitEngineRuntime()). Thread-safe.
Result<std::vector<FaceBox>> DetectFaces(const vips::VImage& image,
                                         Upsample upsample = Upsample::kAuto);

}  // namespace tessera::faces

#endif  // TESSERA_FACES_FACES_H_
