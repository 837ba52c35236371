#include "src/pipeline/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace tessera::pipeline {
namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Rounds a * b / c to the nearest integer (halves up), in 64 bits.
int RoundMulDiv(int64_t a, int64_t b, int64_t c) {
  return static_cast<int>((2 * a * b + c) / (2 * c));
}

// A thumbnail item is only usable when it shows the same picture: same aspect to 1%.
bool SameAspect(Size a, Size b) {
  const double ra = static_cast<double>(a.width) / a.height;
  const double rb = static_cast<double>(b.width) / b.height;
  return std::abs(ra - rb) <= 0.01 * ra;
}

}  // namespace

Size FitInside(Size original, int max_width, int max_height) {
  assert(original.width > 0 && original.height > 0 && max_width > 0 && max_height > 0);
  const int64_t w = original.width, h = original.height;
  if (max_width >= w && max_height >= h) return original;  // never upscaled
  // Width limits when max_width / w <= max_height / h, compared exactly in integers.
  Size out;
  if (static_cast<int64_t>(max_width) * h <= static_cast<int64_t>(max_height) * w) {
    out.width = max_width;
    out.height = RoundMulDiv(h, max_width, w);
  } else {
    out.height = max_height;
    out.width = RoundMulDiv(w, max_height, h);
  }
  out.width = std::max(out.width, 1);
  out.height = std::max(out.height, 1);
  return out;
}

Size CoverBox(Size original, int max_width, int max_height) {
  assert(original.width > 0 && original.height > 0 && max_width > 0 && max_height > 0);
  const int64_t w = original.width, h = original.height;
  Size out;
  // Height limits when max_width / w <= max_height / h: the scale is max_height / h.
  if (static_cast<int64_t>(max_width) * h <= static_cast<int64_t>(max_height) * w) {
    out.height = max_height;
    out.width = static_cast<int>(CeilDiv(w * max_height, h));
  } else {
    out.width = max_width;
    out.height = static_cast<int>(CeilDiv(h * max_width, w));
  }
  if (out.width >= original.width || out.height >= original.height) return original;
  return out;
}

int JpegScaleNum(Size stored, Size min) {
  for (int m = 1; m < 8; ++m) {
    if (CeilDiv(int64_t{stored.width} * m, 8) >= min.width &&
        CeilDiv(int64_t{stored.height} * m, 8) >= min.height) {
      return m;
    }
  }
  return 8;
}

int JpegShrink(Size stored, Size min) {
  // libvips 8.14's jpegload rounds the shrunk size down (2268 / 8 -> 283), unlike djpeg.
  for (int s : {8, 4, 2}) {
    if (stored.width / s >= min.width && stored.height / s >= min.height) return s;
  }
  return 1;
}

