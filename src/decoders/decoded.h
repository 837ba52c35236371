// What every untrusted decoder (video, RAW, ImageMagick) hands back to the pipeline.
// These decoders run only inside the isolated helper process (see src/helper/); the pipeline
// then derives every requested size from `image` exactly as it does for in-process loaders.
#ifndef TESSERA_DECODERS_DECODED_H_
#define TESSERA_DECODERS_DECODED_H_

#include <functional>
#include <vips/vips8>

#include "src/media/loader_facts.h"
#include "tessera/engine.h"

namespace tessera::decoders {

using media::Size;

// The smallest size the decoded image must cover, given what the file is once upright
// (info.width x info.height as displayed, orientation 1). The decoder may shrink on load down
// to this size, never below it (unless the source itself is smaller).
using MinSizeFn = std::function<Size(const ProbeInfo& upright)>;

struct Decoded {
  // Describes the file as displayed: width/height after rotation and pixel-aspect correction,
  // orientation always 1 (the decoder has applied it), mime_type and format filled in,
  // duration_seconds for videos.
  ProbeInfo info;
  // Upright, 8-bit sRGB, 3 bands (RGB) or 4 (RGBA, unpremultiplied), in memory, with the
  // aspect ratio of info.width x info.height, covering MinSizeFn(info) when the source allows.
  vips::VImage image;
};

}  // namespace tessera::decoders

#endif  // TESSERA_DECODERS_DECODED_H_
