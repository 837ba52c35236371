// FFmpeg plumbing for the video decoder: owning handles for FFmpeg's C objects, FFmpeg's log
// routed to spdlog, and FFmpeg error codes turned into Status values that name the file.
#ifndef TESSERA_DECODERS_VIDEO_FFMPEG_H_
#define TESSERA_DECODERS_VIDEO_FFMPEG_H_

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

#include <memory>
#include <string>
#include <string_view>

#include "tessera/status.h"

namespace tessera::decoders::video {

struct FormatContextCloser {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct CodecContextFree {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameFree {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketFree {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct FilterGraphFree {
  void operator()(AVFilterGraph* g) const { avfilter_graph_free(&g); }
};
struct SwsFree {
  void operator()(SwsContext* s) const { sws_freeContext(s); }
};

using FormatContextPtr = std::unique_ptr<AVFormatContext, FormatContextCloser>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextFree>;
using FramePtr = std::unique_ptr<AVFrame, FrameFree>;
using PacketPtr = std::unique_ptr<AVPacket, PacketFree>;
using FilterGraphPtr = std::unique_ptr<AVFilterGraph, FilterGraphFree>;
using SwsPtr = std::unique_ptr<SwsContext, SwsFree>;

// Never null: allocation failure throws std::bad_alloc, as operator new does.
FramePtr MakeFrame();
PacketPtr MakePacket();

// Routes FFmpeg's log (warnings and errors only) to spdlog::debug, once per process.
// Thread-safe.
void InitFfmpegLogging();

// While alive, records the last error (else warning) FFmpeg logs on this thread, so a failure
// can say why ("moov atom not found") rather than only "Invalid data found". Not nestable.
class FfmpegLogCapture {
 public:
  FfmpegLogCapture();
  ~FfmpegLogCapture();
  FfmpegLogCapture(const FfmpegLogCapture&) = delete;
  FfmpegLogCapture& operator=(const FfmpegLogCapture&) = delete;

  // The last error message, else the last warning, else "". One line.
  std::string Detail() const;
  // Whether one of the last 16 warnings or errors contains `text`.
  bool Saw(std::string_view text) const;
};

// av_strerror's text for `err`.
std::string AvErrorText(int err);

// A Status for FFmpeg error `err` while doing `what` on `path`:
// "<path>: <what> (<detail>)", detail being the captured log line or av_strerror's text.
// Missing or unreadable files map to NotFound/PermissionDenied/IOError, invalid or
// truncated data to Corrupt, unknown codecs and formats to Unsupported.
Status AvStatus(const std::string& path, int err, std::string_view what,
                const FfmpegLogCapture& log);

}  // namespace tessera::decoders::video

#endif  // TESSERA_DECODERS_VIDEO_FFMPEG_H_
