// ThumbHash placeholders for instant display: Evan Wallace's format
// (https://evanw.github.io/thumbhash/), a 17 to 25 byte summary of a small image (average
// colour, a few low-frequency DCT terms of luminance, two colour-difference channels and
// alpha, and the approximate aspect ratio) that a client renders as a blurred preview while
// the real thumbnail loads. Any ThumbHash decoder renders these. Encoded bytes and decoded
// pixels are identical to the reference implementation's (the npm `thumbhash` package) as
// Node runs it, on every platform: cos() is computed as V8 computes it rather than by the
// system libm, and no multiply-add is fused (see thumbhash.cc for why that matters).
#ifndef TESSERA_PLACEHOLDER_THUMBHASH_H_
#define TESSERA_PLACEHOLDER_THUMBHASH_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tessera/status.h"

namespace vips {
class VImage;
}  // namespace vips

namespace tessera::placeholder {

// The largest width and height ThumbHashFromRgba accepts; larger images are only slower to
// encode, never better.
inline constexpr int kThumbHashMaxInputSide = 100;

// The bounds on an encoded ThumbHash's length: 17 to 24 bytes opaque (fewer luminance terms
// on the short side of an elongated image), 23 to 25 with alpha.
inline constexpr size_t kThumbHashMinBytes = 17;
inline constexpr size_t kThumbHashMaxBytes = 25;

// The ThumbHash of a straight (not premultiplied) 8-bit RGBA image, rows packed
// (stride = width * 4). Byte for byte what the reference encoder returns, including the alpha
// channel (present only when some pixel is not fully opaque) and the landscape/portrait flag.
// REQUIRES: `rgba` holds width * height * 4 bytes.
// Fails with InvalidArgument unless 0 < width, height <= kThumbHashMaxInputSide.
// Thread-safe.
Result<std::vector<uint8_t>> ThumbHashFromRgba(int width, int height, const uint8_t* rgba);

// Standard base64 (RFC 4648 alphabet, with '=' padding), the form stored in the catalog and
// sent to web clients.
std::string ThumbHashBase64(std::span<const uint8_t> hash);

// A rendered placeholder: straight 8-bit RGBA, rows packed. The longer side is 32 pixels; the
// other follows the hash's approximate aspect ratio.
struct DecodedThumbHash {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgba;
};

// Renders a ThumbHash as the reference decoder does (same size, same bytes). Unlike the
// reference, the length is checked against what the header announces: Corrupt for an empty,
// truncated or over-long hash, or one whose header declares a zero dimension. Never reads
// outside `hash`. Thread-safe.
Result<DecodedThumbHash> ThumbHashToRgba(std::span<const uint8_t> hash);

// The base64 ThumbHash of any libvips image: brought to 8-bit sRGB through its ICC profile (as
// the thumbnailer does), resized with premultiplied alpha to fit 100x100 (never enlarged), an
// opaque alpha added when it has none. Pixels are taken as stored: an EXIF orientation tag is
// not applied, so pass an upright image. Fails with InvalidArgument for an empty image, or
// Internal when libvips fails. Thread-safe (libvips must be initialised).
Result<std::string> ThumbHashForImage(const vips::VImage& image);

}  // namespace tessera::placeholder

#endif  // TESSERA_PLACEHOLDER_THUMBHASH_H_
