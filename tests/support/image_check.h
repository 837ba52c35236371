// Decodes images in integration tests with libvips, all the way to the last pixel: a torn or
// truncated file is an error, not a grey bottom half.
#ifndef TESSERA_TESTS_SUPPORT_IMAGE_CHECK_H_
#define TESSERA_TESTS_SUPPORT_IMAGE_CHECK_H_

#include <string>

#include "tessera/status.h"

namespace tessera::testing {

struct DecodedImage {
  int width = 0;
  int height = 0;
  int bands = 0;
  std::string loader;  // libvips' loader: "jpegload_buffer", "pngload_buffer", "webpload_buffer"
};

// Decodes every pixel of `bytes` (any format libvips reads), failing on truncation or a decoder
// error. Thread-compatible; initialises libvips on first use.
Result<DecodedImage> DecodeFully(const std::string& bytes);

// The same for a file.
Result<DecodedImage> DecodeFileFully(const std::string& path);

// Writes `count` different JPEGs (quality 90) of `width` x `height` pixels into `dir`, named
// shot_00.jpg, shot_01.jpg, ...: crops of `source` at different offsets, so each has its own
// content hash and costs a real decode. REQUIRES: the source is larger than the crops.
Status WriteDistinctJpegs(const std::string& source, const std::string& dir, int count, int width,
                          int height);

}  // namespace tessera::testing

#endif  // TESSERA_TESTS_SUPPORT_IMAGE_CHECK_H_
