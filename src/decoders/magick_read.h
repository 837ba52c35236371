// Reading bytes with one forced ImageMagick coder, from memory, and ImageMagick's exceptions as
// Status values. The pieces of DecodeMagick and ProbeMagick that talk to MagickCore directly.
#ifndef TESSERA_DECODERS_MAGICK_READ_H_
#define TESSERA_DECODERS_MAGICK_READ_H_

#include <string>
#include <string_view>
#include <vector>

#include "src/decoders/magick_plus.h"
#include "tessera/status.h"

namespace tessera::decoders {

struct MagickRead {
  bool ping = false;       // headers only: sizes and attributes, no pixels
  bool first_only = true;  // scene 0 only (for PSD: the merged image, skipping the layers)
};

// Reads every image (or the first) in `bytes` as `coder`, never another: the coder is
// affirmed, so ImageMagick does not look at the magic bytes. The bytes are not copied.
// ImageMagick's warnings are logged; its errors become MagickStatus.
// REQUIRES: InitMagick() succeeded; IsAllowedMagickCoder(coder).
Result<std::vector<Magick::Image>> ReadMagick(const std::string& path, std::string_view bytes,
                                              const std::string& coder, const MagickRead& how);

// How an ImageMagick failure is reported.
enum class MagickFailure { kTooLarge, kUnsupported, kCorrupt, kInternal };

// "<path>: ImageMagick: <message>" with the matching code.
Status MagickStatus(const std::string& path, MagickFailure kind, std::string_view message);

// A Magick++ exception thrown while decoding (during_load) or afterwards: resource limits are
// TooLarge; policy, missing delegates, modules and unknown formats Unsupported; anything else
// Corrupt during the load and Internal after it.
Status MagickExceptionStatus(const std::string& path, const Magick::Exception& e, bool during_load);

}  // namespace tessera::decoders

#endif  // TESSERA_DECODERS_MAGICK_READ_H_
