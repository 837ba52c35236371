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

// `image` computed by libvips' sink into one buffer, rows packed.
GBuffer WriteToMemory(const vips::VImage& image, size_t& size) {
  GBuffer pixels(static_cast<uint8_t*>(vips_image_write_to_memory(image.get_image(), &size)));
  if (!pixels) throw vips::VError();
  return pixels;
}

}  // namespace

vips::VImage Materialize(const vips::VImage& image) { return image.copy_memory(); }

Image ToImage(const vips::VImage& rgb_or_rgba) {
  const int bands = rgb_or_rgba.bands();
  assert((bands == 3 || bands == 4) && rgb_or_rgba.format() == VIPS_FORMAT_UCHAR);
  size_t size = 0;
  const GBuffer pixels = WriteToMemory(rgb_or_rgba, size);
  Image image;
  image.width = rgb_or_rgba.width();
  image.height = rgb_or_rgba.height();
  const size_t count = static_cast<size_t>(image.width) * image.height;
  assert(size == count * bands);
  if (bands == 4) {
    image.rgba.assign(pixels.get(), pixels.get() + size);
    return image;
  }
  // The opaque alpha is added here, in one pass, rather than by a libvips bandjoin.
  image.rgba.resize(count * 4);
  const uint8_t* in = pixels.get();
  uint8_t* out = image.rgba.data();
  for (size_t i = 0; i < count; ++i, in += 3, out += 4) {
    out[0] = in[0];
    out[1] = in[1];
    out[2] = in[2];
    out[3] = 255;
  }
  return image;
}

}  // namespace tessera::pipeline
