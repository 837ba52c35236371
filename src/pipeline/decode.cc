#include "src/pipeline/decode.h"

#include <spdlog/spdlog.h>

#include "src/media/jpeg_fast.h"
#include "src/media/vips_loader.h"

namespace tessera::pipeline {

Result<vips::VImage> DecodeOnce(const std::string& path, std::string_view bytes,
                                const ProbeInfo& probe, const Plan& plan) {
  media::LoadRequest request{.family = probe.format,
                             .jpeg_shrink = plan.jpeg_shrink,
                             .scale = plan.load_scale,
                             .page = plan.tiff_page,
                             .heif_thumbnail = plan.heif_thumbnail};
  if (plan.fast_jpeg) {
    // Fancy upsampling and the accurate integer DCT are kept: the speed flags save under 2%
    // (measurements in jpeg_fast.h).
    TESSERA_ASSIGN_OR_RETURN(
        std::optional<vips::VImage> fast,
        media::DecodeJpegFast(path, bytes, {.scale_num = plan.jpeg_scale_num}));
    if (fast.has_value()) return std::move(*fast);
    // Not YCbCr or grey (RGB, CMYK, YCCK): libvips' jpegload, shrunk as far as it safely can.
    request.jpeg_shrink = JpegShrink({probe.width, probe.height}, plan.decode_min);
    spdlog::debug("decode: {}: not YCbCr/grey, using jpegload shrink {}", path,
                  request.jpeg_shrink);
  }
  vips::VImage decoded;
  Status status = media::CatchVips(path, /*during_load=*/true, [&] {
    decoded = media::OpenWithVips(bytes, request).copy_memory();
  });
  if (!status.ok()) return status;
  return decoded;
}

}  // namespace tessera::pipeline
