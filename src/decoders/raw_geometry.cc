#include "src/decoders/raw_geometry.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace tessera::decoders {

int ExifOrientationForLibRawFlip(int flip) {
  // Index: LibRaw flip. Derived from flip_index(): bit 1 mirrors columns (EXIF 2), bit 2
  // mirrors rows (EXIF 4), bit 4 transposes (EXIF 5); 5 = transpose then mirror columns, which
  // is a turn of 90 degrees counter-clockwise (EXIF 8); 6 = transpose then mirror rows, a turn
  // clockwise (EXIF 6).
  static constexpr int kExif[8] = {1, 2, 4, 3, 5, 8, 6, 7};
  return flip >= 0 && flip <= 7 ? kExif[flip] : 1;
}

double AspectMismatch(Size a, Size b) {
  const double ra = static_cast<double>(a.width) / a.height;
  const double rb = static_cast<double>(b.width) / b.height;
  return std::abs(ra - rb) / rb;
}

Size CropToAspect(Size in, Size aspect) {
  // Compare in.w / in.h with aspect.w / aspect.h without dividing.
  const int64_t lhs = static_cast<int64_t>(in.width) * aspect.height;
  const int64_t rhs = static_cast<int64_t>(aspect.width) * in.height;
  Size out = in;
  if (lhs > rhs) {  // too wide: keep the height
    out.width = static_cast<int>(
        std::lround(static_cast<double>(in.height) * aspect.width / aspect.height));
  } else if (lhs < rhs) {  // too tall: keep the width
    out.height =
        static_cast<int>(std::lround(static_cast<double>(in.width) * aspect.height / aspect.width));
  }
  out.width = std::clamp(out.width, 1, in.width);
  out.height = std::clamp(out.height, 1, in.height);
  return out;
}

Size JpegScaledSize(Size stored, int scale_num) {
  return Size{static_cast<int>((static_cast<int64_t>(stored.width) * scale_num + 7) / 8),
              static_cast<int>((static_cast<int64_t>(stored.height) * scale_num + 7) / 8)};
}

int PreviewScaleNum(Size preview, Size image, Size min) {
  if (AspectMismatch(preview, image) > kMaxPreviewAspectMismatch) return 0;
  for (int m = 1; m <= 8; ++m) {
    if (CropToAspect(JpegScaledSize(preview, m), image).Covers(min)) return m;
  }
  return 0;
}

int ShrinkFactorToCover(Size in, Size min) {
  if (min.width <= 0 || min.height <= 0 || !in.Covers(min)) return 1;
  return std::max(1, std::min(in.width / min.width, in.height / min.height));
}

bool HalfSizeCovers(Size full, Size min) {
  return Size{(full.width + 1) / 2, (full.height + 1) / 2}.Covers(min);
}

}  // namespace tessera::decoders
