// Evaluating libvips pipelines into memory.
//
// Both run libvips' sink (its thread pool, one worker here: tessera's parallelism comes from one
// image per worker thread), which computes the image tile by tile. Preparing the whole image as
// one region in the caller's thread instead allocated a whole-image buffer at every step of the
// pipeline: for a 1728x1080 thumbnail that cost more than the pixels (a scan of corpus photos
// spent twice the CPU).
#ifndef TESSERA_PIPELINE_RGBA_H_
#define TESSERA_PIPELINE_RGBA_H_

#include <vips/vips8>

#include "tessera/image.h"

namespace tessera::pipeline {

// `image` computed into a new memory image, metadata kept. Throws vips::VError.
vips::VImage Materialize(const vips::VImage& image);

// Copies an 8-bit RGB or RGBA image into a tessera::Image (RGB gets an opaque alpha).
// REQUIRES: 3 or 4 bands, uchar. Evaluates the image. Throws vips::VError.
Image ToImage(const vips::VImage& rgb_or_rgba);

}  // namespace tessera::pipeline

#endif  // TESSERA_PIPELINE_RGBA_H_
