#include "src/pipeline/rgba.h"

#include <cassert>
#include <cstring>
#include <memory>

namespace tessera::pipeline {

Image ToImage(const vips::VImage& rgba) {
  assert(rgba.bands() == 4 && rgba.format() == VIPS_FORMAT_UCHAR);
  size_t size = 0;
  std::unique_ptr<void, decltype(&g_free)> data(rgba.write_to_memory(&size), &g_free);
  Image image;
  image.width = rgba.width();
  image.height = rgba.height();
  assert(size == image.stride() * image.height);
  image.rgba.resize(size);
  std::memcpy(image.rgba.data(), data.get(), size);
  return image;
}

}  // namespace tessera::pipeline
