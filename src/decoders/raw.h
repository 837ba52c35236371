// Camera RAW files (DNG, CR2, CR3, NEF, ARW, ORF, RW2, RAF, PEF, ... whatever LibRaw opens),
// decoded inside the isolated helper process only.
//
// DecodeRaw prefers the camera's embedded preview (a JPEG, or an 8-bit bitmap in some DNGs)
// when it covers the requested size: decoding it at libjpeg's smallest sufficient M/8 scale
// costs a few milliseconds where a demosaic costs a hundred or more. Otherwise LibRaw
// demosaics, at half size when that still covers the request.
#ifndef TESSERA_DECODERS_RAW_H_
#define TESSERA_DECODERS_RAW_H_

#include <string>
#include <string_view>

#include "src/decoders/decoded.h"
#include "tessera/engine.h"
#include "tessera/status.h"

namespace tessera::decoders {

// Reads the header only (LibRaw's open_buffer and adjust_sizes_info_only; no pixels are
// unpacked). info.width x info.height is the image as displayed, after LibRaw's flip and
// pixel-aspect correction, and info.orientation is 1. format "raw"; mime_type
// "image/x-adobe-dng" for DNGs, else "image/x-dcraw" (callers replace it with the sniffed
// type). Errors name the file: "<path>: LibRaw: <message>", Unsupported when LibRaw does not
// know the format, TooLarge above kMaxRawPixels (raw_libraw.h), Corrupt otherwise.
// Thread-safe.
Result<ProbeInfo> ProbeRaw(const std::string& path, std::string_view bytes);

// Which way a decode went.
enum class RawPath {
  kPreviewJpeg,    // the embedded JPEG preview, libjpeg-scaled
  kPreviewBitmap,  // the embedded 8-bit RGB (or grey) bitmap preview
  kDemosaicHalf,   // LibRaw, half_size
  kDemosaic,       // LibRaw, full size
};
std::string_view RawPathName(RawPath path);  // "preview-jpeg", ..., "demosaic"

// What DecodeRaw did, for tests, benchmarks and logs.
struct RawDecodeReport {
  RawPath path = RawPath::kDemosaic;
  int flip = 0;  // LibRaw's flip code that was applied (see raw_geometry.h)
  Size preview;  // the embedded preview's stored size; {0, 0} when there is none usable
  Size decoded;  // upright, what the preview or LibRaw produced before the final shrink
};

struct RawOptions {
  // False forces a demosaic even when the preview would do (benchmarks, tests).
  bool allow_preview = true;
  // LibRaw's user_flip (dcraw -t): -1 follows the file; 0..7 replaces its orientation.
  int user_flip = -1;
};

// Decodes `bytes` to an upright 8-bit sRGB image (3 bands) of the displayed aspect that covers
// min_size(info) when the file is large enough, and at most about twice that in each
// direction (a larger preview or demosaic is box-shrunk by an integer factor). info is as
// ProbeRaw's. The preview is used when it is a JPEG or a bitmap, lies wholly inside the file,
// has the image's aspect within 3% (it is then centre-cropped to it exactly) and covers
// min_size; it carries no orientation of its own (any EXIF inside it is ignored), so LibRaw's
// flip is applied to it here, while LibRaw's own output arrives already flipped. Truncated
// raw data is Corrupt, never a half-grey image. `report`, when given, is filled in.
// Thread-safe.
Result<Decoded> DecodeRaw(const std::string& path, std::string_view bytes,
                          const MinSizeFn& min_size, const RawOptions& options = {},
                          RawDecodeReport* report = nullptr);

}  // namespace tessera::decoders

#endif  // TESSERA_DECODERS_RAW_H_
