// A short muted clip of a video, as an MP4 in memory: the square thumbnail's moving counterpart.
// Runs only inside the isolated helper process, whose sandbox forbids writing files.
//
// The steps: what the still thumbnail knows (display size, turn, duration, the frame picker's
// moment: video_source.h, video_pick.h) -> the plan (pure: the square, the window, the frame
// rate) -> every frame of the window decoded (video_clip_reader.h) -> the still's own colour
// conversion and turn, a centred square, BT.709 yuv420p, libx264 (video_clip_encoder.h) -> an
// MP4 with its moov box first, in memory (video_clip_mp4.h).
#ifndef TESSERA_DECODERS_VIDEO_CLIP_H_
#define TESSERA_DECODERS_VIDEO_CLIP_H_

extern "C" {
#include <libavutil/rational.h>
}

#include <string>

#include "src/decoders/video_geometry.h"
#include "src/media/loader_facts.h"
#include "tessera/engine.h"

namespace tessera::decoders {

namespace video {

using media::Size;

// The centred part of a stored frame that is shown as the largest square: fractions of the
// frame's width and height (so that it holds whatever size the frames really come in).
struct SquareCrop {
  double width = 1;
  double height = 1;
};

struct ClipPlan {
  int edge = 0;            // the square's side, even
  SquareCrop crop;         // cut from each stored frame before anything else (then scaled to edge)
  double start = 0;        // seconds from the start of the stream
  double seconds = 0;      // the window's length
  AVRational rate{25, 1};  // output frames per second
  int max_frames = 0;      // frames in the window at `rate`, at least 1

  std::string ToString() const;
};

// The square's side: `requested`, or the display's shorter side when that is smaller (never
// upscaled), rounded down to even. 0 when the display is under 2 pixels on a side.
int ClipEdge(Size display, int requested);

// The stored frame's part shown as the centred square of `display` (the size as displayed:
// pixel aspect applied, turned by `transform`). Cropping before the scale keeps the scaler
// from converting pixels the square does not show. REQUIRES: display positive.
SquareCrop CentredSquare(Size display, const DisplayTransform& transform);

// The window: a video no longer than `seconds` (duration > 0) whole, from 0; otherwise
// `seconds` from `wanted`, moved back to end at `duration` when it would run past it, and
// never before 0. Unknown duration (0): `seconds` from `wanted`.
struct ClipWindow {
  double start = 0;
  double seconds = 0;
};
ClipWindow PlanWindow(double duration, double seconds, double wanted);

// The stream's frame rate capped at `max_fps`; an unknown rate becomes the cap, one under
// 1 fps becomes 1. REQUIRES: max_fps >= 1.
AVRational ClipRate(AVRational stream_rate, int max_fps);

// All of the above for a video displayed as `info` (width x height after rotation and pixel
// aspect, duration_seconds) whose stored frames `transform` turns upright, starting near
// `wanted_start`, whose stream declares `stream_rate`. plan.edge is 0 when the video is too
// small for a clip.
ClipPlan PlanClip(const ProbeInfo& info, const DisplayTransform& transform, double wanted_start,
                  AVRational stream_rate, const ClipOptions& options);

}  // namespace video

// The clip of the video at `path` as MP4 bytes (see ClipOptions in tessera/engine.h). Errors
// name the file: Unsupported (no video stream, only cover art, a video under 2 pixels, no
// H.264 encoder), Corrupt (nothing decodable), TooLarge (over options.max_bytes, frames over
// the decoder's limit), NotFound / PermissionDenied / IOError.
// REQUIRES: options valid (Engine::VideoClip checks them).
Result<std::string> MakeVideoClip(const std::string& path, const ClipOptions& options);

}  // namespace tessera::decoders

#endif  // TESSERA_DECODERS_VIDEO_CLIP_H_
