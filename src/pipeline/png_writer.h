// The PNG encoder: the freedesktop thumbnail format (8-bit RGBA, not interlaced, tEXt keys before
// the image data), compressed with ISA-L's igzip.
//
// Why not libpng: libpng can only compress with zlib, and zlib's deflate was a third of all CPU
// time for four thumbnail sizes even at its cheapest useful setting (sub filter, Huffman only).
// igzip level 1 makes the same bytes (35.1 MB against 34.9 MB for 92 thumbnails of corpus/photos)
// in a third of the time (0.33-0.40 s against 1.11-1.18 s, filtering and CRCs included). What is
// left to write here is the PNG container: a signature and four kinds of chunk. Reading PNGs
// stays with libpng (png_codec.cc).
//
// How the filter was chosen (libpng and zlib, 12 photo thumbnails of 256..1024 px, 2.9 MP, level
// 4): none 5.50 MB 304 ms, sub 4.68 MB 348 ms, up 4.32 MB 332 ms, avg 4.45 MB 349 ms, paeth
// 4.28 MB 375 ms, adaptive 4.26 MB 441 ms. Then on 92 thumbnails of corpus/photos, compression
// alone: zlib Huffman-only after sub 34.9 MB in 0.82 s, zlib Z_RLE 35.2 MB in 0.93 s, libdeflate
// level 1 33.9 MB in 0.67 s, igzip level 1 35.1 MB in about a third of zlib's time.
#ifndef TESSERA_PIPELINE_PNG_WRITER_H_
#define TESSERA_PIPELINE_PNG_WRITER_H_

#include <string>

#include "tessera/image.h"

namespace tessera {

// InvalidArgument for an image whose buffer does not match its size, or a key that PNG does
// not allow (empty, over 79 bytes, or containing NUL; values may not contain NUL either).
Status CheckPngInput(const Image& image, const PngText& text);

// The PNG bytes: IHDR, one tEXt chunk per entry of `text` in order, IDAT (rows filtered with
// "sub", an igzip level 1 zlib stream), IEND.
Result<std::string> WritePng(const Image& image, const PngText& text);

}  // namespace tessera

#endif  // TESSERA_PIPELINE_PNG_WRITER_H_
