// An MP4 muxed into memory, its moov box first ("+faststart": a browser can play it before it
// has the whole file). The helper may not write files, so the mov muxer writes to a growable
// buffer through write and seek callbacks (it seeks back to fill in box sizes), and its
// faststart pass, which reopens its output to move the media data behind the moov box, gets a
// read-only view of the same buffer.
#ifndef TESSERA_DECODERS_VIDEO_CLIP_MP4_H_
#define TESSERA_DECODERS_VIDEO_CLIP_MP4_H_

#include <cstdint>
#include <memory>
#include <string>

#include "src/decoders/video_ffmpeg.h"

namespace tessera::decoders::video {

class MemoryMp4 {
 public:
  // Writes the header of an MP4 with one video stream described by `encoder` (opened, with
  // AV_CODEC_FLAG_GLOBAL_HEADER). The file may grow to `max_bytes`; past that writes fail and
  // Write/Finish return TooLarge. Errors name `path`, the video the clip is made of.
  static Result<std::unique_ptr<MemoryMp4>> Create(const std::string& path,
                                                   const AVCodecContext& encoder,
                                                   uint64_t max_bytes, const FfmpegLogCapture& log);
  ~MemoryMp4();
  MemoryMp4(const MemoryMp4&) = delete;
  MemoryMp4& operator=(const MemoryMp4&) = delete;

  // Muxes one encoded packet, its times in `time_base` (the encoder's).
  Status Write(AVPacket& packet, AVRational time_base);

  // Writes the trailer (the faststart pass moves the moov box to the front) and returns the
  // file's bytes. Call once.
  Result<std::string> Finish();

  struct File;  // the buffer and its write position (video_clip_mp4.cc)

 private:
  struct IoFree {
    void operator()(AVIOContext* io) const;
  };
  struct OutputFree {
    void operator()(AVFormatContext* format) const { avformat_free_context(format); }
  };

  MemoryMp4(const std::string& path, uint64_t max_bytes, const FfmpegLogCapture& log);
  Status Check(int err, const char* what) const;

  const std::string path_;
  const FfmpegLogCapture& log_;
  // Destroyed in reverse: the muxer, then its output, then the buffer.
  std::unique_ptr<File> file_;
  std::unique_ptr<AVIOContext, IoFree> io_;  // writes to file_
  std::unique_ptr<AVFormatContext, OutputFree> format_;
  AVStream* stream_ = nullptr;  // owned by format_
  bool finished_ = false;
};

}  // namespace tessera::decoders::video

#endif  // TESSERA_DECODERS_VIDEO_CLIP_MP4_H_
