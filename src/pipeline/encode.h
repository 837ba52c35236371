// Encoders for the media server's variants: baseline JPEG (libjpeg-turbo) and lossy WebP
// (libvips with libwebp). The freedesktop cache writes PNG through EncodePng instead.
#ifndef TESSERA_PIPELINE_ENCODE_H_
#define TESSERA_PIPELINE_ENCODE_H_

#include <string>

#include "tessera/image.h"
#include "tessera/status.h"

namespace tessera::pipeline {

// Baseline JPEG, 4:2:0 chroma subsampling, optimised Huffman tables, no metadata. JPEG has no
// alpha: each pixel is composited over opaque white first, in sRGB values as browsers blend
// (c' = (c * a + 255 * (255 - a)) / 255, rounded), so transparent areas come out white rather
// than the undefined colour behind them.
// InvalidArgument for an empty image, one over 65,500 pixels on a side (JPEG's limit), a pixel
// buffer that does not match width x height, or a quality outside 1..100. Thread-safe.
Result<std::string> EncodeJpeg(const Image& image, int quality);

// Lossy WebP at `quality` (libwebp's Q). Alpha is kept when any pixel is not opaque and
// dropped otherwise (smaller files). Starts the libvips runtime if needed.
// InvalidArgument as EncodeJpeg (WebP's limit is 16,383 pixels on a side; libvips reports it
// as Internal). Thread-safe.
Result<std::string> EncodeWebp(const Image& image, int quality);

}  // namespace tessera::pipeline

#endif  // TESSERA_PIPELINE_ENCODE_H_
