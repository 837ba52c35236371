// Copies an 8-bit RGBA VImage into a tessera::Image.
#ifndef TESSERA_PIPELINE_RGBA_H_
#define TESSERA_PIPELINE_RGBA_H_

#include <vips/vips8>

#include "tessera/image.h"

namespace tessera::pipeline {

// REQUIRES: 4 bands, uchar. Evaluates the image. Throws vips::VError.
Image ToImage(const vips::VImage& rgba);

}  // namespace tessera::pipeline

#endif  // TESSERA_PIPELINE_RGBA_H_
