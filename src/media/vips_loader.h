// The libvips adapter: opens bytes with one of our allowlisted loaders, never another, and
// turns libvips' exceptions into Status values.
#ifndef TESSERA_MEDIA_VIPS_LOADER_H_
#define TESSERA_MEDIA_VIPS_LOADER_H_

#include <string>
#include <string_view>
#include <vips/vips8>

#include "tessera/status.h"

namespace tessera::media {

struct LoadRequest {
  std::string family;           // "jpeg", "png", ... (see sniff.h)
  int jpeg_shrink = 1;          // jpegload shrink-on-load: 1, 2, 4, 8
  double scale = 1.0;           // webpload / pdfload / svgload_buffer scale
  int page = 0;                 // first page (TIFF pyramid level, PDF page, frame)
  bool heif_thumbnail = false;  // heifload: the embedded thumbnail item
};

// Opens `bytes` with the family's loader: only the header is read until pixels are asked
// for. Every load has fail_on = truncated and n = 1 where the loader takes it. SVG is loaded
// from memory, so librsvg has no base URL and resolves no external reference.
// REQUIRES: InitEngineRuntime() succeeded; `bytes` outlives the image and its descendants
// (copy_memory() frees the result from it).
// Throws vips::VError; callers turn it into a Status with VipsErrorStatus.
vips::VImage OpenWithVips(std::string_view bytes, const LoadRequest& request);

// The libvips loader that claims `bytes` ("VipsForeignLoadJpegBuffer"), or "".
std::string DetectVipsLoader(std::string_view bytes);

// "<path>: <libvips' message>", classified: Unsupported for encrypted or unsupported
// content, Corrupt otherwise (for a load), Internal for a failure after the load.
Status VipsErrorStatus(const std::string& path, const vips::VError& error, bool during_load);

// Runs `fn`, turning a vips::VError into VipsErrorStatus(path, ..., during_load).
template <typename Fn>
Status CatchVips(const std::string& path, bool during_load, Fn&& fn) {
  try {
    fn();
    return Status::Ok();
  } catch (const vips::VError& e) {
    return VipsErrorStatus(path, e, during_load);
  }
}

}  // namespace tessera::media

#endif  // TESSERA_MEDIA_VIPS_LOADER_H_
