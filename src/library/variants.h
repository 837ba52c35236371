// The media server's variants of a photo (a large preview and two square crops): their recipes
// and their generation from one decode.
#ifndef TESSERA_LIBRARY_VARIANTS_H_
#define TESSERA_LIBRARY_VARIANTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/library/catalog.h"
#include "src/library/media_store.h"
#include "tessera/engine.h"
#include "tessera/status.h"

namespace tessera::library {

// How one variant is made. `kind` is a MediaStore kind and the catalog's Variant::kind.
struct VariantSpec {
  std::string kind;
  Target target;
  std::string format;  // "jpg" or "webp": the encoder and the stored extension
  int quality = 85;    // 1..100
  // Set: for a video, this variant is a short muted MP4 clip (Engine::VideoClip, its edge the
  // still's size) instead of a still frame; for anything else the still is made as usual.
  std::optional<ClipOptions> video_clip;
};

// Faces: found on the big thumbnail (the source of truth for later processing), kept in the
// catalog, cut as padded square crops, and used to centre the square variants.
struct FaceOptions {
  bool detect = true;
  int crop_size = 256;  // the face crops' edge, at most
  int quality = 85;     // their JPEG quality
  // Detections scoring lower are dropped: on the corpus real faces score 0.22 to 3.1 and the
  // false alarms seen (a round badge) at most 0.12.
  double min_score = 0.15;
};

// thumbnails_big: fits 4096x1080, JPEG q85; square_thumbnails: CroppedSquare(500), JPEG q85,
// and for videos a 3 s clip (the seed: "can be an image or a video"); small_square_thumbnails:
// CroppedSquare(250), JPEG q80.
std::vector<VariantSpec> DefaultVariants();

// How the square thumbnail of a video is made: "clip" (a short muted MP4, the default) or
// "frame" (a still, as for photos). InvalidArgument for anything else.
Status ApplyVideoSquareSetting(std::vector<VariantSpec>& specs, std::string_view mode);

// Applies a setting of the form "KIND=FORMAT[:QUALITY[:WxH]]" (e.g. "thumbnails_big=webp:80",
// "square_thumbnails=jpg:90:400x400") to the spec of that kind. InvalidArgument naming the
// problem for an unknown kind or format, a quality outside 1..100 or a malformed size.
Status ApplyVariantSetting(std::vector<VariantSpec>& specs, std::string_view setting);

// A stable description of everything that shapes the output, engine version included, e.g.
// "thumbnails_big fit 4096x1080 jpg q85 tessera 0.1.0". A stored variant whose recipe differs
// from the current one is stale and is regenerated.
std::string Recipe(const VariantSpec& spec);

// The recipe of `spec` for a file that is a video: the clip's recipe when the spec makes clips
// (e.g. "square_thumbnails clip 500x500 mp4 3s 25fps crf28 veryfast tessera 0.1.0"), else
// Recipe(spec) + " video". Every variant of a video names it, so that a scan can tell from the
// stored recipes alone which photos a change of the video setting touches.
std::string VideoRecipe(const VariantSpec& spec);

// The recipe a photo's stored variant should have now: `stored` is that variant's recorded
// recipe and tells whether the photo is a video. True when `stored` is current for `spec`. A
// still standing in for a clip the video could not give (VideoRecipe + " still") is current.
bool RecipeIsCurrent(const VariantSpec& spec, std::string_view stored);

// Whether a recorded recipe is that of a variant of a video.
bool IsVideoRecipe(std::string_view recipe);
// One stored variant, as recorded in the catalog (photo_id excepted).
struct GeneratedVariant {
  std::string kind;
  std::string recipe;
  std::string format;
  int width = 0;
  int height = 0;
  int64_t bytes = 0;
};

struct GeneratedVariants {
  ProbeInfo probe;
  std::vector<GeneratedVariant> variants;  // in the order of the specs
  // Set when faces were looked for (on the big thumbnail); `faces` in pixels of that image.
  bool faces_detected = false;
  std::vector<Face> faces;  // photo_id 0
  std::string faces_recipe;
  // Base64 ThumbHash of the big thumbnail's picture (fitted inside 100x100 in the same decode);
  // "" when it was not made.
  std::string placeholder;
};

// Decodes `path` once (Engine::Thumbnail with every spec's target, plus a 100x100 fit for the
// placeholder when the big thumbnail is made), encodes each image (or, for a video and a spec
// with `video_clip`, makes the clip; should the video give none, its still stands in) and stores
// it under (spec.kind, hash, spec.format) in `store`. When `faces` asks for it and the specs
// include the big thumbnail, faces are found on it, their crops stored (kind "faces", FaceName)
// and the square crops centred on them instead of on the most interesting region. A failure of
// face detection itself is logged and recorded as "no faces"; it never fails the photo. When the
// specs lack the big thumbnail, `face_source` (its spec) is made too, not stored, for the faces.
// Errors: the engine's (naming the file: Corrupt, Unsupported, TooLarge for the file itself;
// IOError and friends for the environment), InvalidArgument for an unknown format or a bad key, the
// store's IOError. A failure may leave the variants stored before it in place (each write is
// atomic). REQUIRES: !specs.empty(). Thread-safe.
Result<GeneratedVariants> GenerateVariants(const Engine& engine, const std::string& path,
                                           const std::string& hash,
                                           const std::vector<VariantSpec>& specs,
                                           const MediaStore& store,
                                           const FaceOptions* faces = nullptr,
                                           const VariantSpec* face_source = nullptr);

// Whether a probed file is a video with moving pictures (what gets clips and video recipes).
bool IsMovingVideo(const ProbeInfo& probe);

// The spec of the big thumbnail (kind "thumbnails_big") in `specs`, or null.
const VariantSpec* BigSpec(const std::vector<VariantSpec>& specs);

// The catalog's view of a probed file: mime type, oriented size, duration and `file_size`.
PhotoMeta PhotoMetaFromProbe(const ProbeInfo& probe, int64_t file_size);

}  // namespace tessera::library

#endif  // TESSERA_LIBRARY_VARIANTS_H_
