// Colour handling around the resize. The decoded image goes to 8-bit sRGB once, before the
// resize (an embedded profile, or libvips' built-in CMYK profile, transformed with lcms;
// an embedded profile that is sRGB already is skipped); every output is resized from sRGB,
// as sharp does. Alpha is premultiplied around the resize.
//
// Why not thumbnail.c's import to Lab before the resize and export after it: with four sizes
// that built five lcms transforms per image and resized in float Lab; the profiled photos of
// corpus/photos spent 16% of all CPU time in lcms. The colour tests hold either way.
#ifndef TESSERA_PIPELINE_COLOUR_H_
#define TESSERA_PIPELINE_COLOUR_H_

#include <string_view>
#include <vips/vips8>

namespace tessera::pipeline {

// A decoded image ready for resampling.
struct Working {
  // Colour bands (8-bit sRGB), then alpha (0..255, premultiplied) when has_alpha.
  vips::VImage image;
  bool has_alpha = false;
};

// Brings `decoded` into the working space: through its embedded ICC profile (or libvips'
// built-in CMYK profile for CMYK without one) to 8-bit sRGB; otherwise 16-bit, grey, ... to
// 8-bit sRGB. A profile lcms rejects is ignored (logged), as thumbnail.c does. Lazy; throws
// vips::VError.
Working ToWorkingSpace(const vips::VImage& decoded);

// The inverse for one resized image: unpremultiplies and returns 8-bit sRGB, RGB or, when the
// working space has alpha, RGBA. Throws vips::VError.
vips::VImage ToSrgb(const vips::VImage& resized, const Working& space);

// ToSrgb, always RGBA: an opaque alpha band added when there was none. Throws vips::VError.
vips::VImage ToSrgbRgba(const vips::VImage& resized, const Working& space);

// True when an ICC profile describes sRGB (an RGB profile whose description names sRGB, as
// cameras' and editors' "sRGB IEC61966-2.1" do): converting through it would change nothing.
bool IsSrgbProfile(std::string_view icc);

}  // namespace tessera::pipeline

#endif  // TESSERA_PIPELINE_COLOUR_H_
