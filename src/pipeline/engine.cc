// Engine: the thumbnail steps, in order, and nothing else (a video clip is a request to a helper).
//   read the head -> route -> (untrusted: the same steps in a helper process) ->
//   read -> probe -> limits -> plan -> decode once -> derive every size (colour in, cascade of
//   resizes, colour out, rotate the small images, RGBA).
#include "tessera/engine.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <mutex>
#include <string_view>

#include "src/isolate/helper_pool.h"
#include "src/media/file_bytes.h"
#include "src/media/probe.h"
#include "src/media/route.h"
#include "src/pipeline/decode.h"
#include "src/pipeline/derive.h"
#include "src/pipeline/exif_preview.h"
#include "src/pipeline/limits.h"
#include "src/pipeline/plan.h"

namespace tessera {
namespace {

// Enough of a file for content sniffing.
constexpr size_t kHeadBytes = 4096;

Status CheckTargets(const std::vector<Target>& targets) {
  if (targets.empty()) return Status::InvalidArgument("thumbnail: no target sizes");
  for (const Target& t : targets) {
    if (t.max_width <= 0 || t.max_height <= 0) {
      return Status::InvalidArgument("thumbnail: target sizes must be positive");
    }
  }
  return Status::Ok();
}

// $TESSERA_HELPER_FAULT="<fault>[:<part of a path>]" makes helpers misbehave on matching files,
// so tests can prove that a crash or a hang costs one file and nothing else.
std::string FaultFor(const std::string& path) {
  const char* env = std::getenv("TESSERA_HELPER_FAULT");
  if (env == nullptr || *env == '\0') return "";
  const std::string spec = env;
  const size_t colon = spec.find(':');
  if (colon == std::string::npos) return spec;
  return path.find(spec.substr(colon + 1)) != std::string::npos ? spec.substr(0, colon) : "";
}

// The libx264 presets (x264_preset_names), fastest first.
constexpr std::array<std::string_view, 10> kX264Presets = {
    "ultrafast", "superfast", "veryfast", "faster",   "fast",
    "medium",    "slow",      "slower",   "veryslow", "placebo"};

Status CheckClipOptions(const ClipOptions& o) {
  if (o.edge < 2 || o.edge > 4096) return Status::InvalidArgument("clip: edge must be 2..4096");
  if (!(o.seconds > 0 && o.seconds <= 60)) {
    return Status::InvalidArgument("clip: seconds must be over 0 and at most 60");
  }
  if (o.start_seconds.has_value() && !(*o.start_seconds >= 0 && *o.start_seconds < 1e9)) {
    return Status::InvalidArgument("clip: start_seconds must not be negative");
  }
  if (o.max_fps < 1 || o.max_fps > 120)
    return Status::InvalidArgument("clip: max_fps must be 1..120");
  if (o.crf < 0 || o.crf > 51) return Status::InvalidArgument("clip: crf must be 0..51");
  if (std::find(kX264Presets.begin(), kX264Presets.end(), o.preset) == kX264Presets.end()) {
    return Status::InvalidArgument("clip: unknown x264 preset " + o.preset);
  }
  // The clip travels back from the helper as one protocol blob (at most 256 MiB).
  if (o.max_bytes == 0 || o.max_bytes > (128ull << 20)) {
    return Status::InvalidArgument("clip: max_bytes must be 1 byte to 128 MiB");
  }
  return Status::Ok();
}

}  // namespace

struct Engine::Helpers {
  std::once_flag once;
  Status status;
  std::unique_ptr<isolate::HelperPool> pool;
};

Engine::Engine(EngineOptions options)
    : options_(std::move(options)), helpers_(std::make_unique<Helpers>()) {
  // In the command libvips starts on first in-process use (InitEngineRuntime below); the
  // helper unblocks its untrusted loaders now, before its sandbox closes.
  if (!options_.isolation.enabled) {
    if (Status s = InitHelperRuntime(); !s.ok()) spdlog::error("{}", s.ToString());
  }
}

Engine::~Engine() = default;

int Engine::helpers_started() const {
  return helpers_->pool != nullptr ? helpers_->pool->started() : 0;
}

Status Engine::StartHelpers(const std::string& path) const {
  const IsolationOptions& iso = options_.isolation;
  std::call_once(helpers_->once, [&] {
    Result<std::string> helper = isolate::FindHelper(iso.helper_path);
    if (!helper.ok()) {
      helpers_->status = helper.status();
      return;
    }
    isolate::HelperLimits limits;
    limits.timeout = std::chrono::milliseconds(static_cast<int64_t>(iso.timeout_seconds) * 1000);
    limits.cpu_seconds = iso.cpu_seconds;
    limits.address_space_bytes = iso.memory_bytes;
    limits.max_jobs = iso.max_jobs_per_helper;
    helpers_->pool =
        std::make_unique<isolate::HelperPool>(*helper, limits, options_.verbose_helpers);
  });
  return helpers_->status.WithContext(path);
}

Result<ThumbnailSet> Engine::RunIsolated(const std::string& path, const std::string& mime,
                                         const std::string& family,
                                         const std::vector<Target>& targets, Quality quality,
                                         bool probe_only) const {
  TESSERA_RETURN_IF_ERROR(StartHelpers(path));
  const IsolationOptions& iso = options_.isolation;
  isolate::HelperRequest request;
  request.op =
      probe_only ? isolate::HelperRequest::Op::kProbe : isolate::HelperRequest::Op::kThumbnail;
  request.path = path;
  request.mime_type = mime;
  request.family = family;
  request.targets = targets;
  request.quality = quality;
  request.max_pixels = options_.max_pixels;
  request.max_file_bytes = options_.max_file_bytes;
  request.cpu_seconds = iso.cpu_seconds;
  request.fault = FaultFor(path);
  spdlog::debug("route: {}: {} ({}) to a helper", path, mime, family);
  return helpers_->pool->Run(request);
}

Result<ProbeInfo> Engine::Probe(const std::string& path) const {
  TESSERA_ASSIGN_OR_RETURN(const std::string head, media::ReadFileHead(path, kHeadBytes));
  if (head.empty()) return Status::Corrupt(path + ": empty file");
  const media::Route route = media::RouteFile(path, head);
  if (route.isolated && options_.isolation.enabled) {
    TESSERA_ASSIGN_OR_RETURN(ThumbnailSet set,
                             RunIsolated(path, route.mime_type, route.family, {}, {}, true));
    return std::move(set.probe);
  }
  TESSERA_RETURN_IF_ERROR(InitEngineRuntime());
  TESSERA_ASSIGN_OR_RETURN(const std::string bytes,
                           media::ReadFileBytes(path, options_.max_file_bytes));
  TESSERA_ASSIGN_OR_RETURN(media::ProbeResult probed, media::ProbeBytes(path, bytes));
  return std::move(probed.info);
}

Result<ThumbnailSet> Engine::Thumbnail(const std::string& path, const std::vector<Target>& targets,
                                       Quality quality) const {
  TESSERA_RETURN_IF_ERROR(CheckTargets(targets));
  TESSERA_ASSIGN_OR_RETURN(const std::string head, media::ReadFileHead(path, kHeadBytes));
  if (head.empty()) return Status::Corrupt(path + ": empty file");
  const media::Route route = media::RouteFile(path, head);
  if (route.isolated && options_.isolation.enabled) {
    return RunIsolated(path, route.mime_type, route.family, targets, quality, false);
  }
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
                           pipeline::DeriveAll(path, decoded, source_info, source_plan));
  return ThumbnailSet{std::move(probed.info), std::move(images)};
}

