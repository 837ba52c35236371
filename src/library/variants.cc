#include "src/library/variants.h"

#include <fmt/format.h>

#include <cassert>
#include <utility>

#include "src/pipeline/encode.h"

namespace tessera::library {

std::vector<VariantSpec> DefaultVariants() {
  return {
      {"thumbnails_big", Target{4096, 1080}, "jpg", 85},
      {"square_thumbnails", Target::CroppedSquare(500), "jpg", 85},
      {"small_square_thumbnails", Target::CroppedSquare(250), "jpg", 80},
  };
}

std::string Recipe(const VariantSpec& spec) {
  const char* fit = spec.target.fit == Target::Fit::kCrop ? "crop" : "fit";
  return fmt::format("{} {} {}x{} {} q{} tessera {}", spec.kind, fit, spec.target.max_width,
                     spec.target.max_height, spec.format, spec.quality, TESSERA_VERSION);
}

namespace {

Result<std::string> Encode(const Image& image, const VariantSpec& spec) {
  if (spec.format == "jpg") return pipeline::EncodeJpeg(image, spec.quality);
  if (spec.format == "webp") return pipeline::EncodeWebp(image, spec.quality);
  return Status::InvalidArgument(
      fmt::format("variant {}: unknown format '{}'", spec.kind, spec.format));
}

}  // namespace

Result<GeneratedVariants> GenerateVariants(const Engine& engine, const std::string& path,
                                           const std::string& hash,
                                           const std::vector<VariantSpec>& specs,
                                           const MediaStore& store) {
  assert(!specs.empty());
  // Check every key before the (expensive) decode, so a bad spec costs nothing.
  for (const VariantSpec& spec : specs) {
    TESSERA_RETURN_IF_ERROR(ValidateMediaKey(spec.kind, hash, spec.format));
  }
  std::vector<Target> targets;
  targets.reserve(specs.size());
  for (const VariantSpec& spec : specs) targets.push_back(spec.target);

  TESSERA_ASSIGN_OR_RETURN(ThumbnailSet set, engine.Thumbnail(path, targets));
  if (set.images.size() != specs.size()) {
    return Status::Internal(fmt::format("{}: the engine returned {} images for {} targets", path,
                                        set.images.size(), specs.size()));
  }
  GeneratedVariants out;
  out.probe = std::move(set.probe);
  for (size_t i = 0; i < specs.size(); ++i) {
    const VariantSpec& spec = specs[i];
    const Image& image = set.images[i];
    Result<std::string> bytes = Encode(image, spec);
    if (!bytes.ok()) return bytes.status().WithContext(fmt::format("{}: {}", path, spec.kind));
    TESSERA_RETURN_IF_ERROR(store.Put(spec.kind, hash, spec.format, *bytes));
    out.variants.push_back(GeneratedVariant{spec.kind, Recipe(spec), spec.format, image.width,
                                            image.height, static_cast<int64_t>(bytes->size())});
  }
  return out;
}

PhotoMeta PhotoMetaFromProbe(const ProbeInfo& probe, int64_t file_size) {
  PhotoMeta meta;
  meta.mime_type = probe.mime_type;
  meta.width = probe.OrientedWidth();
  meta.height = probe.OrientedHeight();
  meta.size = file_size;
  meta.duration_seconds = probe.duration_seconds;
  return meta;
}

}  // namespace tessera::library
