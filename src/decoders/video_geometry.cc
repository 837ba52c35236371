#include "src/decoders/video_geometry.h"

extern "C" {
#include <libavutil/display.h>
}

#include <algorithm>
#include <cmath>

namespace tessera::decoders::video {

std::string DisplayTransform::Filters() const {
  std::string filters;
  auto add = [&filters](const char* filter) {
    if (!filters.empty()) filters += ',';
    filters += filter;
  };
  switch (transpose) {
    case Transpose::kNone:
      break;
    case Transpose::kClock:
      add("transpose=clock");
      break;
    case Transpose::kCclock:
      add("transpose=cclock");
      break;
    case Transpose::kClockFlip:
      add("transpose=clock_flip");
      break;
    case Transpose::kCclockFlip:
      add("transpose=cclock_flip");
      break;
  }
  if (hflip) add("hflip");
  if (vflip) add("vflip");
  return filters;
}

DisplayTransform TransformFromDisplayMatrix(const int32_t* m) {
  using T = DisplayTransform::Transpose;
  DisplayTransform t;
  if (m == nullptr) return t;
  const double angle = av_display_rotation_get(m);  // counterclockwise, NaN when singular
  if (std::isnan(angle)) return t;
  // The clockwise angle the viewer must turn the frame, in [0, 360).
  double theta = -std::round(angle);
  theta -= 360 * std::floor(theta / 360 + 0.9 / 360);
  // m[0], m[3], m[4] are the matrix's a, c, d: their signs tell a flip from a rotation.
  if (std::fabs(theta - 90) < 1.0) {
    t.transpose = m[3] > 0 ? T::kCclockFlip : T::kClock;
  } else if (std::fabs(theta - 180) < 1.0) {
    t.hflip = m[0] < 0;
    t.vflip = m[4] < 0;
  } else if (std::fabs(theta - 270) < 1.0) {
    t.transpose = m[3] < 0 ? T::kClockFlip : T::kCclock;
  } else if (std::fabs(theta) < 1.0 || std::fabs(theta - 360) < 1.0) {
    t.vflip = m[4] < 0;
  }
  // Any other angle: shown unrotated, as most players do.
  return t;
}

Size ApplySampleAspect(Size coded, AVRational sar) {
  if (sar.num <= 0 || sar.den <= 0) return coded;
  const double ratio = av_q2d(sar);
  if (ratio < 1.0 / 16 || ratio > 16) return coded;
  const long width = std::lround(coded.width * ratio);
  return Size{static_cast<int>(std::clamp<long>(width, 1, 1L << 30)), coded.height};
}

Size DisplaySize(Size coded, AVRational sar, const DisplayTransform& transform) {
  const Size stretched = ApplySampleAspect(coded, sar);
  return PreTransformSize(stretched, transform);  // a quarter turn swaps both ways alike
}

Size PreTransformSize(Size display, const DisplayTransform& transform) {
  return transform.SwapsAxes() ? Size{display.height, display.width} : display;
}

}  // namespace tessera::decoders::video
