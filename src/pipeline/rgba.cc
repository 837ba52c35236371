#include "src/pipeline/rgba.h"

#include <cassert>
#include <cstring>
#include <memory>
#include <vector>

namespace tessera::pipeline {
namespace {

using RegionPtr = std::unique_ptr<VipsRegion, decltype(&g_object_unref)>;

// The whole image computed into one region.
RegionPtr PrepareWhole(const vips::VImage& image) {
  RegionPtr region(vips_region_new(image.get_image()), &g_object_unref);
  VipsRect all{0, 0, image.width(), image.height()};
  if (!region || vips_region_prepare(region.get(), &all) != 0) throw vips::VError();
  return region;
}

// Copies the region's rows, which may be strided, into `out` packed.
void CopyRows(VipsRegion* region, int height, size_t row_bytes, uint8_t* out) {
  for (int y = 0; y < height; ++y) {
    std::memcpy(out + y * row_bytes, VIPS_REGION_ADDR(region, 0, y), row_bytes);
  }
}

}  // namespace

vips::VImage Materialize(const vips::VImage& image) {
  RegionPtr region = PrepareWhole(image);
  const size_t row_bytes = VIPS_IMAGE_SIZEOF_LINE(image.get_image());
  std::vector<uint8_t> pixels(row_bytes * image.height());
  CopyRows(region.get(), image.height(), row_bytes, pixels.data());
  VipsImage* out = vips_image_new_from_memory_copy(pixels.data(), pixels.size(), image.width(),
                                                   image.height(), image.bands(), image.format());
  if (out == nullptr) throw vips::VError();
  return vips::VImage(out).copy(
      vips::VImage::option()->set("interpretation", static_cast<int>(image.interpretation())));
}

Image ToImage(const vips::VImage& rgba) {
  assert(rgba.bands() == 4 && rgba.format() == VIPS_FORMAT_UCHAR);
  RegionPtr region = PrepareWhole(rgba);
  Image image;
  image.width = rgba.width();
  image.height = rgba.height();
  image.rgba.resize(image.stride() * image.height);
  CopyRows(region.get(), image.height, image.stride(), image.rgba.data());
  return image;
}

}  // namespace tessera::pipeline
