#include "src/decoders/video_source.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <cmath>
#include <new>
#include <vector>

namespace tessera::decoders::video {
namespace {

// Demuxers that read only the file they are given. Playlists (hls, concat, ...) and image
// sequences, which open other files, are left out.
// Opening, probing, seeking and reading all stop when this runs out.
constexpr auto kDeadline = std::chrono::seconds(20);
// Packets of the video stream read per file, whatever the picker asks for; and to find a
// keyframe after a seek.
constexpr int kMaxPacketsPerFile = 2000;
constexpr int kMaxOtherPackets = 100'000;  // of other streams (audio), cheap to skip
constexpr int kMaxPacketsToKeyframe = 250;

int BitsPerSample(const AVCodecParameters& par) {
  const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(par.format));
  int bits = desc != nullptr ? desc->comp[0].depth : par.bits_per_raw_sample;
  return bits >= 8 && bits <= 16 ? bits : 8;
}

}  // namespace

VideoSource::VideoSource(std::string path) : path_(std::move(path)) {}

VideoSource::~VideoSource() = default;

int VideoSource::Interrupt(void* opaque) {
  const auto* deadline = static_cast<const Deadline*>(opaque);
  return std::chrono::steady_clock::now() > deadline->at ? 1 : 0;
}

Result<std::unique_ptr<VideoSource>> VideoSource::Open(const std::string& path) {
  InitFfmpegLogging();
  std::unique_ptr<VideoSource> source(new VideoSource(path));
  TESSERA_RETURN_IF_ERROR(source->OpenInput());
  TESSERA_RETURN_IF_ERROR(source->ChooseStream());
  source->DescribeStream();
  return source;
}

