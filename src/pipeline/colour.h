// Colour handling around the resize, as libvips' thumbnail.c does it: the embedded profile
// is imported before the resize and sRGB exported after it; alpha is premultiplied around it.
#ifndef TESSERA_PIPELINE_COLOUR_H_
#define TESSERA_PIPELINE_COLOUR_H_

#include <vips/vips8>

namespace tessera::pipeline {

// A decoded image ready for resampling.
struct Working {
  // Colour bands, then alpha (0..255, premultiplied) when has_alpha. Colour is 8-bit sRGB, or
  // float Lab (the ICC connection space) when imported.
  vips::VImage image;
  bool has_alpha = false;
  bool imported = false;
};

// Imports `decoded` into the working space: an embedded ICC profile (or libvips' built-in
// CMYK profile for CMYK without one) to Lab; otherwise 16-bit, grey, ... to 8-bit sRGB.
// A profile lcms rejects is ignored (logged), as thumbnail.c does. Lazy; throws vips::VError.
Working ToWorkingSpace(const vips::VImage& decoded);

// The inverse for one resized image: unpremultiplies, exports Lab to sRGB, and returns
// 8-bit sRGB RGBA (an opaque alpha band added when there was none). Throws vips::VError.
vips::VImage ToSrgbRgba(const vips::VImage& resized, const Working& space);

}  // namespace tessera::pipeline

#endif  // TESSERA_PIPELINE_COLOUR_H_
