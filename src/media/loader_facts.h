// Facts a header read gives the planner beyond ProbeInfo (pyramid levels, thumbnail items).
#ifndef TESSERA_MEDIA_LOADER_FACTS_H_
#define TESSERA_MEDIA_LOADER_FACTS_H_

#include <vector>

namespace tessera::media {

struct Size {
  int width = 0;
  int height = 0;
  bool operator==(const Size& other) const = default;
  bool Covers(const Size& other) const { return width >= other.width && height >= other.height; }
};

struct LoaderFacts {
  // TIFF: page sizes when the file is a pyramid (each page about half the previous one);
  // empty otherwise. Level 0 is the full image.
  std::vector<Size> pyramid_levels;
  // HEIF: the embedded thumbnail item's size, {0, 0} when there is none.
  Size heif_thumbnail;
  // JPEG: the libjpeg-turbo fast path may decode it (not CMYK/YCCK, fast path enabled).
  bool jpeg_fast_path = false;
};

}  // namespace tessera::media

#endif  // TESSERA_MEDIA_LOADER_FACTS_H_
