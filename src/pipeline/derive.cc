#include "src/pipeline/derive.h"

#include <spdlog/spdlog.h>

#include "src/media/vips_loader.h"
#include "src/pipeline/colour.h"
#include "src/pipeline/resize.h"
#include "src/pipeline/rgba.h"

namespace tessera::pipeline {

Result<std::vector<Image>> DeriveAll(const std::string& path, const vips::VImage& decoded,
                                     const ProbeInfo& probe, const Plan& plan) {
  std::vector<Image> images(plan.outputs.size());
  Status status = media::CatchVips(path, /*during_load=*/false, [&] {
    const Working space = ToWorkingSpace(decoded);
    vips::VImage source = space.image;
    const bool swap = probe.orientation >= 5 && probe.orientation <= 8;
    for (int index : plan.cascade) {
      const Size to = plan.resized[index];
      const Size stored = swap ? Size{to.height, to.width} : to;
      // `source` stays uncropped: the next, smaller output is resized from all of it.
      source = Materialize(ResizeExact(source, stored, plan.kernel));
      // RGB unless the image has alpha: smartcrop premultiplies any alpha band to float before
      // it searches, several times the cost of the search, and ToImage adds an opaque one.
      vips::VImage upright = Orient(ToSrgb(source, space), probe.orientation);
      if (plan.cropped[index]) upright = CropInteresting(upright, plan.outputs[index]);
      images[index] = ToImage(upright);
    }
  });
  if (!status.ok()) return status;
  return images;
}

Size DecodeMinimum(const ProbeInfo& upright, const std::vector<Target>& targets, Quality quality) {
  if (upright.width <= 0 || upright.height <= 0 || targets.empty()) return {1, 1};
  return MakePlan(upright, targets, LoaderFacts{}, quality).decode_min;
}

Result<ThumbnailSet> ThumbnailFromDecoded(const std::string& path, const ProbeInfo& upright,
                                          const vips::VImage& decoded,
                                          const std::vector<Target>& targets, Quality quality) {
  if (upright.width <= 0 || upright.height <= 0 || decoded.width() <= 0) {
    return Status::Corrupt(path + ": the decoder returned no image");
  }
  const Plan plan = MakePlan(upright, targets, LoaderFacts{}, quality);
  spdlog::debug("plan: {}: {}; decoded {}x{}", path, plan.ToString(), decoded.width(),
                decoded.height());
  TESSERA_ASSIGN_OR_RETURN(std::vector<Image> images, DeriveAll(path, decoded, upright, plan));
  return ThumbnailSet{upright, std::move(images)};
}

}  // namespace tessera::pipeline