Status VideoSource::OpenInput() {
  AVFormatContext* ctx = avformat_alloc_context();
  if (ctx == nullptr) throw std::bad_alloc();
  deadline_.at = std::chrono::steady_clock::now() + kDeadline;
  ctx->interrupt_callback = AVIOInterruptCB{&VideoSource::Interrupt, &deadline_};
  AVDictionary* options = nullptr;
  av_dict_set(&options, "protocol_whitelist", "file", 0);
  av_dict_set(&options, "format_whitelist", kVideoContainers, 0);
  av_dict_set(&options, "enable_drefs", "0", 0);  // QuickTime: never open referenced files
  // "file:" so that a name with a colon ("a:b.mp4") is not taken for a protocol.
  const std::string url = "file:" + path_;
  const int err = avformat_open_input(&ctx, url.c_str(), nullptr, &options);
  av_dict_free(&options);
  if (err < 0) {  // avformat_open_input has freed ctx
    if (err == AVERROR(EINVAL)) {
      const std::string detail = log_.Detail();
      return Status::Unsupported(fmt::format("{}: not a video container tessera reads ({})", path_,
                                             detail.empty() ? AvErrorText(err) : detail));
    }
    if (err == AVERROR_EXIT) {  // Interrupt(): the deadline passed
      return Status::Corrupt(
          fmt::format("{}: reading the video's header took over {} s", path_, kDeadline.count()));
    }
    return AvStatus(path_, err, "truncated or incomplete video", log_);
  }
  format_.reset(ctx);
  // The probe may decode a frame or two per stream: under the same limits as our decoder.
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

int PickVideoStream(AVFormatContext* ctx) {
  int index = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (index < 0) return index;
  // Cover art comes second to any real video stream.
  if ((ctx->streams[index]->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0) {
    for (unsigned i = 0; i < ctx->nb_streams; ++i) {
      const AVStream* st = ctx->streams[i];
      if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && st->codecpar->width > 0 &&
          (st->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0) {
        return static_cast<int>(i);
      }
    }
  }
  return index;
}

Status VideoSource::ChooseStream() {
  AVFormatContext* ctx = format_.get();
  const int index = PickVideoStream(ctx);
  if (index == AVERROR_STREAM_NOT_FOUND) {
    return Status::Unsupported(fmt::format("{}: no video stream", path_));
  }
  if (index < 0) return AvStatus(path_, index, "cannot choose a video stream", log_);
  stream_ = ctx->streams[index];
  attached_picture_ = (stream_->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0;
  for (unsigned i = 0; i < ctx->nb_streams; ++i) {
    if (static_cast<int>(i) != index) ctx->streams[i]->discard = AVDISCARD_ALL;
  }
  const AVCodecParameters& par = *stream_->codecpar;
  if (par.width <= 0 || par.height <= 0) {
    // The probe's decoder refused the declared size: "Picture size 12000x12000 is invalid".
    if (log_.Saw("Picture size")) {
      return Status::TooLarge(fmt::format("{}: video frames over the {} MP limit ({})", path_,
                                          kMaxFramePixels / 1'000'000, log_.Detail()));
    }
    return Status::Corrupt(fmt::format("{}: the video stream has no frame size", path_));
  }
  if (static_cast<int64_t>(par.width) * par.height > kMaxFramePixels) {
    return Status::TooLarge(fmt::format("{}: {}x{} video frames are over the {} MP limit", path_,
                                        par.width, par.height, kMaxFramePixels / 1'000'000));
  }
  return Status::Ok();
}

void VideoSource::DescribeStream() {
  AVFormatContext* ctx = format_.get();
  const AVCodecParameters& par = *stream_->codecpar;
  coded_ = Size{par.width, par.height};
  const AVRational sar = av_guess_sample_aspect_ratio(ctx, stream_, nullptr);
  size_t matrix_size = 0;
  const uint8_t* matrix = av_stream_get_side_data(stream_, AV_PKT_DATA_DISPLAYMATRIX, &matrix_size);
  transform_ = TransformFromDisplayMatrix(matrix != nullptr && matrix_size >= 9 * sizeof(int32_t)
                                              ? reinterpret_cast<const int32_t*>(matrix)
                                              : nullptr);
  const Size display = DisplaySize(coded_, sar, transform_);

  info_.format = "video";
  info_.width = display.width;
  info_.height = display.height;
  info_.orientation = 1;
  info_.pages = 1;
  info_.bands = 3;
  info_.bits_per_sample = BitsPerSample(par);
  info_.interpretation = "srgb";
  if (ctx->duration > 0) {
    info_.duration_seconds = static_cast<double>(ctx->duration) / AV_TIME_BASE;
  } else if (stream_->duration > 0) {
    info_.duration_seconds = static_cast<double>(stream_->duration) * av_q2d(stream_->time_base);
  }
  if (ctx->pb != nullptr && avio_size(ctx->pb) > 0) info_.file_size = avio_size(ctx->pb);
  spdlog::debug("video: {}: {} {} stream #{}, {}x{} sar {}/{}, {}, shown {}x{}, {:.3f} s, {} bit",
                path_, ctx->iformat->name, avcodec_get_name(par.codec_id), stream_->index,
                par.width, par.height, sar.num, sar.den,
                transform_.IsIdentity() ? "upright" : transform_.Filters(), display.width,
                display.height, info_.duration_seconds, info_.bits_per_sample);
}

Status VideoSource::OpenDecoder() {
  const AVCodecParameters& par = *stream_->codecpar;
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
  codec_->thread_count = 1;  // parallelism comes from decoding several files at once
  codec_->max_pixels = kMaxFramePixels;
  err = avcodec_open2(codec_.get(), decoder, nullptr);
  if (err < 0) {
    return AvStatus(path_, err, fmt::format("cannot open the {} decoder", decoder->name), log_);
  }
  packet_ = MakePacket();
  return Status::Ok();
}

bool VideoSource::ReadPacket() {
  while (packets_read_ < kMaxPacketsPerFile && other_packets_ < kMaxOtherPackets) {
    av_packet_unref(packet_.get());
    const int err = av_read_frame(format_.get(), packet_.get());
    if (err < 0) {
      if (err != AVERROR_EOF) spdlog::debug("video: {}: read: {}", path_, AvErrorText(err));
      return false;
    }
    if (packet_->stream_index == stream_->index) {
      ++packets_read_;
      return true;
    }
    ++other_packets_;  // some demuxers (ogg) return discarded streams' packets all the same
  }
  spdlog::debug("video: {}: packet budget spent", path_);
  return false;
}

Status VideoSource::CheckFrameSize(const AVFrame& frame) const {
  if (frame.width <= 0 || frame.height <= 0) {
    return Status::Corrupt(fmt::format("{}: the decoder returned an empty frame", path_));
  }
  if (static_cast<int64_t>(frame.width) * frame.height > kMaxFramePixels) {
    return Status::TooLarge(
        fmt::format("{}: a {}x{} video frame is over the limit", path_, frame.width, frame.height));
  }
  return Status::Ok();
}

Result<FramePtr> VideoSource::ReceiveFrame(bool* finished) {
  FramePtr frame = MakeFrame();
  const int err = avcodec_receive_frame(codec_.get(), frame.get());
  if (err == 0) {
    TESSERA_RETURN_IF_ERROR(CheckFrameSize(*frame));
    return frame;
  }
  if (err == AVERROR_EOF) {
    *finished = true;
  } else if (err != AVERROR(EAGAIN)) {
    spdlog::debug("video: {}: decode: {}", path_, AvErrorText(err));
    *finished = draining_;  // nothing more will come out of a draining decoder
  }
  return FramePtr();
}

Result<FramePtr> VideoSource::DecodeAttachedPicture() {
  const AVPacket& picture = stream_->attached_pic;
  if (picture.size <= 0) {
    return Status::Corrupt(fmt::format("{}: the attached picture is empty", path_));
  }
  int err = avcodec_send_packet(codec_.get(), &picture);
  if (err < 0) return AvStatus(path_, err, "cannot decode the attached picture", log_);
  avcodec_send_packet(codec_.get(), nullptr);
  draining_ = true;
  bool finished = false;
  while (!finished) {
    TESSERA_ASSIGN_OR_RETURN(FramePtr frame, ReceiveFrame(&finished));
    if (frame != nullptr) return frame;
  }
  return Status::Corrupt(fmt::format("{}: cannot decode the attached picture ({})", path_,
                                     log_.Detail().empty() ? "no frame" : log_.Detail()));
}

std::optional<double> VideoSource::SeekToKeyframe(double seconds) {
  avcodec_flush_buffers(codec_.get());
  draining_ = false;
  position_.reset();
  have_key_packet_ = false;
  const int err =
      av_seek_frame(format_.get(), stream_->index, ToStreamTime(seconds), AVSEEK_FLAG_BACKWARD);
  if (err < 0) {
    spdlog::debug("video: {}: cannot seek to {:.3f} s: {}", path_, seconds, AvErrorText(err));
    return std::nullopt;
  }
  for (int i = 0; i < kMaxPacketsToKeyframe && ReadPacket(); ++i) {
    if ((packet_->flags & AV_PKT_FLAG_KEY) == 0) continue;
    have_key_packet_ = true;
    const int64_t pts = packet_->pts != AV_NOPTS_VALUE ? packet_->pts : packet_->dts;
    return pts != AV_NOPTS_VALUE ? ToSeconds(pts) : seconds;
  }
  return std::nullopt;
}

bool VideoSource::Rewind() {
  avcodec_flush_buffers(codec_.get());
  draining_ = false;
  position_.reset();
  have_key_packet_ = false;
  // Byte 0 where the container allows it: timestamp seeks are what failed us.
  int err = av_seek_frame(format_.get(), -1, 0, AVSEEK_FLAG_BYTE);
  if (err < 0) {
    err = av_seek_frame(format_.get(), stream_->index, ToStreamTime(0), AVSEEK_FLAG_BACKWARD);
  }
  if (err < 0) spdlog::debug("video: {}: cannot go back to the start: {}", path_, AvErrorText(err));
  return err >= 0;
}

Result<FramePtr> VideoSource::DecodeKeyframe() {
  have_key_packet_ = false;
  const int err = avcodec_send_packet(codec_.get(), packet_.get());
  if (err < 0) spdlog::debug("video: {}: keyframe: {}", path_, AvErrorText(err));
  bool finished = false;
  TESSERA_ASSIGN_OR_RETURN(FramePtr frame, ReceiveFrame(&finished));
  if (frame == nullptr && !finished) {
    // The decoder holds frames back for reordering; end the stream to get this one out.
    avcodec_send_packet(codec_.get(), nullptr);
    draining_ = true;
    TESSERA_ASSIGN_OR_RETURN(frame, ReceiveFrame(&finished));
  }
  if (frame != nullptr && !draining_) position_ = FrameSeconds(*frame);
  return frame;
}

Result<FramePtr> VideoSource::DecodeForwardTo(double seconds, int max_packets) {
  // Frames nothing refers to (B-frames, mostly) need not be decoded on the way.
  codec_->skip_frame = AVDISCARD_NONREF;
  struct Restore {
    AVCodecContext* codec;
    ~Restore() { codec->skip_frame = AVDISCARD_DEFAULT; }
  } restore{codec_.get()};
  FramePtr last;
  bool pending = have_key_packet_;  // the keyframe SeekToKeyframe stopped at goes first
  have_key_packet_ = false;
  int sent = 0;
  bool finished = draining_;
  while (!finished) {
    TESSERA_ASSIGN_OR_RETURN(FramePtr frame, ReceiveFrame(&finished));
    if (frame != nullptr) {
      const std::optional<double> at = FrameSeconds(*frame);
      last = std::move(frame);
      // A frame without a time ends the search: there is no telling how far it is.
      if (!at.has_value() || *at >= seconds - 1e-3) {
        position_ = draining_ ? std::nullopt : at;
        return last;
      }
      continue;
    }
    if (finished || draining_) break;
    if (pending) {
      pending = false;
    } else if (sent >= max_packets || !ReadPacket()) {
      avcodec_send_packet(codec_.get(), nullptr);  // out with what the decoder holds
      draining_ = true;
      continue;
    }
    ++sent;
    const int err = avcodec_send_packet(codec_.get(), packet_.get());
    if (err < 0) spdlog::debug("video: {}: skipping a packet: {}", path_, AvErrorText(err));
  }
  position_.reset();
  return last;
}

std::optional<double> VideoSource::IndexedKeyframeAtOrBefore(double seconds) const {
  if (avformat_index_get_entries_count(stream_) <= 0) return std::nullopt;
  const AVIndexEntry* entry =
      avformat_index_get_entry_from_timestamp(stream_, ToStreamTime(seconds), AVSEEK_FLAG_BACKWARD);
  if (entry == nullptr) return std::nullopt;
  return ToSeconds(entry->timestamp);
}

std::optional<double> VideoSource::FrameSeconds(const AVFrame& frame) const {
  int64_t ts = frame.best_effort_timestamp;
  if (ts == AV_NOPTS_VALUE) ts = frame.pts;
  if (ts == AV_NOPTS_VALUE) return std::nullopt;
  return ToSeconds(ts);
}

int64_t VideoSource::ToStreamTime(double seconds) const {
  const int64_t start = stream_->start_time != AV_NOPTS_VALUE ? stream_->start_time : 0;
  const int64_t micros = std::llround(seconds * AV_TIME_BASE);
  return start + av_rescale_q(micros, AV_TIME_BASE_Q, stream_->time_base);
}

double VideoSource::ToSeconds(int64_t stream_time) const {
  const int64_t start = stream_->start_time != AV_NOPTS_VALUE ? stream_->start_time : 0;
  return static_cast<double>(stream_time - start) * av_q2d(stream_->time_base);
}

}  // namespace tessera::decoders::video
