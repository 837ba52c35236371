// Engine: the thumbnail steps, in order, and nothing else.
//   read -> probe -> limits -> plan -> decode once -> colour in -> cascade of resizes ->
//   colour out -> rotate the small images -> RGBA.
#include "tessera/engine.h"

#include <spdlog/spdlog.h>

#include "src/media/file_bytes.h"
#include "src/media/probe.h"
#include "src/media/vips_loader.h"
#include "src/pipeline/colour.h"
#include "src/pipeline/decode.h"
#include "src/pipeline/exif_preview.h"
#include "src/pipeline/limits.h"
#include "src/pipeline/plan.h"
#include "src/pipeline/resize.h"
#include "src/pipeline/rgba.h"

namespace tessera {
namespace {

Status CheckTargets(const std::vector<Target>& targets) {
  if (targets.empty()) return Status::InvalidArgument("thumbnail: no target sizes");
  for (const Target& t : targets) {
    if (t.max_width <= 0 || t.max_height <= 0) {
      return Status::InvalidArgument("thumbnail: target sizes must be positive");
    }
  }
  return Status::Ok();
}

// Every planned output from one decoded image: each derived from the next larger one.
Result<std::vector<Image>> DeriveAll(const std::string& path, const vips::VImage& decoded,
                                     const ProbeInfo& probe, const pipeline::Plan& plan) {
  std::vector<Image> images(plan.outputs.size());
  Status status = media::CatchVips(path, /*during_load=*/false, [&] {
    const pipeline::Working space = pipeline::ToWorkingSpace(decoded);
    vips::VImage source = space.image;
    const bool swap = probe.orientation >= 5 && probe.orientation <= 8;
    for (int index : plan.cascade) {
      const pipeline::Size out = plan.outputs[index];
      const pipeline::Size stored = swap ? pipeline::Size{out.height, out.width} : out;
      source = pipeline::Materialize(pipeline::ResizeExact(source, stored, plan.kernel));
      const vips::VImage rgba = pipeline::ToSrgbRgba(source, space);
      images[index] = pipeline::ToImage(pipeline::Orient(rgba, probe.orientation));
    }
  });
  if (!status.ok()) return status;
  return images;
}

}  // namespace

Engine::Engine(EngineOptions options) : options_(options) {
  if (Status s = InitEngineRuntime(); !s.ok()) spdlog::error("{}", s.ToString());
}

Result<ProbeInfo> Engine::Probe(const std::string& path) const {
  TESSERA_RETURN_IF_ERROR(InitEngineRuntime());
  TESSERA_ASSIGN_OR_RETURN(const std::string bytes,
                           media::ReadFileBytes(path, options_.max_file_bytes));
  TESSERA_ASSIGN_OR_RETURN(media::ProbeResult probed, media::ProbeBytes(path, bytes));
  return std::move(probed.info);
}

Result<ThumbnailSet> Engine::Thumbnail(const std::string& path, const std::vector<Target>& targets,
                                       Quality quality) const {
  TESSERA_RETURN_IF_ERROR(CheckTargets(targets));
  TESSERA_RETURN_IF_ERROR(InitEngineRuntime());
  TESSERA_ASSIGN_OR_RETURN(const std::string bytes,
                           media::ReadFileBytes(path, options_.max_file_bytes));
  TESSERA_ASSIGN_OR_RETURN(media::ProbeResult probed, media::ProbeBytes(path, bytes));
  TESSERA_RETURN_IF_ERROR(pipeline::CheckPixelLimit(path, probed.info, options_.max_pixels));

  probed.facts.jpeg_fast_path = probed.facts.jpeg_fast_path && options_.fast_jpeg;
  const pipeline::Plan plan = pipeline::MakePlan(probed.info, targets, probed.facts, quality);
  spdlog::debug("plan: {}: {}", path, plan.ToString());

  // Quality::kFast may decode the camera's EXIF thumbnail instead of the photo.
  std::optional<pipeline::PreviewSource> preview;
  if (quality == Quality::kFast)
    preview = pipeline::ExifPreview(path, bytes, probed.info, plan, targets);
  const std::string_view source = preview ? std::string_view(preview->bytes) : bytes;
  const ProbeInfo& source_info = preview ? preview->info : probed.info;
  const pipeline::Plan& source_plan = preview ? preview->plan : plan;

  TESSERA_ASSIGN_OR_RETURN(const vips::VImage decoded,
                           pipeline::DecodeOnce(path, source, source_info, source_plan));
  spdlog::debug("decode: {}: {}x{} {} bands", path, decoded.width(), decoded.height(),
                decoded.bands());
  TESSERA_ASSIGN_OR_RETURN(std::vector<Image> images,
                           DeriveAll(path, decoded, source_info, source_plan));
  return ThumbnailSet{std::move(probed.info), std::move(images)};
}

}  // namespace tessera
