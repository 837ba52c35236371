#include "src/pipeline/rgba.h"

#include <glib.h>

#include <cassert>
#include <memory>

namespace tessera::pipeline {
namespace {

struct GFree {
  void operator()(void* p) const { g_free(p); }
};
using GBuffer = std::unique_ptr<uint8_t, GFree>;

// `image` computed by libvips' sink into one packed buffer (rows of width * bands * sample size).
GBuffer WriteToMemory(const vips::VImage& image, size_t& size) {
  GBuffer pixels(static_cast<uint8_t*>(vips_image_write_to_memory(image.get_image(), &size)));
  if (!pixels) throw vips::VError();
  return pixels;
}

}  // namespace

vips::VImage Materialize(const vips::VImage& image) {
  // copy_memory keeps the metadata (interpretation, ICC profile) and owns its pixels.
  return image.copy_memory();
}

Image ToImage(const vips::VImage& rgba) {
  assert(rgba.bands() == 4 && rgba.format() == VIPS_FORMAT_UCHAR);
  size_t size = 0;
  const GBuffer pixels = WriteToMemory(rgba, size);
  Image image;
  image.width = rgba.width();
  image.height = rgba.height();
  assert(size == image.stride() * image.height);
  image.rgba.assign(pixels.get(), pixels.get() + size);
  return image;
}

}  // namespace tessera::pipeline
