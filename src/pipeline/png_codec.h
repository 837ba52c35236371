// Internal: the PNG encoder with an explicit row-filter choice, for measurements and tests.
// Everyone else calls EncodePng (tessera/image.h), which uses kDefaultPngFilter.
#ifndef TESSERA_PIPELINE_PNG_CODEC_H_
#define TESSERA_PIPELINE_PNG_CODEC_H_

#include <string>

#include "tessera/image.h"

namespace tessera {

enum class PngFilter { kNone, kSub, kUp, kAvg, kPaeth, kAll };
// Measured on 12 real photo thumbnails of 256..1024 px (2.9 MP, png_codec_test's FilterSweep), at
// zlib level 4: none 5.50 MB 304 ms, sub 4.68 MB 348 ms, up 4.32 MB 332 ms, avg 4.45 MB 349 ms,
// paeth 4.28 MB 375 ms, all (adaptive) 4.26 MB 441 ms. Up is within 1.5% of the adaptive
// choice's size at 75% of its time. Level 9 with any filter took 10-30 s: never use it.
// Then with Z_RLE (92 thumbnails of 128..1024 px from corpus/photos, one thread): level 4 up
// 34.1 MB in 2.26-2.67 s; level 1 up 36.1 MB in 1.37-1.49 s; up + Z_RLE 36.1 MB in 1.05-1.30 s;
// paeth + Z_RLE 32.9 MB in 1.52-1.70 s. PNG encoding was half of all CPU time for four sizes,
// Huffman-only coding after the filter (same set, zlib alone on the filtered rows): sub 34.9 MB
// in 0.82 s against Z_RLE's 35.2 MB in 0.93 s. So sub + Z_HUFFMAN_ONLY it is: 2-3% larger than
// level 4 up at about half the time, and still smaller than sharp's PNGs. (libdeflate level 1
// would take 0.67 s for 33.9 MB, but libpng cannot use it: not worth a PNG writer of our own.)
inline constexpr PngFilter kDefaultPngFilter = PngFilter::kSub;

Result<std::string> EncodePngWithFilter(const Image& image, const PngText& text, PngOptions options,
                                        PngFilter filter);

}  // namespace tessera

#endif  // TESSERA_PIPELINE_PNG_CODEC_H_
