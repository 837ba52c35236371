#include "src/decoders/magick_complete.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

namespace tessera::decoders {
namespace {

uint32_t U16(std::string_view b, size_t at) {
  return uint32_t{static_cast<uint8_t>(b[at])} << 8 | static_cast<uint8_t>(b[at + 1]);
}
uint32_t U32(std::string_view b, size_t at) { return U16(b, at) << 16 | U16(b, at + 2); }

// The SGI image file format (Haeberli, 1988): a 512-byte big-endian header, then either the
// channels one after the other, row by row, or for RLE two tables of y * z 32-bit row offsets
// and lengths.
Status CheckSgi(const std::string& path, std::string_view b) {
  constexpr size_t kHeader = 512;
  if (b.size() < 12 || U16(b, 0) != 474) return Status::Ok();  // not SGI: the coder will say
  const uint32_t storage = static_cast<uint8_t>(b[2]), bpc = static_cast<uint8_t>(b[3]);
  const uint64_t x = U16(b, 6), y = U16(b, 8), z = std::max<uint32_t>(U16(b, 10), 1);
  uint64_t end = kHeader;
  if (storage == 0) {
    end += x * y * z * bpc;
  } else {
    const uint64_t rows = y * z;
    end += 8 * rows;
    if (end <= b.size()) {
      for (uint64_t i = 0; i < rows; ++i) {
        const uint64_t start = U32(b, kHeader + 4 * i);
        const uint64_t length = U32(b, kHeader + 4 * (rows + i));
        end = std::max(end, start + length);
      }
    }
  }
  if (end > b.size()) {
    return Status::Corrupt(
        fmt::format("{}: SGI: the image data needs {} bytes, the file has {} "
                    "(truncated)",
                    path, end, b.size()));
  }
  return Status::Ok();
}

}  // namespace

Status CheckNotTruncated(const std::string& path, const std::string& coder,
                         std::string_view bytes) {
  if (coder == "SGI") return CheckSgi(path, bytes);
  return Status::Ok();
}

}  // namespace tessera::decoders
