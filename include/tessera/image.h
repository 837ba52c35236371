// An 8-bit RGBA image in memory, and its PNG encoding.
#ifndef TESSERA_IMAGE_H_
#define TESSERA_IMAGE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tessera/status.h"

namespace tessera {

// Pixels are RGBA, 8 bits per sample, rows packed (stride = width * 4), sRGB, not premultiplied.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgba;

  size_t stride() const { return static_cast<size_t>(width) * 4; }
  const uint8_t* Pixel(int x, int y) const { return rgba.data() + y * stride() + x * 4; }
};

// PNG text chunks written as uncompressed tEXt, in order.
using PngText = std::vector<std::pair<std::string, std::string>>;

// Encodes an 8-bit RGBA, non-interlaced PNG with the given tEXt chunks before the image data.
Result<std::string> EncodePng(const Image& image, const PngText& text);

// Decodes any PNG (RGB, grey, palette, 16-bit, interlaced) to 8-bit RGBA, for tests and for
// reading others' thumbnails.
Result<Image> DecodePng(const std::string& bytes);

// Reads all tEXt/zTXt/iTXt chunks of a PNG file (before and after the image data).
Result<PngText> ReadPngText(const std::string& path);

}  // namespace tessera

#endif  // TESSERA_IMAGE_H_
