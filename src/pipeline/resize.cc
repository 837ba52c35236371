#include "src/pipeline/resize.h"

#include <algorithm>
#include <cstring>

namespace tessera::pipeline {

using vips::VImage;

VImage ResizeExact(const VImage& in, Size out, const char* kernel) {
  if (in.width() == out.width && in.height() == out.height) return in;
  const double hscale = static_cast<double>(out.width) / in.width();
  const double vscale = static_cast<double>(out.height) / in.height();
  const VipsKernel k =
      std::strcmp(kernel, "linear") == 0 ? VIPS_KERNEL_LINEAR : VIPS_KERNEL_LANCZOS3;
  VImage r = in.resize(hscale,
                       VImage::option()->set("vscale", vscale)->set("kernel", static_cast<int>(k)));
  if (r.width() != out.width || r.height() != out.height) {
    r = r.embed(0, 0, out.width, out.height,
                VImage::option()->set("extend", static_cast<int>(VIPS_EXTEND_COPY)));
  }
  return r;
}

VImage Orient(const VImage& in, int orientation) {
  switch (orientation) {
    case 2:
      return in.flip(VIPS_DIRECTION_HORIZONTAL);
    case 3:
      return in.rot(VIPS_ANGLE_D180);
    case 4:
      return in.flip(VIPS_DIRECTION_VERTICAL);
    case 5:
      return in.rot(VIPS_ANGLE_D90).flip(VIPS_DIRECTION_HORIZONTAL);  // transpose
    case 6:
      return in.rot(VIPS_ANGLE_D90);
    case 7:
      return in.rot(VIPS_ANGLE_D90).flip(VIPS_DIRECTION_VERTICAL);  // transverse
    case 8:
      return in.rot(VIPS_ANGLE_D270);
    default:
      return in;
  }
}

VImage CropInteresting(const VImage& in, Size out) {
  const int w = std::min(out.width, in.width());
  const int h = std::min(out.height, in.height());
  if (w == in.width() && h == in.height()) return in;
  return in.smartcrop(
      w, h, VImage::option()->set("interesting", static_cast<int>(VIPS_INTERESTING_ATTENTION)));
}

}  // namespace tessera::pipeline
