// Checks ImageMagick leaves out: whether the data a header promises is all there. ImageMagick
// 6.9.11 fails cleanly on truncated files for every allowed coder but one (measured by cutting
// generated files at 30, 50, 60, 90 and 99%): its SGI reader fills the missing rows with black
// and reports success.
#ifndef TESSERA_DECODERS_MAGICK_COMPLETE_H_
#define TESSERA_DECODERS_MAGICK_COMPLETE_H_

#include <string>
#include <string_view>

#include "tessera/status.h"

namespace tessera::decoders {

// Corrupt ("<path>: SGI: ...") when `bytes`, to be read by `coder`, is an SGI image whose
// pixel data (verbatim: 512 + x * y * z * bpc bytes; RLE: every row its offset tables name)
// reaches past the end. OK otherwise, including for data that is not SGI at all (the coder
// then reports that). Thread-safe.
Status CheckNotTruncated(const std::string& path, const std::string& coder, std::string_view bytes);

}  // namespace tessera::decoders

#endif  // TESSERA_DECODERS_MAGICK_COMPLETE_H_
