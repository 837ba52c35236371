#include "src/decoders/raw_tiff.h"

#include <algorithm>
#include <set>
#include <vector>

namespace tessera::decoders {
namespace {

constexpr size_t kMaxIfds = 64;
constexpr uint32_t kMaxValues = 1u << 16;  // offsets in one strip or tile table

// TIFF tags naming where image data lies.
constexpr uint32_t kStripOffsets = 273, kStripByteCounts = 279;
constexpr uint32_t kTileOffsets = 324, kTileByteCounts = 325;
constexpr uint32_t kSubIfds = 330;
constexpr uint32_t kJpegOffset = 513, kJpegLength = 514;

class Reader {
 public:
  Reader(std::string_view bytes, bool big_endian) : bytes_(bytes), big_(big_endian) {}
  uint64_t size() const { return bytes_.size(); }
  bool Has(uint64_t at, uint64_t n) const { return at <= size() && n <= size() - at; }
  // REQUIRES: Has(at, 2) / Has(at, 4).
  uint32_t U16(uint64_t at) const {
    const auto b0 = static_cast<uint8_t>(bytes_[at]), b1 = static_cast<uint8_t>(bytes_[at + 1]);
    return big_ ? (b0 << 8 | b1) : (b1 << 8 | b0);
  }
  uint32_t U32(uint64_t at) const {
    const uint32_t a = U16(at), b = U16(at + 2);
    return big_ ? (a << 16 | b) : (b << 16 | a);
  }

 private:
  std::string_view bytes_;
  bool big_;
};

// The values of a SHORT, LONG or IFD entry at `entry`. Returns false, with *end set to where
// the values would end, when they lie outside the data; an empty list for other types.
bool ReadValues(const Reader& r, uint64_t entry, std::vector<uint64_t>* values, uint64_t* end) {
  values->clear();
  const uint32_t type = r.U16(entry + 2), count = r.U32(entry + 4);
  const uint32_t width = type == 3 ? 2 : (type == 4 || type == 13 ? 4 : 0);
  if (width == 0 || count == 0 || count > kMaxValues) return true;
  const uint64_t bytes = uint64_t{count} * width;
  const uint64_t at = bytes <= 4 ? entry + 8 : r.U32(entry + 8);
  if (!r.Has(at, bytes)) {
    *end = at + bytes;
    return false;
  }
  for (uint32_t i = 0; i < count; ++i) {
    values->push_back(width == 2 ? r.U16(at + 2 * i) : r.U32(at + 4 * i));
  }
  return true;
}

// max(offset[i] + length[i]) over the pairs both tables have.
uint64_t PairExtent(const std::vector<uint64_t>& offsets, const std::vector<uint64_t>& lengths) {
  uint64_t extent = 0;
  for (size_t i = 0; i < std::min(offsets.size(), lengths.size()); ++i) {
    extent = std::max(extent, offsets[i] + lengths[i]);
  }
  return extent;
}

}  // namespace

uint64_t TiffDataExtent(std::string_view bytes) {
  if (bytes.size() < 8) return 0;
  const bool big = bytes.substr(0, 2) == "MM";
  if (!big && bytes.substr(0, 2) != "II") return 0;
  const Reader r(bytes, big);
  // 42: TIFF (DNG, CR2, NEF, ARW, PEF, ...); "RO"/"RS": Olympus ORF; 0x55: Panasonic RW2.
  const uint32_t magic = r.U16(2);
  if (magic != 42 && magic != 0x4f52 && magic != 0x5352 && magic != 0x55) return 0;

  uint64_t extent = 0;
  std::vector<uint64_t> pending = {r.U32(4)};
  std::set<uint64_t> seen;
  std::vector<uint64_t> values, strip_offsets, strip_counts, tile_offsets, tile_counts;
  while (!pending.empty() && seen.size() < kMaxIfds) {
    const uint64_t ifd = pending.back();
    pending.pop_back();
    if (ifd == 0 || !seen.insert(ifd).second) continue;
    if (!r.Has(ifd, 2)) {
      extent = std::max(extent, ifd + 2);
      continue;
    }
    const uint32_t n = r.U16(ifd);
    if (!r.Has(ifd + 2, uint64_t{n} * 12 + 4)) {
      extent = std::max(extent, ifd + 2 + uint64_t{n} * 12 + 4);
      continue;
    }
    uint64_t jpeg_offset = 0, jpeg_length = 0;
    strip_offsets.clear(), strip_counts.clear(), tile_offsets.clear(), tile_counts.clear();
    for (uint32_t i = 0; i < n; ++i) {
      const uint64_t entry = ifd + 2 + uint64_t{i} * 12;
      const uint32_t tag = r.U16(entry);
      if (tag != kStripOffsets && tag != kStripByteCounts && tag != kTileOffsets &&
          tag != kTileByteCounts && tag != kSubIfds && tag != kJpegOffset && tag != kJpegLength) {
        continue;
      }
      uint64_t end = 0;
      if (!ReadValues(r, entry, &values, &end)) {
        extent = std::max(extent, end);
        continue;
      }
      if (values.empty()) continue;
      if (tag == kStripOffsets) strip_offsets = values;
      if (tag == kStripByteCounts) strip_counts = values;
      if (tag == kTileOffsets) tile_offsets = values;
      if (tag == kTileByteCounts) tile_counts = values;
      if (tag == kJpegOffset) jpeg_offset = values[0];
      if (tag == kJpegLength) jpeg_length = values[0];
      if (tag == kSubIfds) pending.insert(pending.end(), values.begin(), values.end());
    }
    extent = std::max({extent, PairExtent(strip_offsets, strip_counts),
                       PairExtent(tile_offsets, tile_counts),
                       jpeg_length > 0 ? jpeg_offset + jpeg_length : 0});
    pending.push_back(r.U32(ifd + 2 + uint64_t{n} * 12));  // the next IFD in the chain
  }
  return extent;
}

}  // namespace tessera::decoders
