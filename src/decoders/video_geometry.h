// Video geometry as pure functions: how a stored frame becomes upright (the display matrix),
// and its size as displayed (pixel aspect ratio, then rotation). No I/O.
#ifndef TESSERA_DECODERS_VIDEO_GEOMETRY_H_
#define TESSERA_DECODERS_VIDEO_GEOMETRY_H_

extern "C" {
#include <libavutil/rational.h>
}

#include <cstdint>
#include <string>

#include "src/media/loader_facts.h"

namespace tessera::decoders::video {

using media::Size;

// The libavfilter steps that turn a stored frame upright, applied in this order: transpose,
// then hflip, then vflip. Decided as FFmpeg's own command-line tool autorotates (fftools 6.0,
// which also honours flips).
struct DisplayTransform {
  enum class Transpose { kNone, kClock, kCclock, kClockFlip, kCclockFlip };
  Transpose transpose = Transpose::kNone;
  bool hflip = false;
  bool vflip = false;

  bool SwapsAxes() const { return transpose != Transpose::kNone; }
  bool IsIdentity() const { return !SwapsAxes() && !hflip && !vflip; }
  // "transpose=cclock", "hflip,vflip", ... or "" for the identity.
  std::string Filters() const;
  bool operator==(const DisplayTransform& other) const = default;
};

// From a 3x3 display matrix (AV_PKT_DATA_DISPLAYMATRIX side data), or the identity for null,
// a singular matrix, or a rotation that is not a multiple of 90 degrees.
DisplayTransform TransformFromDisplayMatrix(const int32_t* matrix);

// `coded` with its width stretched by the sample aspect ratio `sar` (height kept). A missing
// (0/x), negative or absurd (outside 1/16..16) ratio counts as square pixels.
Size ApplySampleAspect(Size coded, AVRational sar);

// The size as displayed: sample aspect applied, then width and height swapped when the
// transform turns the frame a quarter.
Size DisplaySize(Size coded, AVRational sar, const DisplayTransform& transform);

// The size to scale a stored frame to so that it comes out of `transform` as `display`.
Size PreTransformSize(Size display, const DisplayTransform& transform);

}  // namespace tessera::decoders::video

#endif  // TESSERA_DECODERS_VIDEO_GEOMETRY_H_