Plan MakePlan(const ProbeInfo& probe, const std::vector<Target>& targets, const LoaderFacts& facts,
              Quality quality) {
  assert(!targets.empty());
  assert(probe.width > 0 && probe.height > 0);
  Plan plan;
  const Size stored{probe.width, probe.height};
  const bool swap = probe.orientation >= 5 && probe.orientation <= 8;
  const Size oriented = swap ? Size{stored.height, stored.width} : stored;

  for (const Target& t : targets) {
    assert(t.max_width > 0 && t.max_height > 0);
    if (t.fit == Target::Fit::kCrop) {
      const Size cover = CoverBox(oriented, t.max_width, t.max_height);
      plan.resized.push_back(cover);
      // The box itself, or, from a smaller original, the largest box of the same shape.
      plan.outputs.push_back(
          cover.Covers({t.max_width, t.max_height})
              ? Size{t.max_width, t.max_height}
              : FitInside({t.max_width, t.max_height}, cover.width, cover.height));
      plan.cropped.push_back(plan.outputs.back() != cover);
    } else {
      plan.outputs.push_back(FitInside(oriented, t.max_width, t.max_height));
      plan.resized.push_back(plan.outputs.back());
      plan.cropped.push_back(false);
    }
  }
  plan.cascade.resize(plan.outputs.size());
  std::iota(plan.cascade.begin(), plan.cascade.end(), 0);
  std::stable_sort(plan.cascade.begin(), plan.cascade.end(), [&](int a, int b) {
    const Size& sa = plan.resized[a];
    const Size& sb = plan.resized[b];
    return int64_t{sa.width} * sa.height > int64_t{sb.width} * sb.height;
  });
  // All resized images share one aspect ratio, but rounding can make the widest one a pixel
  // shorter than another: take each axis' maximum so every one can be derived from the decode.
  for (const Size& s : plan.resized) {
    plan.largest.width = std::max(plan.largest.width, s.width);
    plan.largest.height = std::max(plan.largest.height, s.height);
  }
  plan.decode_min = swap ? Size{plan.largest.height, plan.largest.width} : plan.largest;
  plan.expected_decode = stored;
  plan.kernel = quality == Quality::kFast ? "linear" : "lanczos3";

  const std::string& f = probe.format;
  if (f == "jpeg") {
    if (facts.jpeg_fast_path) {
      plan.fast_jpeg = true;
      plan.jpeg_scale_num = JpegScaleNum(stored, plan.decode_min);
      plan.expected_decode = {
          static_cast<int>(CeilDiv(int64_t{stored.width} * plan.jpeg_scale_num, 8)),
          static_cast<int>(CeilDiv(int64_t{stored.height} * plan.jpeg_scale_num, 8))};
    } else {
      plan.jpeg_shrink = JpegShrink(stored, plan.decode_min);
      plan.expected_decode = {stored.width / plan.jpeg_shrink, stored.height / plan.jpeg_shrink};
    }
  } else if (f == "webp" || f == "pdf" || f == "svg") {
    // Decode (or render) straight at the largest output: libwebp's scaled decode averages,
    // and a vector render at the final size is exact whatever size the file declares.
    const double scale = std::max(static_cast<double>(plan.decode_min.width) / stored.width,
                                  static_cast<double>(plan.decode_min.height) / stored.height);
    if (scale < 1.0) {
      plan.load_scale = scale;
      plan.expected_decode = plan.decode_min;
    }
  } else if (f == "tiff" && facts.pyramid_levels.size() > 1) {
    for (size_t i = 0; i < facts.pyramid_levels.size(); ++i) {
      if (facts.pyramid_levels[i].Covers(plan.decode_min)) {
        plan.tiff_page = static_cast<int>(i);
        plan.expected_decode = facts.pyramid_levels[i];
      }
    }
  } else if (f == "heif" && facts.heif_thumbnail.width > 0 && facts.heif_thumbnail.height > 0 &&
             facts.heif_thumbnail.Covers(plan.decode_min) &&
             SameAspect(facts.heif_thumbnail, stored)) {
    plan.heif_thumbnail = true;
    plan.expected_decode = facts.heif_thumbnail;
  }
  return plan;
}

std::string Plan::ToString() const {
  std::string out;
  for (size_t i = 0; i < outputs.size(); ++i) {
    out += fmt::format("{}{}x{}", i ? "," : "", outputs[i].width, outputs[i].height);
    if (cropped[i]) out += fmt::format(" (crop of {}x{})", resized[i].width, resized[i].height);
  }
  return fmt::format(
      "outputs [{}] largest {}x{} decode>= {}x{} fast_jpeg={} jpeg_scale={}/8 jpeg_shrink={} "
      "load_scale={:.5f} tiff_page={} heif_thumbnail={} decode~{}x{} kernel={}",
      out, largest.width, largest.height, decode_min.width, decode_min.height, fast_jpeg,
      jpeg_scale_num, jpeg_shrink, load_scale, tiff_page, heif_thumbnail, expected_decode.width,
      expected_decode.height, kernel);
}

}  // namespace tessera::pipeline
