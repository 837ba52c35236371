#include "src/decoders/video_convert.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include <cstring>
#include <vector>

namespace tessera::decoders::video {
namespace {

constexpr const char* kScaleFlags = "lanczos+accurate_rnd+full_chroma_int";

// HDR to SDR on the already small frame: to linear light (100 nits = 1.0), BT.2020 to BT.709
// primaries, then a tone curve. mobius keeps SDR-range light as it is and rolls highlights
// off; hable (the usual choice) left an SDR-mastered PQ clip 36 levels darker than its SDR
// original, mobius within 1 (measured on the test clips, see video_derived_test.cc).
constexpr const char* kToneMap =
    "zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,"
    "tonemap=tonemap=mobius:desat=0,zscale=t=bt709:m=bt709:r=pc,format=gbrp";

bool IsYuv(const AVFrame& frame) {
  const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(frame.format));
  return desc != nullptr && (desc->flags & AV_PIX_FMT_FLAG_RGB) == 0 && desc->nb_components >= 3;
}

// The graph's own AVFilterInOut lists, freed however parsing ends.
struct InOutFree {
  void operator()(AVFilterInOut* io) const { avfilter_inout_free(&io); }
};
using InOutPtr = std::unique_ptr<AVFilterInOut, InOutFree>;

Result<FilterGraphPtr> BuildGraph(const std::string& path, const AVFrame& frame,
                                  const std::string& filters, AVFilterContext** source,
                                  AVFilterContext** sink) {
  FilterGraphPtr graph(avfilter_graph_alloc());
  if (graph == nullptr) throw std::bad_alloc();
  graph->nb_threads = 1;
  const std::string args =
      fmt::format("video_size={}x{}:pix_fmt={}:time_base=1/25:pixel_aspect=1/1", frame.width,
                  frame.height, frame.format);
  int err = avfilter_graph_create_filter(source, avfilter_get_by_name("buffer"), "in", args.c_str(),
                                         nullptr, graph.get());
  if (err >= 0) {
    err = avfilter_graph_create_filter(sink, avfilter_get_by_name("buffersink"), "out", nullptr,
                                       nullptr, graph.get());
  }
  if (err >= 0) {
    const enum AVPixelFormat formats[] = {AV_PIX_FMT_RGB24, AV_PIX_FMT_NONE};
    err = av_opt_set_int_list(*sink, "pix_fmts", formats, AV_PIX_FMT_NONE, AV_OPT_SEARCH_CHILDREN);
  }
  if (err < 0) return Status::Internal(fmt::format("{}: libavfilter: {}", path, AvErrorText(err)));
  InOutPtr outputs(avfilter_inout_alloc());
  InOutPtr inputs(avfilter_inout_alloc());
  if (outputs == nullptr || inputs == nullptr) throw std::bad_alloc();
  outputs->name = av_strdup("in");
  outputs->filter_ctx = *source;
  inputs->name = av_strdup("out");
  inputs->filter_ctx = *sink;
  AVFilterInOut* in = inputs.release();
  AVFilterInOut* out = outputs.release();
  err = avfilter_graph_parse_ptr(graph.get(), filters.c_str(), &in, &out, nullptr);
  InOutPtr left_in(in), left_out(out);
  if (err >= 0) err = avfilter_graph_config(graph.get(), nullptr);
  if (err < 0) {
    return Status::Internal(
        fmt::format("{}: libavfilter: {}: {}", path, filters, AvErrorText(err)));
  }
  return graph;
}

Result<vips::VImage> ToVips(const std::string& path, const AVFrame& rgb) {
  const size_t row = static_cast<size_t>(rgb.width) * 3;
  std::vector<uint8_t> pixels(row * rgb.height);
  for (int y = 0; y < rgb.height; ++y) {
    std::memcpy(pixels.data() + row * y, rgb.data[0] + static_cast<ptrdiff_t>(y) * rgb.linesize[0],
                row);
  }
  VipsImage* image = vips_image_new_from_memory_copy(pixels.data(), pixels.size(), rgb.width,
                                                     rgb.height, 3, VIPS_FORMAT_UCHAR);
  if (image == nullptr) {
    std::string error = vips_error_buffer();
    vips_error_clear();
    return Status::Internal(fmt::format("{}: libvips: {}", path, error));
  }
  try {
    return vips::VImage(image).copy(
        vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  } catch (const vips::VError& e) {
    vips_error_clear();
    return Status::Internal(fmt::format("{}: libvips: {}", path, e.what()));
  }
}

const char* Name(const char* name) { return name != nullptr ? name : "?"; }

// Runs `frame` through `filters` into packed RGB.
Result<vips::VImage> Convert(const std::string& path, AVFrame& frame, const std::string& filters) {
  spdlog::debug("video: {}: {}", path, filters);
  AVFilterContext* source = nullptr;
  AVFilterContext* sink = nullptr;
  TESSERA_ASSIGN_OR_RETURN(FilterGraphPtr graph, BuildGraph(path, frame, filters, &source, &sink));
  int err = av_buffersrc_add_frame_flags(source, &frame, AV_BUFFERSRC_FLAG_KEEP_REF);
  if (err >= 0) err = av_buffersrc_add_frame(source, nullptr);  // end of stream: flush it out
  FramePtr rgb = MakeFrame();
  if (err >= 0) err = av_buffersink_get_frame(sink, rgb.get());
  if (err < 0) {
    return Status::Internal(
        fmt::format("{}: libavfilter: {}: {}", path, filters, AvErrorText(err)));
  }
  if (rgb->format != AV_PIX_FMT_RGB24) {
    return Status::Internal(fmt::format("{}: libavfilter gave no RGB", path));
  }
  return ToVips(path, *rgb);
}

}  // namespace

bool IsHdr(const AVFrame& frame) {
  return frame.color_trc == AVCOL_TRC_SMPTE2084 || frame.color_trc == AVCOL_TRC_ARIB_STD_B67;
}

void FillUnspecifiedColour(AVFrame& frame) {
  if (!IsYuv(frame)) return;
  const bool hdr = IsHdr(frame);
  if (frame.colorspace == AVCOL_SPC_UNSPECIFIED) {
    const bool hd = frame.width >= 1280 || frame.height >= 720;
    frame.colorspace = hdr ? AVCOL_SPC_BT2020_NCL : hd ? AVCOL_SPC_BT709 : AVCOL_SPC_BT470BG;
  }
  if (hdr && frame.color_primaries == AVCOL_PRI_UNSPECIFIED) {
    frame.color_primaries = AVCOL_PRI_BT2020;
  }
  if (frame.color_range == AVCOL_RANGE_UNSPECIFIED) {
    const AVPixelFormat f = static_cast<AVPixelFormat>(frame.format);
    const bool jpeg = f == AV_PIX_FMT_YUVJ420P || f == AV_PIX_FMT_YUVJ422P ||
                      f == AV_PIX_FMT_YUVJ444P || f == AV_PIX_FMT_YUVJ440P ||
                      f == AV_PIX_FMT_YUVJ411P;
    frame.color_range = jpeg ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;
  }
}

std::string ConversionFilters(const AVFrame& frame, Size display,
                              const DisplayTransform& transform) {
  const Size scaled = PreTransformSize(display, transform);
  std::string filters;
  if (IsHdr(frame)) {
    // Downscale in the frame's own signal first: the float steps then touch few pixels.
    filters = fmt::format("scale=w={}:h={}:flags={},format=yuv444p16le,{},scale,format=rgb24",
                          scaled.width, scaled.height, kScaleFlags, kToneMap);
  } else {
    filters =
        fmt::format("scale=w={}:h={}:flags={}:in_color_matrix=auto:out_range=full,format=rgb24",
                    scaled.width, scaled.height, kScaleFlags);
  }
  if (!transform.IsIdentity()) filters += "," + transform.Filters();
  return filters;
}

Result<vips::VImage> ConvertFrame(const std::string& path, AVFrame& frame, Size display,
                                  const DisplayTransform& transform) {
  FillUnspecifiedColour(frame);
  spdlog::debug("video: {}: frame {}x{} {} ({}, {}, {}, {})", path, frame.width, frame.height,
                Name(av_get_pix_fmt_name(static_cast<AVPixelFormat>(frame.format))),
                Name(av_color_space_name(frame.colorspace)),
                Name(av_color_range_name(frame.color_range)),
                Name(av_color_transfer_name(frame.color_trc)),
                Name(av_color_primaries_name(frame.color_primaries)));
  Result<vips::VImage> image = Convert(path, frame, ConversionFilters(frame, display, transform));
  if (!image.ok() && IsHdr(frame)) {
    // zimg refuses some colour tags: better an untone-mapped thumbnail than none.
    spdlog::debug("video: {}: {}; trying without tone mapping", path, image.status().ToString());
    FramePtr sdr(av_frame_clone(&frame));  // shares the pixels
    if (sdr == nullptr) throw std::bad_alloc();
    sdr->color_trc = AVCOL_TRC_BT709;
    image = Convert(path, *sdr, ConversionFilters(*sdr, display, transform));
  }
  if (!image.ok()) return image.status();
  const vips::VImage& out = *image;
  if (out.width() != display.width || out.height() != display.height) {
    return Status::Internal(fmt::format("{}: libavfilter gave {}x{}, not {}x{}", path, out.width(),
                                        out.height(), display.width, display.height));
  }
  return image;
}

}  // namespace tessera::decoders::video
