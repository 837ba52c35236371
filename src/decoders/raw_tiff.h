// How far the image data of a TIFF-based RAW (DNG, CR2, NEF, ARW, PEF, ORF, RW2, ...) reaches,
// from its strip and tile tables. LibRaw reports a truncated raw only while unpacking it, so
// without this a file cut after its embedded preview would thumbnail happily from the preview.
#ifndef TESSERA_DECODERS_RAW_TIFF_H_
#define TESSERA_DECODERS_RAW_TIFF_H_

#include <cstdint>
#include <string_view>

namespace tessera::decoders {

// The largest offset + byte count over every strip, tile and JPEG interchange block of every
// IFD reachable from the header (the IFD chain and SubIFDs, at most 64 IFDs, cycles ignored).
// 0 when `bytes` is not little- or big-endian TIFF (CR3, RAF, ... are not) or names no data.
// Tables and IFDs that lie outside `bytes` count as reaching past its end. Never reads out of
// bounds. Thread-safe.
uint64_t TiffDataExtent(std::string_view bytes);

}  // namespace tessera::decoders

#endif  // TESSERA_DECODERS_RAW_TIFF_H_
