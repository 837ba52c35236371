// One open video file: the demuxer, the stream chosen for the thumbnail and its decoder, with
// the mechanisms the frame picker needs (seek to a keyframe, decode forward). The policy of
// which frames to look at lives in video_pick.h.
//
// Safety: the demuxer may open nothing but the file itself (protocol "file", no external
// references, a list of known containers), gives up after a deadline, and every read or
// decode loop is capped in packets. Decoding uses one thread. Not thread-safe: one per call.
#ifndef TESSERA_DECODERS_VIDEO_SOURCE_H_
#define TESSERA_DECODERS_VIDEO_SOURCE_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "src/decoders/video_ffmpeg.h"
#include "src/decoders/video_geometry.h"
#include "tessera/engine.h"

namespace tessera::decoders::video {

// Frames (and declared stream sizes) larger than this are refused.
inline constexpr int64_t kMaxFramePixels = 100'000'000;

// The demuxers tessera opens: containers that read only the file they are given (no
// playlists, concat lists or other protocols).
inline constexpr const char* kVideoContainers =
    "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,ogg,mpeg,mpegts,asf,flv,ivf,mp3,flac";

// The video stream to read: FFmpeg's best one, but any real video stream before cover art.
// Returns its index, or FFmpeg's error (AVERROR_STREAM_NOT_FOUND when there is none).
int PickVideoStream(AVFormatContext* ctx);

class VideoSource {
 public:
  // Opens `path`, reads the header (avformat_find_stream_info) and picks the stream: the best
  // video stream, else an attached picture (cover art). Unsupported when there is none or the
  // container is not one we read; Corrupt when the header is truncated or missing; TooLarge
  // over kMaxFramePixels.
  static Result<std::unique_ptr<VideoSource>> Open(const std::string& path);
  ~VideoSource();
  VideoSource(const VideoSource&) = delete;
  VideoSource& operator=(const VideoSource&) = delete;

  const std::string& path() const { return path_; }
  // As displayed: width/height after sample aspect and rotation, orientation 1, format
  // "video", bands 3, pages 1, bits_per_sample, duration_seconds (0 when unknown).
  const ProbeInfo& info() const { return info_; }
  Size coded_size() const { return coded_; }
  const DisplayTransform& transform() const { return transform_; }
  bool is_attached_picture() const { return attached_picture_; }
  // The log of FFmpeg's complaints while this source is alive, for error messages.
  const FfmpegLogCapture& log() const { return log_; }

  // Opens the decoder. Unsupported for a codec FFmpeg cannot decode. Call once, first.
  Status OpenDecoder();

  // REQUIRES: is_attached_picture(), OpenDecoder() succeeded.
  Result<FramePtr> DecodeAttachedPicture();

  // Seeks to the last keyframe at or before `seconds` (from the start of the stream) and
  // reads up to its packet. Returns the keyframe's time, or nullopt when the container cannot
  // seek there or no keyframe follows (the position is then unspecified: see Rewind).
  std::optional<double> SeekToKeyframe(double seconds);
  // Goes back to the start of the stream for decoding forward from there (SeekToKeyframe
  // having failed). False when even that is impossible; the position is then unchanged.
  bool Rewind();
  // Decodes the keyframe packet SeekToKeyframe stopped at, by itself. Null when the decoder
  // gives no frame for it. REQUIRES: SeekToKeyframe returned a time.
  Result<FramePtr> DecodeKeyframe();
  // Decodes forward from the current position (after SeekToKeyframe, from its keyframe) to
  // the first frame at or after `seconds`; stops early after `max_packets` packets or at the
  // end. Returns the last frame decoded, null when none.
  Result<FramePtr> DecodeForwardTo(double seconds, int max_packets);

  // The time of the last frame DecodeForwardTo returned, when decoding may continue from it.
  std::optional<double> position() const { return position_; }
  // The keyframe at or before `seconds` according to the container's index; nullopt without
  // an index.
  std::optional<double> IndexedKeyframeAtOrBefore(double seconds) const;
  // A frame's time from the start of the stream, in seconds; nullopt when it has none.
  std::optional<double> FrameSeconds(const AVFrame& frame) const;
  // Packets of the chosen stream read so far.
  int packets_read() const { return packets_read_; }

 private:
  struct Deadline {
    std::chrono::steady_clock::time_point at;
  };

  explicit VideoSource(std::string path);
  Status OpenInput();
  Status ChooseStream();
  void DescribeStream();
  // Reads the next packet of our stream into packet_; false at the end, on a read error or
  // when the file's packet budget is spent.
  bool ReadPacket();
  // Receives a frame if the decoder has one ready; Result null when it needs more input.
  Result<FramePtr> ReceiveFrame(bool* finished);
  Status CheckFrameSize(const AVFrame& frame) const;
  int64_t ToStreamTime(double seconds) const;
  double ToSeconds(int64_t stream_time) const;
  static int Interrupt(void* opaque);

  const std::string path_;
  FfmpegLogCapture log_;
  Deadline deadline_;
  FormatContextPtr format_;
  AVStream* stream_ = nullptr;  // owned by format_
  CodecContextPtr codec_;
  PacketPtr packet_;
  bool have_key_packet_ = false;  // packet_ holds the keyframe SeekToKeyframe found
  bool draining_ = false;         // the decoder was sent end-of-stream; flush before reuse
  std::optional<double> position_;
  int packets_read_ = 0;   // of our stream
  int other_packets_ = 0;  // of other streams
  ProbeInfo info_;
  Size coded_;
  DisplayTransform transform_;
  bool attached_picture_ = false;
};

}  // namespace tessera::decoders::video

#endif  // TESSERA_DECODERS_VIDEO_SOURCE_H_
