#include "src/pipeline/exif_preview.h"

#include <spdlog/spdlog.h>

#include <cmath>

#include "src/media/exif_thumbnail.h"
#include "src/media/probe.h"

namespace tessera::pipeline {

std::optional<PreviewSource> ExifPreview(const std::string& path, std::string_view bytes,
                                         const ProbeInfo& original, const Plan& plan,
                                         const std::vector<Target>& targets) {
  if (original.format != "jpeg") return std::nullopt;
  std::optional<std::string> thumb = media::ExifThumbnail(bytes);
  if (!thumb) return std::nullopt;
  Result<media::ProbeResult> probed = media::ProbeBytes(path + " (EXIF thumbnail)", *thumb);
  if (!probed.ok() || probed->info.format != "jpeg") return std::nullopt;
  ProbeInfo info = probed->info;
  const double aspect = static_cast<double>(original.width) / original.height;
  const double thumb_aspect = static_cast<double>(info.width) / info.height;
  if (std::abs(thumb_aspect / aspect - 1.0) > 0.02 || info.width < plan.decode_min.width ||
      info.height < plan.decode_min.height) {
    spdlog::debug("fast: {}: EXIF thumbnail {}x{} does not cover {}x{}", path, info.width,
                  info.height, plan.decode_min.width, plan.decode_min.height);
    return std::nullopt;
  }
  info.orientation = original.orientation;
  PreviewSource source{std::move(*thumb), info,
                       MakePlan(info, targets, probed->facts, Quality::kFast)};
  // The outputs keep the original's geometry (it is what the keys describe); the preview
  // covers them all, so nothing is upscaled.
  source.plan.outputs = plan.outputs;
  source.plan.resized = plan.resized;
  source.plan.cropped = plan.cropped;
  source.plan.cascade = plan.cascade;
  spdlog::debug("fast: {}: using the {}x{} EXIF thumbnail", path, info.width, info.height);
  return source;
}

}  // namespace tessera::pipeline
