// Evaluating libvips pipelines into memory, in the calling thread.
//
// A libvips sink (copy_memory, write_to_memory) hands tiles to its thread pool and back; for a
// thumbnail-sized image those hand-offs cost as much as the pixels, and tessera's parallelism
// comes from one image per worker thread anyway. These evaluate the whole image with
// vips_region_prepare in the caller's thread instead.
#ifndef TESSERA_PIPELINE_RGBA_H_
#define TESSERA_PIPELINE_RGBA_H_

#include <vips/vips8>

#include "tessera/image.h"

namespace tessera::pipeline {

// `image` computed into a new memory image, metadata (interpretation) kept. Throws vips::VError.
vips::VImage Materialize(const vips::VImage& image);

// Copies an 8-bit RGBA image into a tessera::Image.
// REQUIRES: 4 bands, uchar. Evaluates the image. Throws vips::VError.
Image ToImage(const vips::VImage& rgba);

}  // namespace tessera::pipeline

#endif  // TESSERA_PIPELINE_RGBA_H_
