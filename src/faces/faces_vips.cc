// DetectFaces for libvips images: the conversion to the detector's 8-bit sRGB RGB.
#include <fmt/format.h>

#include <memory>

#include "src/faces/faces.h"
#include "src/faces/vips_rgb.h"

namespace tessera::faces {
namespace {

using vips::VImage;

struct RegionUnref {
  void operator()(VipsRegion* region) const { g_object_unref(region); }
};
using RegionPtr = std::unique_ptr<VipsRegion, RegionUnref>;

}  // namespace

Result<std::vector<FaceBox>> DetectFaces(const VImage& image, Upsample upsample) {
  const int width = image.width();
  const int height = image.height();
  if (width <= 0 || height <= 0) {
    return Status::InvalidArgument(fmt::format("detect faces: empty {}x{} image", width, height));
  }
  // Refused before anything is computed, rather than after converting a huge image.
  if (static_cast<int64_t>(width) * height > kMaxDetectPixels) {
    return Status::TooLarge(
        fmt::format("detect faces: {}x{} is over {} pixels", width, height, kMaxDetectPixels));
  }
  VImage rgb;  // declared before the region, which reads its pixels, so it outlives it
  RegionPtr region;
  try {
    rgb = ToSrgbRgb(image);
    if (rgb.bands() != 3 || rgb.width() != width || rgb.height() != height) {
      return Status::Internal(fmt::format("detect faces: converting {}x{}x{} gave {}x{}x{}", width,
                                          height, image.bands(), rgb.width(), rgb.height(),
                                          rgb.bands()));
    }
    // The whole image computed into one region, in this thread; the region keeps the pixels
    // (and the pipeline behind them) alive until it is released.
    region.reset(vips_region_new(rgb.get_image()));
    VipsRect all{0, 0, width, height};
    if (!region || vips_region_prepare(region.get(), &all) != 0) throw vips::VError();
  } catch (const vips::VError& e) {
    return Status::Internal(fmt::format("detect faces: converting to sRGB: {}", VipsMessage(e)));
  }
  const auto* pixels = reinterpret_cast<const uint8_t*>(VIPS_REGION_ADDR(region.get(), 0, 0));
  const auto stride = static_cast<size_t>(VIPS_REGION_LSKIP(region.get()));
  return DetectFaces(pixels, width, height, stride, upsample);
}

}  // namespace tessera::faces
