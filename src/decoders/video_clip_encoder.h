// Decoded frames in, a clip's MP4 out: one libavfilter graph (the frame rate capped, the part of
// the stored frame shown as the centred square cut out, then the still thumbnail's own
// conversion: lanczos to the square reading the frame's YCbCr matrix and range, HDR tone-mapped
// to SDR, turned upright; then BT.709 limited-range yuv420p), libx264, and the MP4 in memory.
#ifndef TESSERA_DECODERS_VIDEO_CLIP_ENCODER_H_
#define TESSERA_DECODERS_VIDEO_CLIP_ENCODER_H_

#include <memory>
#include <string>

#include "src/decoders/video_clip.h"
#include "src/decoders/video_clip_mp4.h"
#include "src/decoders/video_ffmpeg.h"
#include "src/decoders/video_geometry.h"

namespace tessera::decoders::video {

// The filters from a decoded frame (after FillUnspecifiedColour) to the clip's frames, for
// `plan`, `transform` the turn that makes the stream upright. For logs and tests.
std::string ClipFilters(const AVFrame& frame, const ClipPlan& plan,
                        const DisplayTransform& transform);

class ClipEncoder {
 public:
  // Opens libx264 (options.preset, options.crf, one thread) for plan.edge x plan.edge at
  // plan.rate, and the MP4 behind it (up to options.max_bytes). Frames will come in
  // `input_time_base`. Unsupported when FFmpeg has no libx264. Errors name `path`.
  static Result<std::unique_ptr<ClipEncoder>> Open(const std::string& path, const ClipPlan& plan,
                                                   const DisplayTransform& transform,
                                                   AVRational input_time_base,
                                                   const ClipOptions& options,
                                                   const FfmpegLogCapture& log);
  ~ClipEncoder();
  ClipEncoder(const ClipEncoder&) = delete;
  ClipEncoder& operator=(const ClipEncoder&) = delete;

  // Filters and encodes one decoded frame (pts in the input time base). The graph is built for
  // the first frame; a frame of another size or pixel format ends the clip there.
  Status Add(AVFrame& frame);
  // The clip is complete (plan.max_frames frames, or the stream changed): add no more.
  bool full() const { return full_; }
  int frames_added() const { return frames_added_; }
  int frames_encoded() const { return frames_encoded_; }

  // Flushes the graph and the encoder and returns the MP4. Corrupt when no frame was added.
  Result<std::string> Finish();

 private:
  ClipEncoder(const std::string& path, const ClipPlan& plan, const DisplayTransform& transform,
              AVRational input_time_base, const FfmpegLogCapture& log);
  Status OpenEncoder(const ClipOptions& options);
  Status BuildGraph(AVFrame& frame);
  Status Push(AVFrame* frame);  // null: end of stream
  Status Encode(AVFrame* frame);
  Status Fail(int err, const std::string& what) const;

  const std::string path_;
  const ClipPlan plan_;
  const DisplayTransform transform_;
  const AVRational input_time_base_;
  const FfmpegLogCapture& log_;
  CodecContextPtr encoder_;
  std::unique_ptr<MemoryMp4> mp4_;
  FilterGraphPtr graph_;
  AVFilterContext* source_ = nullptr;         // owned by graph_
  AVFilterContext* sink_ = nullptr;           // owned by graph_
  int width_ = 0, height_ = 0, format_ = -1;  // of the frames the graph takes
  bool sdr_fallback_ = false;           // HDR frames the tone mapper refused: converted as SDR
  int64_t last_pts_ = 0;                // of the last frame added, in the input time base
  int64_t first_pts_ = AV_NOPTS_VALUE;  // of the clip's first frame, in the encoder's time base
  int frames_added_ = 0;
  int frames_encoded_ = 0;
  bool full_ = false;
};

}  // namespace tessera::decoders::video

#endif  // TESSERA_DECODERS_VIDEO_CLIP_ENCODER_H_
