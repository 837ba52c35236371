// The geometry and loader choices for one thumbnail call, decided up front by a pure
// function (no I/O, no libvips), in the manner of libvips' thumbnail.c calculate_shrink.
#ifndef TESSERA_PIPELINE_PLAN_H_
#define TESSERA_PIPELINE_PLAN_H_

#include <string>
#include <vector>

#include "src/media/loader_facts.h"
#include "tessera/engine.h"

namespace tessera::pipeline {

using media::LoaderFacts;
using media::Size;

struct Plan {
  // Per target, in the order given: the output size in display (oriented) coordinates.
  std::vector<Size> outputs;
  // Per target: the size the image is resized to before a crop (equal to outputs[i] for
  // Fit::kInside; covering outputs[i] for Fit::kCrop), and whether it is then cropped.
  std::vector<Size> resized;
  std::vector<bool> cropped;
  // Indices into `outputs`, largest `resized` first: each is resized from the one before it
  // (before that one's crop).
  std::vector<int> cascade;
  // The largest output, display coordinates; and in stored coordinates (what to decode at least).
  Size largest;
  Size decode_min;

  // Shrink-on-load. At most one of these applies, depending on the format.
  bool fast_jpeg = false;       // decode with libjpeg-turbo at jpeg_scale_num / 8
  int jpeg_scale_num = 8;       // 1..8
  int jpeg_shrink = 1;          // vips jpegload shrink: 1, 2, 4 or 8
  double load_scale = 1.0;      // webpload, pdfload, svgload_buffer "scale"
  int tiff_page = 0;            // pyramid level to load
  bool heif_thumbnail = false;  // load the embedded HEIF thumbnail item instead
  Size expected_decode;         // stored coordinates, as the loader will return it (approximately
                                // for webp/pdf/svg, whose loaders round)

  const char* kernel = "lanczos3";  // vips_resize kernel: lanczos3, or linear for Quality::kFast

  std::string ToString() const;
};

// The largest size that fits inside max_width x max_height with the aspect ratio of
// `original`, rounded to the nearest pixel (at least 1), never larger than `original`.
// REQUIRES: all positive.
Size FitInside(Size original, int max_width, int max_height);

// The smallest size with the aspect ratio of `original` that covers max_width x max_height
// (rounded up, so it always does), never larger than `original`.
// REQUIRES: all positive.
Size CoverBox(Size original, int max_width, int max_height);

// The smallest libjpeg M in 1..8 whose M/8 scaled decode (ceil(w * M / 8)) still covers `min`.
int JpegScaleNum(Size stored, Size min);
// The largest vips jpegload shrink (8, 4, 2, 1) whose result (floor(w / s), as libvips 8.14
// rounds) still covers `min`.
int JpegShrink(Size stored, Size min);

// REQUIRES: !targets.empty(), every target positive, probe.width and probe.height positive.
Plan MakePlan(const ProbeInfo& probe, const std::vector<Target>& targets, const LoaderFacts& facts,
              Quality quality = Quality::kQuality);

}  // namespace tessera::pipeline

#endif  // TESSERA_PIPELINE_PLAN_H_
