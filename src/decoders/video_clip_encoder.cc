#include "src/decoders/video_clip_encoder.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/opt.h>
}

#include <new>

#include "src/decoders/video_convert.h"

namespace tessera::decoders::video {
namespace {

struct InOutFree {
  void operator()(AVFilterInOut* io) const { avfilter_inout_free(&io); }
};
using InOutPtr = std::unique_ptr<AVFilterInOut, InOutFree>;

}  // namespace

std::string ClipFilters(const AVFrame& frame, const ClipPlan& plan,
                        const DisplayTransform& transform) {
  // Frames are dropped and cropped first, so that only shown pixels of kept frames are scaled.
  // Then the still's own conversion, through full-range RGB: the clip's colours are the
  // still's, HDR included.
  return fmt::format(
      "fps=fps={}/{},crop=w=round(iw*{:.6f}):h=round(ih*{:.6f}),{},"
      "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p",
      plan.rate.num, plan.rate.den, plan.crop.width, plan.crop.height,
      ConversionFilters(frame, Size{plan.edge, plan.edge}, transform));
}

ClipEncoder::ClipEncoder(const std::string& path, const ClipPlan& plan,
                         const DisplayTransform& transform, AVRational input_time_base,
                         const FfmpegLogCapture& log)
    : path_(path),
      plan_(plan),
      transform_(transform),
      input_time_base_(input_time_base),
      log_(log) {}

ClipEncoder::~ClipEncoder() = default;

Status ClipEncoder::Fail(int err, const std::string& what) const {
  const std::string detail = log_.Detail();
  return Status::Internal(
      fmt::format("{}: {} ({})", path_, what, detail.empty() ? AvErrorText(err) : detail));
}

Result<std::unique_ptr<ClipEncoder>> ClipEncoder::Open(
    const std::string& path, const ClipPlan& plan, const DisplayTransform& transform,
    AVRational input_time_base, const ClipOptions& options, const FfmpegLogCapture& log) {
  std::unique_ptr<ClipEncoder> encoder(
      new ClipEncoder(path, plan, transform, input_time_base, log));
  TESSERA_RETURN_IF_ERROR(encoder->OpenEncoder(options));
  TESSERA_ASSIGN_OR_RETURN(encoder->mp4_,
                           MemoryMp4::Create(path, *encoder->encoder_, options.max_bytes, log));
  return encoder;
}

Status ClipEncoder::OpenEncoder(const ClipOptions& options) {
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (codec == nullptr) {
    return Status::Unsupported(path_ + ": no clip: this FFmpeg has no libx264 encoder");
  }
  encoder_.reset(avcodec_alloc_context3(codec));
  if (encoder_ == nullptr) throw std::bad_alloc();
  AVCodecContext& c = *encoder_;
  c.width = plan_.edge;
  c.height = plan_.edge;
  c.pix_fmt = AV_PIX_FMT_YUV420P;
  c.time_base = av_inv_q(plan_.rate);
  c.framerate = plan_.rate;
  c.sample_aspect_ratio = AVRational{1, 1};
  c.color_range = AVCOL_RANGE_MPEG;
  c.colorspace = AVCOL_SPC_BT709;
  c.color_primaries = AVCOL_PRI_BT709;
  c.color_trc = AVCOL_TRC_BT709;
  c.thread_count = 1;  // parallelism comes from working on several files at once
  c.flags |= AV_CODEC_FLAG_GLOBAL_HEADER;  // MP4 keeps SPS and PPS in its avcC box
  AVDictionary* opts = nullptr;
  av_dict_set(&opts, "preset", options.preset.c_str(), 0);
  av_dict_set(&opts, "crf", std::to_string(options.crf).c_str(), 0);
  const int err = avcodec_open2(encoder_.get(), codec, &opts);
  av_dict_free(&opts);
  if (err < 0) return Fail(err, "cannot open the libx264 encoder");
  return Status::Ok();
}

Status ClipEncoder::BuildGraph(AVFrame& frame) {
  const std::string filters = ClipFilters(frame, plan_, transform_);
  spdlog::debug("video: {}: clip filters {}", path_, filters);
  graph_.reset(avfilter_graph_alloc());
  if (graph_ == nullptr) throw std::bad_alloc();
  graph_->nb_threads = 1;
  const std::string args =
      fmt::format("video_size={}x{}:pix_fmt={}:time_base={}/{}:pixel_aspect=1/1", frame.width,
                  frame.height, frame.format, input_time_base_.num, input_time_base_.den);
  int err = avfilter_graph_create_filter(&source_, avfilter_get_by_name("buffer"), "in",
                                         args.c_str(), nullptr, graph_.get());
  if (err >= 0) {
    err = avfilter_graph_create_filter(&sink_, avfilter_get_by_name("buffersink"), "out", nullptr,
                                       nullptr, graph_.get());
  }
  if (err >= 0) {
    const enum AVPixelFormat formats[] = {AV_PIX_FMT_YUV420P, AV_PIX_FMT_NONE};
    err = av_opt_set_int_list(sink_, "pix_fmts", formats, AV_PIX_FMT_NONE, AV_OPT_SEARCH_CHILDREN);
  }
  if (err < 0) return Fail(err, "libavfilter");
  InOutPtr outputs(avfilter_inout_alloc());
  InOutPtr inputs(avfilter_inout_alloc());
  if (outputs == nullptr || inputs == nullptr) throw std::bad_alloc();
  outputs->name = av_strdup("in");
  outputs->filter_ctx = source_;
  inputs->name = av_strdup("out");
  inputs->filter_ctx = sink_;
  AVFilterInOut* in = inputs.release();
  AVFilterInOut* out = outputs.release();
  err = avfilter_graph_parse_ptr(graph_.get(), filters.c_str(), &in, &out, nullptr);
  InOutPtr left_in(in), left_out(out);
  if (err >= 0) err = avfilter_graph_config(graph_.get(), nullptr);
  if (err < 0) return Fail(err, "libavfilter: " + filters);
  width_ = frame.width;
  height_ = frame.height;
  format_ = frame.format;
  return Status::Ok();
}

Status ClipEncoder::Add(AVFrame& frame) {
  assert(!full_);
  FillUnspecifiedColour(frame);
  if (sdr_fallback_) frame.color_trc = AVCOL_TRC_BT709;
  if (graph_ != nullptr &&
      (frame.width != width_ || frame.height != height_ || frame.format != format_)) {
    spdlog::debug("video: {}: the stream changes to {}x{}; the clip ends there", path_, frame.width,
                  frame.height);
    full_ = true;
    return Status::Ok();
  }
  Status status = graph_ == nullptr ? BuildGraph(frame) : Status::Ok();
  if (status.ok()) status = Push(&frame);
  if (!status.ok() && IsHdr(frame) && !sdr_fallback_ && frames_encoded_ == 0 &&
      status.code() == StatusCode::kInternal) {
    // zimg refuses some colour tags: better a clip without tone mapping than none (as the
    // still does).
    spdlog::debug("video: {}: {}; the clip goes without tone mapping", path_, status.ToString());
    sdr_fallback_ = true;
    frame.color_trc = AVCOL_TRC_BT709;
    status = BuildGraph(frame);
    if (status.ok()) status = Push(&frame);
  }
  if (status.ok()) ++frames_added_;
  return status;
}

Status ClipEncoder::Push(AVFrame* frame) {
  int err = 0;
  if (frame != nullptr) {
    err = av_buffersrc_add_frame_flags(source_, frame, AV_BUFFERSRC_FLAG_KEEP_REF);
    last_pts_ = frame->pts;
  } else {
    // The stream ends one output frame after the last frame, so that the fps filter lets
    // that frame out too (at its own time it would be the end, shown for no time at all).
    const int64_t end = last_pts_ + av_rescale_q(1, av_inv_q(plan_.rate), input_time_base_);
    err = av_buffersrc_close(source_, end, AV_BUFFERSRC_FLAG_PUSH);
  }
  if (err < 0) return Fail(err, "libavfilter");
  FramePtr out = MakeFrame();
  while (!full_) {
    err = av_buffersink_get_frame(sink_, out.get());
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) break;
    if (err < 0) return Fail(err, "libavfilter");
    const Status encoded = Encode(out.get());
    av_frame_unref(out.get());
    TESSERA_RETURN_IF_ERROR(encoded);
  }
  return Status::Ok();
}

