#include "src/library/variants.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cassert>
#include <charconv>
#include <utility>

#include "src/library/face_variants.h"
#include "src/pipeline/encode.h"
#include "src/placeholder/thumbhash.h"

namespace tessera::library {

std::vector<VariantSpec> DefaultVariants() {
  return {
      {"thumbnails_big", Target{4096, 1080}, "jpg", 85, std::nullopt},
      {"square_thumbnails", Target::CroppedSquare(500), "jpg", 85, ClipOptions{}},
      {"small_square_thumbnails", Target::CroppedSquare(250), "jpg", 80, std::nullopt},
  };
}

std::string Recipe(const VariantSpec& spec) {
  const char* fit = spec.target.fit == Target::Fit::kCrop ? "crop" : "fit";
  return fmt::format("{} {} {}x{} {} q{} tessera {}", spec.kind, fit, spec.target.max_width,
                     spec.target.max_height, spec.format, spec.quality, TESSERA_VERSION);
}

namespace {

constexpr std::string_view kVideoMark = " video";
constexpr std::string_view kStillMark = " still ";

bool EndsWith(std::string_view text, std::string_view end) {
  return text.size() >= end.size() && text.substr(text.size() - end.size()) == end;
}

}  // namespace

std::string VideoRecipe(const VariantSpec& spec) {
  if (!spec.video_clip) return Recipe(spec) + std::string(kVideoMark);
  const ClipOptions& clip = *spec.video_clip;
  return fmt::format("{} clip {}x{} mp4 {:g}s {}fps crf{} {} tessera {}", spec.kind,
                     spec.target.max_width, spec.target.max_height, clip.seconds, clip.max_fps,
                     clip.crf, clip.preset, TESSERA_VERSION);
}

bool IsVideoRecipe(std::string_view recipe) {
  const size_t space = recipe.find(' ');
  return EndsWith(recipe, kVideoMark) ||
         (space != std::string_view::npos && recipe.substr(space, 6) == " clip ");
}

bool RecipeIsCurrent(const VariantSpec& spec, std::string_view stored) {
  if (!IsVideoRecipe(stored)) return stored == Recipe(spec);
  const std::string expected = VideoRecipe(spec);
  return stored == expected ||
         (spec.video_clip && stored == expected + std::string(kStillMark) + spec.format);
}

Status ApplyVideoSquareSetting(std::vector<VariantSpec>& specs, std::string_view mode) {
  if (mode != "clip" && mode != "frame") {
    return Status::InvalidArgument(fmt::format("video square '{}': expected clip or frame", mode));
  }
  for (VariantSpec& spec : specs) {
    if (spec.kind != "square_thumbnails") continue;
    if (mode == "frame") {
      spec.video_clip.reset();
    } else if (!spec.video_clip) {
      spec.video_clip = ClipOptions{};
    }
  }
  return Status::Ok();
}

Status ApplyVariantSetting(std::vector<VariantSpec>& specs, std::string_view setting) {
  const size_t eq = setting.find('=');
  if (eq == std::string_view::npos) {
    return Status::InvalidArgument(
        fmt::format("variant setting '{}': expected KIND=FORMAT[:QUALITY[:WxH]]", setting));
  }
  const std::string_view kind = setting.substr(0, eq);
  auto spec = std::find_if(specs.begin(), specs.end(),
                           [&](const VariantSpec& s) { return s.kind == kind; });
  if (spec == specs.end()) {
    return Status::InvalidArgument(fmt::format("variant setting '{}': unknown kind", setting));
  }
  std::vector<std::string_view> parts;
  for (std::string_view rest = setting.substr(eq + 1);;) {
    size_t colon = rest.find(':');
    parts.push_back(rest.substr(0, colon));
    if (colon == std::string_view::npos) break;
    rest = rest.substr(colon + 1);
  }
  if (parts.size() > 3 || (parts[0] != "jpg" && parts[0] != "webp")) {
    return Status::InvalidArgument(
        fmt::format("variant setting '{}': the format must be jpg or webp", setting));
  }
  VariantSpec changed = *spec;
  changed.format = std::string(parts[0]);
  auto number = [](std::string_view text, int& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
  };
  if (parts.size() >= 2 &&
      (!number(parts[1], changed.quality) || changed.quality < 1 || changed.quality > 100)) {
    return Status::InvalidArgument(
        fmt::format("variant setting '{}': the quality must be 1..100", setting));
  }
  if (parts.size() == 3) {
    const size_t x = parts[2].find('x');
    int w = 0, h = 0;
    if (x == std::string_view::npos || !number(parts[2].substr(0, x), w) ||
        !number(parts[2].substr(x + 1), h) || w < 16 || h < 16 || w > 16384 || h > 16384) {
      return Status::InvalidArgument(
          fmt::format("variant setting '{}': the size must be WxH, 16..16384", setting));
    }
    changed.target.max_width = w;
    changed.target.max_height = h;
  }
  *spec = changed;
  return Status::Ok();
}

namespace {

Result<std::string> Encode(const Image& image, const VariantSpec& spec) {
  if (spec.format == "jpg") return pipeline::EncodeJpeg(image, spec.quality);
  if (spec.format == "webp") return pipeline::EncodeWebp(image, spec.quality);
  return Status::InvalidArgument(
      fmt::format("variant {}: unknown format '{}'", spec.kind, spec.format));
}

// The placeholder's own target: the big thumbnail's picture fitted inside ThumbHash's largest
// input, derived in the engine's cascade from the smallest larger size (same decode, colour and
// orientation as the big thumbnail), so the placeholder costs no pass over a large image.
Target PlaceholderTarget() {
  return Target{placeholder::kThumbHashMaxInputSide, placeholder::kThumbHashMaxInputSide};
}

Result<std::string> PlaceholderOf(const Image& small) {
  TESSERA_ASSIGN_OR_RETURN(
      std::vector<uint8_t> hash,
      placeholder::ThumbHashFromRgba(small.width, small.height, small.rgba.data()));
  return placeholder::ThumbHashBase64(hash);
}

// Stores `data` as the only copy of (kind, hash): a change of format leaves no file in the old
// one behind.
Status PutOnly(const MediaStore& store, const std::string& kind, const std::string& hash,
               std::string_view format, const std::string& data) {
  TESSERA_RETURN_IF_ERROR(store.Put(kind, hash, std::string(format), data));
  for (std::string_view ext : kMediaExtensions) {
    if (ext != format) TESSERA_RETURN_IF_ERROR(store.Remove(kind, hash, ext));
  }
  return Status::Ok();
}

Result<GeneratedVariant> StoreStill(const std::string& path, const std::string& hash,
                                    const VariantSpec& spec, const Image& image,
                                    const MediaStore& store) {
  Result<std::string> bytes = Encode(image, spec);
  if (!bytes.ok()) return bytes.status().WithContext(fmt::format("{}: {}", path, spec.kind));
  TESSERA_RETURN_IF_ERROR(PutOnly(store, spec.kind, hash, spec.format, *bytes));
  return GeneratedVariant{spec.kind,   Recipe(spec), spec.format,
                          image.width, image.height, static_cast<int64_t>(bytes->size())};
}

// The clip of a video, as large as its still square (`still`, which is never upscaled) allows.
// nullopt when the video gives no clip (its still then stands in); only the store's errors fail.
Result<std::optional<GeneratedVariant>> StoreClip(const Engine& engine, const std::string& path,
                                                  const std::string& hash, const VariantSpec& spec,
                                                  const Image& still, const MediaStore& store) {
  ClipOptions options = *spec.video_clip;
  options.edge = std::min(still.width, still.height);
  Result<std::string> clip = engine.VideoClip(path, options);
  if (!clip.ok()) {
    spdlog::warn("{}: no clip for {}, a still instead: {}", path, spec.kind,
                 clip.status().ToString());
    return std::optional<GeneratedVariant>();
  }
  TESSERA_RETURN_IF_ERROR(PutOnly(store, spec.kind, hash, "mp4", *clip));
  const int edge = options.edge & ~1;
  return std::optional<GeneratedVariant>(GeneratedVariant{
      spec.kind, VideoRecipe(spec), "mp4", edge, edge, static_cast<int64_t>(clip->size())});
}

// Faces on the big image: crops stored, square images re-cut around them. Only the store's
// errors fail the photo.
Status DetectAndCrop(const std::string& path, const std::string& hash, const VariantSpec& big,
                     const Image& big_image, const FaceOptions& options,
                     const std::vector<VariantSpec>& specs, std::vector<Image>& images,
                     const MediaStore& store, GeneratedVariants& out) {
  Result<std::vector<faces::FaceBox>> found = FindFaces(big_image, options);
  if (!found.ok()) {
    // Recorded as "no faces" so that the next scan does not try (and fail) again; a change of
    // the face settings retries it.
    spdlog::warn("{}: face detection failed: {}", path, found.status().ToString());
    out.faces_detected = true;
    out.faces_recipe = FacesRecipe(big, options);
    return Status::Ok();
  }
  for (size_t i = 0; i < found->size(); ++i) {
    const faces::FaceBox& f = (*found)[i];
    Result<std::string> crop = FaceCrop(big_image, f, options);
    if (!crop.ok()) {
      spdlog::warn("{}: face {}: {}", path, i, crop.status().ToString());
      break;
    }
    TESSERA_RETURN_IF_ERROR(store.Put("faces", FaceName(hash, static_cast<int>(i)), "jpg", *crop));
    out.faces.push_back(Face{0, static_cast<int>(i), f.x, f.y, f.width, f.height, f.score});
  }
  if (!found->empty()) {
    const SquareBox box = FaceCentredSquare(*found, big_image.width, big_image.height);
    for (size_t i = 0; i < specs.size(); ++i) {
      if (specs[i].target.fit != Target::Fit::kCrop) continue;
      Result<Image> square = CutSquare(
          big_image, box, std::min(specs[i].target.max_width, specs[i].target.max_height));
      if (square.ok()) images[i] = std::move(square).value();
    }
  }
  out.faces_detected = true;
  out.faces_recipe = FacesRecipe(big, options);
  return Status::Ok();
}

}  // namespace

bool IsMovingVideo(const ProbeInfo& probe) { return probe.mime_type.rfind("video/", 0) == 0; }

const VariantSpec* BigSpec(const std::vector<VariantSpec>& specs) {
  for (const VariantSpec& spec : specs) {
    if (spec.kind == "thumbnails_big") return &spec;
  }
  return nullptr;
}

Result<GeneratedVariants> GenerateVariants(const Engine& engine, const std::string& path,
                                           const std::string& hash,
                                           const std::vector<VariantSpec>& specs,
                                           const MediaStore& store, const FaceOptions* faces,
                                           const VariantSpec* face_source) {
  assert(!specs.empty());
  // Check every key before the (expensive) decode, so a bad spec costs nothing.
  for (const VariantSpec& spec : specs) {
    TESSERA_RETURN_IF_ERROR(ValidateMediaKey(spec.kind, hash, spec.format));
  }
  std::vector<Target> targets;
  targets.reserve(specs.size());
  for (const VariantSpec& spec : specs) targets.push_back(spec.target);
  // Squares without their big thumbnail: make the big image too (same decode), unstored, to
  // find the faces they are centred on.
  const VariantSpec* big = BigSpec(specs);
  const bool extra_big =
      big == nullptr && face_source != nullptr && faces != nullptr && faces->detect;
  size_t big_index = big != nullptr ? static_cast<size_t>(big - specs.data()) : 0;
  if (extra_big) {
    big = face_source;
    big_index = targets.size();
    targets.push_back(face_source->target);
  }
  // Only the big thumbnail makes a placeholder (it stands for that picture).
  const size_t placeholder_index = targets.size();
  if (big != nullptr) targets.push_back(PlaceholderTarget());

  TESSERA_ASSIGN_OR_RETURN(ThumbnailSet set, engine.Thumbnail(path, targets));
  if (set.images.size() != targets.size()) {
    return Status::Internal(fmt::format("{}: the engine returned {} images for {} targets", path,
                                        set.images.size(), targets.size()));
  }
  GeneratedVariants out;
  out.probe = std::move(set.probe);
  if (big != nullptr) {
    const Image& big_image = set.images[big_index];
    Result<std::string> placeholder = PlaceholderOf(set.images[placeholder_index]);
    if (placeholder.ok()) {
      out.placeholder = *placeholder;
    } else {
      spdlog::warn("{}: no placeholder: {}", path, placeholder.status().ToString());
    }
    if (faces != nullptr && faces->detect) {
      TESSERA_RETURN_IF_ERROR(
          DetectAndCrop(path, hash, *big, big_image, *faces, specs, set.images, store, out));
    }
  }
  const bool is_video = IsMovingVideo(out.probe);
  for (size_t i = 0; i < specs.size(); ++i) {
    const VariantSpec& spec = specs[i];
    const Image& image = set.images[i];
    std::optional<GeneratedVariant> made;
    if (is_video && spec.video_clip) {
      TESSERA_ASSIGN_OR_RETURN(made, StoreClip(engine, path, hash, spec, image, store));
    }
    if (!made) {
      TESSERA_ASSIGN_OR_RETURN(made, StoreStill(path, hash, spec, image, store));
      if (is_video) made->recipe = VideoRecipe(spec);
      if (is_video && spec.video_clip) made->recipe += std::string(kStillMark) + spec.format;
    }
    out.variants.push_back(std::move(*made));
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
