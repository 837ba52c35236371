// Decoding once, at the planned size: the fast JPEG path or a libvips loader with
// shrink-on-load, materialised in memory.
#ifndef TESSERA_PIPELINE_DECODE_H_
#define TESSERA_PIPELINE_DECODE_H_

#include <string>
#include <string_view>
#include <vips/vips8>

#include "src/pipeline/plan.h"
#include "tessera/engine.h"
#include "tessera/status.h"

namespace tessera::pipeline {

// The decoded image, in stored orientation, in memory, first page/frame only. Errors name
// the file (Corrupt for truncated or broken data).
// REQUIRES: InitEngineRuntime() succeeded; `probe` and `plan` describe `bytes`.
Result<vips::VImage> DecodeOnce(const std::string& path, std::string_view bytes,
                                const ProbeInfo& probe, const Plan& plan);

}  // namespace tessera::pipeline

#endif  // TESSERA_PIPELINE_DECODE_H_