Status ClipEncoder::Encode(AVFrame* frame) {
  if (frame != nullptr) {
    const int64_t pts =
        av_rescale_q(frame->pts, av_buffersink_get_time_base(sink_), encoder_->time_base);
    if (first_pts_ == AV_NOPTS_VALUE) first_pts_ = pts;
    frame->pts = pts - first_pts_;
    if (frame->pts < 0) return Status::Ok();  // out of order: drop it
    if (frame->pts >= plan_.max_frames) {
      full_ = true;
      return Status::Ok();
    }
    frame->pict_type = AV_PICTURE_TYPE_NONE;
    ++frames_encoded_;
  }
  int err = avcodec_send_frame(encoder_.get(), frame);
  if (err < 0) return Fail(err, "libx264");
  PacketPtr packet = MakePacket();
  while ((err = avcodec_receive_packet(encoder_.get(), packet.get())) >= 0) {
    if (packet->duration <= 0) packet->duration = 1;  // one frame: the last one counts too
    TESSERA_RETURN_IF_ERROR(mp4_->Write(*packet, encoder_->time_base));
    av_packet_unref(packet.get());
  }
  if (err != AVERROR(EAGAIN) && err != AVERROR_EOF) return Fail(err, "libx264");
  return Status::Ok();
}

Result<std::string> ClipEncoder::Finish() {
  if (frames_added_ == 0 || graph_ == nullptr) {
    return Status::Corrupt(fmt::format("{}: no video frame could be decoded ({})", path_,
                                       log_.Detail().empty() ? "no frame data" : log_.Detail()));
  }
  if (!full_) TESSERA_RETURN_IF_ERROR(Push(nullptr));  // the frames the fps filter holds
  TESSERA_RETURN_IF_ERROR(Encode(nullptr));
  if (frames_encoded_ == 0) {
    return Status::Corrupt(fmt::format("{}: no video frame came out of the clip's filters", path_));
  }
  spdlog::debug("video: {}: clip of {} frames from {} decoded", path_, frames_encoded_,
                frames_added_);
  return mp4_->Finish();
}

}  // namespace tessera::decoders::video
