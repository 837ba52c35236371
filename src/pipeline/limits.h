// Limits checked on the header, before any pixel is decoded.
#ifndef TESSERA_PIPELINE_LIMITS_H_
#define TESSERA_PIPELINE_LIMITS_H_

#include <cstdint>
#include <string>

#include "tessera/engine.h"
#include "tessera/status.h"

namespace tessera::pipeline {

// TooLarge ("<path>: 50000x50000 = 2500 megapixels exceeds the limit of 300") when a raster
// image declares more than `max_pixels`. Vector formats pass: they are rendered at the
// target size whatever size they declare. Pure.
Status CheckPixelLimit(const std::string& path, const ProbeInfo& probe, uint64_t max_pixels);

}  // namespace tessera::pipeline

#endif  // TESSERA_PIPELINE_LIMITS_H_
