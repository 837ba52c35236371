// The face code's libvips helpers: conversion to 8-bit sRGB RGB, and error messages.
#ifndef TESSERA_FACES_VIPS_RGB_H_
#define TESSERA_FACES_VIPS_RGB_H_

#include <string>
#include <vips/vips8>

namespace tessera::faces {

// `image` as 8-bit sRGB with exactly three bands, same size: other colour spaces (grey, CMYK,
// 16-bit, Lab, ...) through vips_colourspace from libvips' guess of what the bands hold (an
// embedded ICC profile is not applied), alpha flattened over white, extra bands dropped.
// Lazy; throws vips::VError.
vips::VImage ToSrgbRgb(const vips::VImage& image);

// libvips' message on one line ("a; b"). VError copies libvips' process-wide error buffer
// without clearing it, so this clears it: the next failure must not repeat this one's text.
std::string VipsMessage(const vips::VError& error);

}  // namespace tessera::faces

#endif  // TESSERA_FACES_VIPS_RGB_H_
