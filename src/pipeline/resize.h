// Resampling to an exact size and the final rotation of the small images.
#ifndef TESSERA_PIPELINE_RESIZE_H_
#define TESSERA_PIPELINE_RESIZE_H_

#include <vips/vips8>

#include "src/pipeline/plan.h"

namespace tessera::pipeline {

// Resamples `in` to exactly `out` pixels (separate horizontal and vertical scales) with the
// named vips kernel ("lanczos3", "linear"); libvips' rounding is corrected by a one-pixel
// crop or edge copy. Lazy; throws vips::VError.
vips::VImage ResizeExact(const vips::VImage& in, Size out, const char* kernel);

// Applies EXIF orientation 1..8 (the display transform: 6 turns 90 degrees clockwise);
// anything else is left as stored. Throws vips::VError.
vips::VImage Orient(const vips::VImage& in, int orientation);

// Cuts `out` (at most the image's size) from `in` around its most interesting region, as
// libvips' smartcrop with the attention measure finds it (skin tones, saturated colour, edges).
vips::VImage CropInteresting(const vips::VImage& in, Size out);

}  // namespace tessera::pipeline

#endif  // TESSERA_PIPELINE_RESIZE_H_
