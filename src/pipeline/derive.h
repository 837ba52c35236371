// Every requested size from one decoded image: each output resized from the next larger one,
// colour brought to sRGB, the small images rotated upright, packed as RGBA.
#ifndef TESSERA_PIPELINE_DERIVE_H_
#define TESSERA_PIPELINE_DERIVE_H_

#include <string>
#include <vector>
#include <vips/vips8>

#include "src/pipeline/plan.h"
#include "tessera/engine.h"

namespace tessera::pipeline {

// `decoded` is in stored orientation as `probe` describes it, covering plan.decode_min.
Result<std::vector<Image>> DeriveAll(const std::string& path, const vips::VImage& decoded,
                                     const ProbeInfo& probe, const Plan& plan);

// For decoders that hand back an upright image of the display size's aspect (video frames,
// RAW, ImageMagick): plans against `upright` (orientation 1) and derives every target.
Result<ThumbnailSet> ThumbnailFromDecoded(const std::string& path, const ProbeInfo& upright,
                                          const vips::VImage& decoded,
                                          const std::vector<Target>& targets, Quality quality);

// The size a decoder must deliver for `targets` once it knows the upright size.
Size DecodeMinimum(const ProbeInfo& upright, const std::vector<Target>& targets, Quality quality);

}  // namespace tessera::pipeline

#endif  // TESSERA_PIPELINE_DERIVE_H_
