#include "src/decoders/video_clip.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "src/decoders/video_clip_encoder.h"
#include "src/decoders/video_clip_reader.h"
#include "src/decoders/video_pick.h"
#include "src/decoders/video_source.h"

namespace tessera::decoders {
namespace video {

std::string ClipPlan::ToString() const {
  return fmt::format(
      "{}x{} square ({:.4f} x {:.4f} of the frame), {:.3f} s from {:.3f} s at {}/{} "
      "fps ({} frames)",
      edge, edge, crop.width, crop.height, seconds, start, rate.num, rate.den, max_frames);
}

int ClipEdge(Size display, int requested) {
  const int edge = std::min(requested, std::min(display.width, display.height)) & ~1;
  return edge >= 2 ? edge : 0;
}

SquareCrop CentredSquare(Size display, const DisplayTransform& transform) {
  // A quarter turn or a flip maps the centred square onto the centred square.
  const Size stored = PreTransformSize(display, transform);
  const double side = std::min(stored.width, stored.height);
  return SquareCrop{side / stored.width, side / stored.height};
}

ClipWindow PlanWindow(double duration, double seconds, double wanted) {
  if (duration > 0 && duration <= seconds) return ClipWindow{0, duration};
  double start = std::max(0.0, wanted);
  if (duration > 0) start = std::min(start, duration - seconds);
  return ClipWindow{start, seconds};
}

AVRational ClipRate(AVRational stream_rate, int max_fps) {
  if (stream_rate.num <= 0 || stream_rate.den <= 0) return AVRational{max_fps, 1};
  if (av_cmp_q(stream_rate, AVRational{max_fps, 1}) > 0) return AVRational{max_fps, 1};
  if (av_cmp_q(stream_rate, AVRational{1, 1}) < 0) return AVRational{1, 1};
  AVRational reduced;
  av_reduce(&reduced.num, &reduced.den, stream_rate.num, stream_rate.den, 1 << 20);
  return reduced;
}

ClipPlan PlanClip(const ProbeInfo& info, const DisplayTransform& transform, double wanted_start,
                  AVRational stream_rate, const ClipOptions& options) {
  ClipPlan plan;
  const Size display{info.width, info.height};
  plan.edge = ClipEdge(display, options.edge);
  if (plan.edge > 0) plan.crop = CentredSquare(display, transform);
  const ClipWindow window = PlanWindow(info.duration_seconds, options.seconds, wanted_start);
  plan.start = window.start;
  plan.seconds = window.seconds;
  plan.rate = ClipRate(stream_rate, options.max_fps);
  plan.max_frames = std::max(1, static_cast<int>(std::lround(plan.seconds * av_q2d(plan.rate))));
  return plan;
}

}  // namespace video

namespace {

// What the still thumbnail knows of the video: its display size and turn, its duration, and
// where the clip should start (the frame picker's moment unless the caller chose one).
struct StillFacts {
  ProbeInfo info;
  video::DisplayTransform transform;
  double start = 0;
};

Result<StillFacts> LookAtStill(const std::string& path, const ClipOptions& options) {
  TESSERA_ASSIGN_OR_RETURN(std::unique_ptr<video::VideoSource> source,
                           video::VideoSource::Open(path));
  if (source->is_attached_picture()) {
    return Status::Unsupported(path + ": only a still picture (cover art): no clip");
  }
  StillFacts facts{source->info(), source->transform(), 0};
  if (options.start_seconds.has_value()) {
    facts.start = *options.start_seconds;
  } else {
    TESSERA_RETURN_IF_ERROR(source->OpenDecoder());
    TESSERA_ASSIGN_OR_RETURN(video::PickedFrame picked, video::PickFrame(*source));
    facts.start = picked.seconds.value_or(0.1 * facts.info.duration_seconds);
  }
  return facts;
}

// Decodes from `start` into `encoder` until the clip is full or the stream ends.
Status Feed(video::ClipReader& reader, video::ClipEncoder& encoder, double start) {
  reader.SeekTo(start);
  while (!encoder.full()) {
    TESSERA_ASSIGN_OR_RETURN(video::FramePtr frame, reader.Next());
    if (frame == nullptr) break;
    TESSERA_RETURN_IF_ERROR(encoder.Add(*frame));
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> MakeVideoClip(const std::string& path, const ClipOptions& options) {
  // VideoSource's log capture ends with LookAtStill: captures do not nest.
  TESSERA_ASSIGN_OR_RETURN(const StillFacts still, LookAtStill(path, options));
  const video::Size display{still.info.width, still.info.height};

  video::FfmpegLogCapture log;
  TESSERA_ASSIGN_OR_RETURN(std::unique_ptr<video::ClipReader> reader,
                           video::ClipReader::Open(path, log));
  const video::ClipPlan plan =
      video::PlanClip(still.info, still.transform, still.start, reader->frame_rate(), options);
  if (plan.edge == 0) {
    return Status::Unsupported(fmt::format("{}: a {}x{} video is too small for a clip", path,
                                           display.width, display.height));
  }
  spdlog::debug("video: {}: clip plan: {}", path, plan.ToString());
  TESSERA_ASSIGN_OR_RETURN(
      std::unique_ptr<video::ClipEncoder> encoder,
      video::ClipEncoder::Open(path, plan, still.transform, reader->time_base(), options, log));
  TESSERA_RETURN_IF_ERROR(Feed(*reader, *encoder, plan.start));
  if (encoder->frames_added() == 0 && plan.start > 0) {
    // The container's duration may count a longer audio track: the window lay past the video.
    spdlog::debug("video: {}: no frame after {:.3f} s; the clip starts at 0", path, plan.start);
    TESSERA_RETURN_IF_ERROR(Feed(*reader, *encoder, 0));
  }
  TESSERA_ASSIGN_OR_RETURN(std::string mp4, encoder->Finish());
  spdlog::debug("video: {}: clip of {} bytes, {} frames", path, mp4.size(),
                encoder->frames_encoded());
  return mp4;
}

}  // namespace tessera::decoders
