// Quality::kFast for JPEG: decode the camera's embedded EXIF thumbnail instead of the photo
// when it covers every output (the 2001 draft's ".lq" thumbnails).
#ifndef TESSERA_PIPELINE_EXIF_PREVIEW_H_
#define TESSERA_PIPELINE_EXIF_PREVIEW_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/pipeline/plan.h"
#include "tessera/engine.h"

namespace tessera::pipeline {

// What to decode instead of the original.
struct PreviewSource {
  std::string bytes;  // the embedded JPEG
  ProbeInfo info;     // its header, carrying the original's orientation (it has no EXIF)
  Plan plan;          // decode plan for it; outputs as planned for the original
};

// The EXIF thumbnail of a JPEG when it is at least as large as the largest output in both
// axes and has the original's aspect ratio (within 2%: some cameras letterbox it). nullopt
// otherwise, or when it does not decode.
std::optional<PreviewSource> ExifPreview(const std::string& path, std::string_view bytes,
                                         const ProbeInfo& original, const Plan& plan,
                                         const std::vector<Target>& targets);

}  // namespace tessera::pipeline

#endif  // TESSERA_PIPELINE_EXIF_PREVIEW_H_
