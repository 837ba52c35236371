// Pure geometry for the RAW decoder: LibRaw's flip codes, and whether (and at what libjpeg
// scale) an embedded preview can stand in for a demosaic. No I/O, no LibRaw, no libvips.
#ifndef TESSERA_DECODERS_RAW_GEOMETRY_H_
#define TESSERA_DECODERS_RAW_GEOMETRY_H_

#include "src/media/loader_facts.h"

namespace tessera::decoders {

using media::Size;

// LibRaw's imgdata.sizes.flip is a bit set applied to output coordinates: 4 transposes, then
// 2 mirrors the rows, then 1 mirrors the columns (dcraw's flip_index). So 0 is upright,
// 3 is 180 degrees, 5 is 90 degrees counter-clockwise and 6 is 90 degrees clockwise.
//
// The EXIF orientation (1..8) whose display transform equals `flip`: 0->1, 1->2, 2->4, 3->3,
// 4->5, 5->8, 6->6, 7->7. Values outside 0..7 are treated as 0.
int ExifOrientationForLibRawFlip(int flip);

// True when `flip` swaps width and height (the transposing codes 4..7).
inline bool FlipSwapsAxes(int flip) { return flip >= 0 && flip <= 7 && (flip & 4) != 0; }

// `size` with width and height swapped when `swap`.
inline Size SwapIf(Size size, bool swap) { return swap ? Size{size.height, size.width} : size; }

// How far apart two aspect ratios are, relatively: |a - b| / b for a = w/h. 0 for equal ones.
// REQUIRES: all positive.
double AspectMismatch(Size a, Size b);

// The largest centred crop of `in` that has the aspect ratio of `aspect` (the cropped side
// rounded to the nearest pixel, at least 1, never more than `in`).
// REQUIRES: all positive.
Size CropToAspect(Size in, Size aspect);

// The size libjpeg's scaled decode gives at scale_num / 8: ceil(w * scale_num / 8).
Size JpegScaledSize(Size stored, int scale_num);

// Previews whose aspect differs from the image's by more than this are not used (a preview
// with black bars, or of a different crop); below it they are cropped to the image's aspect.
inline constexpr double kMaxPreviewAspectMismatch = 0.03;

// The smallest libjpeg scale_num in 1..8 at which the preview, once cropped to the image's
// aspect, still covers `min`; 0 when not even the full preview does (or the aspects differ by
// more than kMaxPreviewAspectMismatch). All sizes in the same (stored) orientation.
// REQUIRES: preview and image positive.
int PreviewScaleNum(Size preview, Size image, Size min);

// The largest integer factor f >= 1 by which `in` can be box-shrunk (each side divided by f)
// and still cover `min`. 1 when `min` is not positive or `in` does not cover it.
int ShrinkFactorToCover(Size in, Size min);

// Whether LibRaw's half-size demosaic (one pixel per 2x2 Bayer cell: ceil(w / 2) x
// ceil(h / 2)) still covers `min`.
bool HalfSizeCovers(Size full, Size min);

}  // namespace tessera::decoders

#endif  // TESSERA_DECODERS_RAW_GEOMETRY_H_