// A clip is made where videos are decoded, in a helper: read the head -> refuse what is not a
// video -> the helper decodes, encodes to memory, and sends the MP4 back.
Result<std::string> Engine::VideoClip(const std::string& path, const ClipOptions& options) const {
  TESSERA_RETURN_IF_ERROR(CheckClipOptions(options));
  TESSERA_ASSIGN_OR_RETURN(const std::string head, media::ReadFileHead(path, kHeadBytes));
  if (head.empty()) return Status::Corrupt(path + ": empty file");
  const media::Route route = media::RouteFile(path, head);
  if (route.family != "video") {
    return Status::Unsupported(
        fmt::format("{}: not a video ({}): no clip", path,
                    route.mime_type.empty() ? "unknown type" : route.mime_type));
  }
  if (!options_.isolation.enabled) {  // video decoders are linked into the helper only
    return Status::Unsupported(path + ": video clips are made by the decoder helper only");
  }
  TESSERA_RETURN_IF_ERROR(StartHelpers(path));
  isolate::HelperRequest request;
  request.op = isolate::HelperRequest::Op::kClip;
  request.path = path;
  request.mime_type = route.mime_type;
  request.family = route.family;
  request.clip = options;
  request.max_pixels = options_.max_pixels;
  request.max_file_bytes = options_.max_file_bytes;
  request.cpu_seconds = options_.isolation.cpu_seconds;
  request.fault = FaultFor(path);
  spdlog::debug("clip: {}: {} to a helper", path, route.mime_type);
  TESSERA_ASSIGN_OR_RETURN(const isolate::Message reply, helpers_->pool->Call(request));
  return isolate::DecodeClipReply(reply);
}

}  // namespace tessera
