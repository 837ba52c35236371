// Every frame of a video, in order, from a given time: what a clip needs. VideoSource, the
// still thumbnail's reader, decodes as little as one frame needs (skipping frames nothing refers
// to) and keeps its demuxer to itself; a clip needs every frame.
//
// The same safety as VideoSource: only the file itself (protocol "file", the same list of
// containers, no referenced files), a deadline, packet budgets, one decoding thread, the same
// frame-size limit. Not thread-safe: one per call.
#ifndef TESSERA_DECODERS_VIDEO_CLIP_READER_H_
#define TESSERA_DECODERS_VIDEO_CLIP_READER_H_

#include <chrono>
#include <memory>
#include <string>

#include "src/decoders/video_ffmpeg.h"

namespace tessera::decoders::video {

class ClipReader {
 public:
  // Opens `path` and the stream VideoSource would choose, and its decoder. `log` (alive as
  // long as the reader) explains failures. Errors name the file.
  static Result<std::unique_ptr<ClipReader>> Open(const std::string& path,
                                                  const FfmpegLogCapture& log);
  ~ClipReader();
  ClipReader(const ClipReader&) = delete;
  ClipReader& operator=(const ClipReader&) = delete;

  AVRational time_base() const { return stream_->time_base; }
  // The stream's frame rate as FFmpeg guesses it; 0/1 when unknown.
  AVRational frame_rate() const;

  // From now on Next() returns frames at or after `seconds` (from the start of the stream):
  // seeks to the keyframe before it, or decodes from the start where seeking fails, lands late,
  // or lands on a keyframe whose followers decode damaged (a non-IDR I-frame they refer back
  // past). Frames before `seconds` are decoded and dropped, up to a budget in pixels; past it
  // they are returned (the clip then starts early rather than not at all).
  void SeekTo(double seconds);

  // The next frame, its pts set (the best-effort timestamp, else one frame after the last).
  // Null at the end of the stream or when the packet budget is spent. TooLarge for a frame
  // over kMaxFramePixels.
  Result<FramePtr> Next();

  // A pts of this stream in seconds from the start of the stream.
  double Seconds(int64_t pts) const;

 private:
  struct Deadline {
    std::chrono::steady_clock::time_point at;
  };
  ClipReader(std::string path, const FfmpegLogCapture& log);
  Status OpenInput();
  Status OpenStream();
  bool Rewind();
  bool ReadPacket();
  static int Interrupt(void* opaque);

  const std::string path_;
  const FfmpegLogCapture& log_;
  Deadline deadline_;
  FormatContextPtr format_;
  AVStream* stream_ = nullptr;  // owned by format_
  CodecContextPtr codec_;
  PacketPtr packet_;
  double start_ = 0;       // Next() skips frames before this
  bool draining_ = false;  // end of stream sent to the decoder
  bool sought_ = false;    // decoding from where a seek landed, not from the start
  bool first_after_seek_ = false;
  bool read_anything_ = false;
  double skipped_pixels_ = 0;  // decoded before start_ since the last SeekTo
  int64_t last_pts_ = AV_NOPTS_VALUE;
  int packets_read_ = 0;
  int other_packets_ = 0;
};

}  // namespace tessera::decoders::video

#endif  // TESSERA_DECODERS_VIDEO_CLIP_READER_H_
