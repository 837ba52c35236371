#include "src/decoders/video_clip_reader.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <new>
#include <vector>

#include "src/decoders/video_source.h"

namespace tessera::decoders::video {
namespace {

// Opening, seeking and reading the whole window stop when this runs out (the helper's own
// wall-clock limit is the backstop).
constexpr auto kDeadline = std::chrono::seconds(25);
// Packets of the video stream per clip: a long GOP before the window plus the window itself
// (3 s of 240 fps is 720).
constexpr int kMaxPackets = 3000;
constexpr int kMaxOtherPackets = 100'000;
// Frames decoded only to reach the window: 300 frames of 1080p (about 10 s of a long-GOP
// phone video), 75 of 4K.
constexpr double kMaxSkippedPixels = 300.0 * 1920 * 1080;
// A seek whose first frame is this far past the wanted time landed late (MPEG-TS): decode
// from the start instead.
constexpr double kLateSeekSeconds = 0.5;

}  // namespace

ClipReader::ClipReader(std::string path, const FfmpegLogCapture& log)
    : path_(std::move(path)), log_(log) {}

ClipReader::~ClipReader() = default;

int ClipReader::Interrupt(void* opaque) {
  const auto* deadline = static_cast<const Deadline*>(opaque);
  return std::chrono::steady_clock::now() > deadline->at ? 1 : 0;
}

Result<std::unique_ptr<ClipReader>> ClipReader::Open(const std::string& path,
                                                     const FfmpegLogCapture& log) {
  InitFfmpegLogging();
  std::unique_ptr<ClipReader> reader(new ClipReader(path, log));
  TESSERA_RETURN_IF_ERROR(reader->OpenInput());
  TESSERA_RETURN_IF_ERROR(reader->OpenStream());
  return reader;
}

Status ClipReader::OpenInput() {
  AVFormatContext* ctx = avformat_alloc_context();
  if (ctx == nullptr) throw std::bad_alloc();
  deadline_.at = std::chrono::steady_clock::now() + kDeadline;
  ctx->interrupt_callback = AVIOInterruptCB{&ClipReader::Interrupt, &deadline_};
  AVDictionary* options = nullptr;
  av_dict_set(&options, "protocol_whitelist", "file", 0);
  av_dict_set(&options, "format_whitelist", kVideoContainers, 0);
  av_dict_set(&options, "enable_drefs", "0", 0);
  const std::string url = "file:" + path_;
  const int err = avformat_open_input(&ctx, url.c_str(), nullptr, &options);
  av_dict_free(&options);
  if (err == AVERROR(EINVAL)) {
    return Status::Unsupported(fmt::format("{}: not a video container tessera reads", path_));
  }
  if (err < 0) return AvStatus(path_, err, "truncated or incomplete video", log_);
  format_.reset(ctx);
  std::vector<AVDictionary*> stream_options(ctx->nb_streams, nullptr);
  for (AVDictionary*& o : stream_options) {
    av_dict_set(&o, "threads", "1", 0);
    av_dict_set_int(&o, "max_pixels", kMaxFramePixels, 0);
  }
  const int info = avformat_find_stream_info(ctx, stream_options.data());
  for (AVDictionary*& o : stream_options) av_dict_free(&o);
  if (info < 0) return AvStatus(path_, info, "cannot read the video's streams", log_);
  return Status::Ok();
}

Status ClipReader::OpenStream() {
  AVFormatContext* ctx = format_.get();
  const int index = PickVideoStream(ctx);  // the still thumbnail's choice
  if (index == AVERROR_STREAM_NOT_FOUND) {
    return Status::Unsupported(fmt::format("{}: no video stream", path_));
  }
  if (index < 0) return AvStatus(path_, index, "cannot choose a video stream", log_);
  stream_ = ctx->streams[index];
  if ((stream_->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0) {
    return Status::Unsupported(fmt::format("{}: only a still picture (cover art): no clip", path_));
  }
  for (unsigned i = 0; i < ctx->nb_streams; ++i) {
    if (static_cast<int>(i) != index) ctx->streams[i]->discard = AVDISCARD_ALL;
  }
  const AVCodecParameters& par = *stream_->codecpar;
  if (par.width <= 0 || par.height <= 0) {
    return Status::Corrupt(fmt::format("{}: the video stream has no frame size", path_));
  }
  if (static_cast<int64_t>(par.width) * par.height > kMaxFramePixels) {
    return Status::TooLarge(fmt::format("{}: {}x{} video frames are over the {} MP limit", path_,
                                        par.width, par.height, kMaxFramePixels / 1'000'000));
  }
  const AVCodec* decoder = avcodec_find_decoder(par.codec_id);
  if (decoder == nullptr) {
    return Status::Unsupported(
        fmt::format("{}: unsupported video codec {}", path_, avcodec_get_name(par.codec_id)));
  }
  codec_.reset(avcodec_alloc_context3(decoder));
  if (codec_ == nullptr) throw std::bad_alloc();
  int err = avcodec_parameters_to_context(codec_.get(), &par);
  if (err < 0) return AvStatus(path_, err, "cannot set up the video decoder", log_);
  codec_->pkt_timebase = stream_->time_base;
  codec_->thread_count = 1;  // parallelism comes from working on several files at once
  codec_->max_pixels = kMaxFramePixels;
  err = avcodec_open2(codec_.get(), decoder, nullptr);
  if (err < 0) {
    return AvStatus(path_, err, fmt::format("cannot open the {} decoder", decoder->name), log_);
  }
  packet_ = MakePacket();
  return Status::Ok();
}

AVRational ClipReader::frame_rate() const {
  const AVRational rate = av_guess_frame_rate(format_.get(), stream_, nullptr);
  return rate.num > 0 && rate.den > 0 ? rate : AVRational{0, 1};
}

double ClipReader::Seconds(int64_t pts) const {
  const int64_t start = stream_->start_time != AV_NOPTS_VALUE ? stream_->start_time : 0;
  return static_cast<double>(pts - start) * av_q2d(stream_->time_base);
}

void ClipReader::SeekTo(double seconds) {
  start_ = std::max(0.0, seconds);
  skipped_pixels_ = 0;
  sought_ = false;
  first_after_seek_ = false;
  if (start_ <= 0 && !read_anything_) return;  // already at the start
  avcodec_flush_buffers(codec_.get());
  draining_ = false;
  last_pts_ = AV_NOPTS_VALUE;
  const int64_t start = stream_->start_time != AV_NOPTS_VALUE ? stream_->start_time : 0;
  const int64_t target =
      start + av_rescale_q(std::llround(start_ * AV_TIME_BASE), AV_TIME_BASE_Q, stream_->time_base);
  const int err = av_seek_frame(format_.get(), stream_->index, target, AVSEEK_FLAG_BACKWARD);
  if (err < 0) {
    spdlog::debug("video: {}: cannot seek to {:.3f} s: {}", path_, start_, AvErrorText(err));
    if (read_anything_) Rewind();
    return;
  }
  sought_ = start_ > 0;
  first_after_seek_ = sought_;
}

bool ClipReader::Rewind() {
  avcodec_flush_buffers(codec_.get());
  draining_ = false;
  last_pts_ = AV_NOPTS_VALUE;
  sought_ = false;
  first_after_seek_ = false;
  skipped_pixels_ = 0;
  int err = av_seek_frame(format_.get(), -1, 0, AVSEEK_FLAG_BYTE);
  if (err < 0) err = av_seek_frame(format_.get(), stream_->index, 0, AVSEEK_FLAG_BACKWARD);
  if (err < 0) spdlog::debug("video: {}: cannot go back to the start: {}", path_, AvErrorText(err));
  return err >= 0;
}

bool ClipReader::ReadPacket() {
  while (packets_read_ < kMaxPackets && other_packets_ < kMaxOtherPackets) {
    av_packet_unref(packet_.get());
    const int err = av_read_frame(format_.get(), packet_.get());
    read_anything_ = true;
    if (err < 0) {
      if (err != AVERROR_EOF) spdlog::debug("video: {}: read: {}", path_, AvErrorText(err));
      return false;
    }
    if (packet_->stream_index == stream_->index) {
      ++packets_read_;
      return true;
    }
    ++other_packets_;
  }
  spdlog::debug("video: {}: packet budget spent", path_);
  return false;
}

Result<FramePtr> ClipReader::Next() {
  while (true) {
    FramePtr frame = MakeFrame();
    const int err = avcodec_receive_frame(codec_.get(), frame.get());
    if (err == 0) {
      if (frame->width <= 0 || frame->height <= 0) continue;
      if (static_cast<int64_t>(frame->width) * frame->height > kMaxFramePixels) {
        return Status::TooLarge(fmt::format("{}: a {}x{} video frame is over the limit", path_,
                                            frame->width, frame->height));
      }
      int64_t pts = frame->best_effort_timestamp;
      if (pts == AV_NOPTS_VALUE) pts = frame->pts;
      if (pts == AV_NOPTS_VALUE) {  // count on from the last frame
        const AVRational rate = frame_rate();
        const int64_t step =
            rate.num > 0 ? std::max<int64_t>(1, av_rescale_q(1, av_inv_q(rate), time_base())) : 1;
        pts = last_pts_ != AV_NOPTS_VALUE ? last_pts_ + step : 0;
      }
      frame->pts = last_pts_ = pts;
      const double at = Seconds(pts);
      if (sought_ && frame->decode_error_flags != 0) {
        // The keyframe the index pointed at was no place to start (a non-IDR I-frame whose
        // followers refer back past it): error-concealed garbage. Decode from the start.
        spdlog::debug("video: {}: damaged frames after the seek to {:.3f} s; from the start", path_,
                      start_);
        Rewind();
        continue;
      }
      if (first_after_seek_) {
        first_after_seek_ = false;
        if (at > start_ + kLateSeekSeconds) {
          spdlog::debug("video: {}: the seek to {:.3f} s landed at {:.3f} s; from the start", path_,
                        start_, at);
          Rewind();
          continue;
        }
      }
      if (at < start_ - 1e-3 && skipped_pixels_ < kMaxSkippedPixels) {
        skipped_pixels_ += static_cast<double>(frame->width) * frame->height;
        continue;
      }
      return frame;
    }
    if (err == AVERROR_EOF) return FramePtr();
    if (err != AVERROR(EAGAIN)) spdlog::debug("video: {}: decode: {}", path_, AvErrorText(err));
    if (draining_) return FramePtr();
    if (!ReadPacket()) {
      avcodec_send_packet(codec_.get(), nullptr);  // out with what the decoder holds
      draining_ = true;
      continue;
    }
    const int sent = avcodec_send_packet(codec_.get(), packet_.get());
    if (sent < 0) spdlog::debug("video: {}: skipping a packet: {}", path_, AvErrorText(sent));
  }
}

}  // namespace tessera::decoders::video
