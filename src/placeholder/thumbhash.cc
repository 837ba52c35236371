#include "src/placeholder/thumbhash.h"

#include <glib.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numbers>
#include <string>
#include <vips/vips8>

#include "src/media/vips_loader.h"
#include "src/pipeline/colour.h"
#include "src/pipeline/plan.h"
#include "src/pipeline/resize.h"
#include "src/pipeline/rgba.h"
#include "tessera/image.h"

// The bytes must not depend on the compiler fusing a * b + c into one rounding (an FMA, as
// GCC does by default for C++ when the target has one): the reference rounds every step.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace tessera::placeholder {
namespace {

constexpr double kPi = std::numbers::pi;
// The side the decoder renders the longer dimension at.
constexpr int kDecodedLongSide = 32;

// JavaScript's Math.round (ties towards +infinity). std::round breaks ties away from zero; the
// values rounded here are never negative, but matching the reference exactly costs nothing.
int JsRound(double x) {
  const double floor = std::floor(x);
  return static_cast<int>(x - floor >= 0.5 ? floor + 1 : floor);
}

// ---- cos as Node computes Math.cos ----
//
// The reference normalises each channel's AC terms by their largest magnitude. For a flat
// channel (a solid colour, or a channel that is constant after compositing over the average)
// every term is rounding noise of order 1e-17, and the normalisation blows that noise up to
// the full 0..15 nibble range; terms that are exactly zero in a symmetric image land on the
// 7.5 rounding boundary. Which side they fall on depends on the last bit of cos(). glibc's cos
// and V8's differ in the last bit for about 3% of the arguments used here, so with std::cos
// the bytes (not the rendering: a flat channel's scale quantises to 0) differed from the npm
// reference. V8, as Node builds it, computes Math.cos with its port of fdlibm; JsCos is the
// same algorithm, which also makes hashes independent of the platform's libm.
//
// The algorithm and its constants are fdlibm's:
//   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//   Developed at SunSoft, a Sun Microsystems, Inc. business.
//   Permission to use, copy, modify, and distribute this software is freely granted,
//   provided that this notice is preserved.

uint32_t HighWord(double x) { return static_cast<uint32_t>(std::bit_cast<uint64_t>(x) >> 32); }

// cos(x + tail) for |x| <= pi/4: a degree-14 polynomial; above 0.3, 1 - x^2/2 is split so
// that both parts are exact.
double CosNearZero(double x, double tail) {
  constexpr double kC1 = 4.16666666666666019037e-02;
  constexpr double kC2 = -1.38888888888741095749e-03;
  constexpr double kC3 = 2.48015872894767294178e-05;
  constexpr double kC4 = -2.75573143513906633035e-07;
  constexpr double kC5 = 2.08757232129817482790e-09;
  constexpr double kC6 = -1.13596475577881948265e-11;
  const uint32_t ix = HighWord(x) & 0x7fffffff;
  if (ix < 0x3e400000 && static_cast<int>(x) == 0) return 1.0;  // |x| < 2^-27
  const double z = x * x;
  const double r = z * (kC1 + z * (kC2 + z * (kC3 + z * (kC4 + z * (kC5 + z * kC6)))));
  if (ix < 0x3fd33333) return 1.0 - (0.5 * z - (z * r - x * tail));
  // qx: |x| / 4 with the low word cleared, or 0.28125 above 0.78125.
  const double qx = ix > 0x3fe90000
                        ? 0.28125
                        : std::bit_cast<double>(static_cast<uint64_t>(ix - 0x00200000) << 32);
  return (1.0 - qx) - ((0.5 * z - qx) - (z * r - x * tail));
}

// sin(x + tail) for |x| <= pi/4: a degree-13 odd polynomial.
double SinNearZero(double x, double tail) {
  constexpr double kS1 = -1.66666666666666324348e-01;
  constexpr double kS2 = 8.33333333332248946124e-03;
  constexpr double kS3 = -1.98412698298579493134e-04;
  constexpr double kS4 = 2.75573137070700676789e-06;
  constexpr double kS5 = -2.50507602534068634195e-08;
  constexpr double kS6 = 1.58969099521155010221e-10;
  const uint32_t ix = HighWord(x) & 0x7fffffff;
  if (ix < 0x3e400000 && static_cast<int>(x) == 0) return x;  // |x| < 2^-27
  const double z = x * x;
  const double v = z * x;
  const double r = kS2 + z * (kS3 + z * (kS4 + z * (kS5 + z * kS6)));
  return x - ((z * (0.5 * tail - v * r) - tail) - v * kS1);
}

// x = n * pi/2 + (head + tail) with |head| <= pi/4, for |x| up to 2^19 * pi/2: pi/2 is
// subtracted in 33-bit pieces (Cody-Waite), with more pieces when x is close to a multiple.
int ReduceByHalfPi(double x, double& head, double& tail) {
  constexpr double kInvHalfPi = 6.36619772367581382433e-01;
  constexpr double kHalfPi1 = 1.57079632673412561417e+00;   // first 33 bits of pi/2
  constexpr double kHalfPi1t = 6.07710050650619224932e-11;  // pi/2 - kHalfPi1
  constexpr double kHalfPi2 = 6.07710050630396597660e-11;   // next 33 bits
  constexpr double kHalfPi2t = 2.02226624879595063154e-21;
  constexpr double kHalfPi3 = 2.02226624871116645580e-21;  // next 33 bits
  constexpr double kHalfPi3t = 8.47842766036889956997e-32;
  const uint32_t hx = HighWord(x);
  const uint32_t ix = hx & 0x7fffffff;
  const bool negative = (hx >> 31) != 0;
  if (ix < 0x4002d97c) {  // |x| < 3pi/4: n = +-1
    const double sign = negative ? -1.0 : 1.0;
    double z = x - sign * kHalfPi1;
    if (ix != 0x3ff921fb) {  // 33 + 53 bits of pi/2 are enough
      head = z - sign * kHalfPi1t;
      tail = (z - head) - sign * kHalfPi1t;
    } else {  // near pi/2: 33 + 33 + 53 bits
      z -= sign * kHalfPi2;
      head = z - sign * kHalfPi2t;
      tail = (z - head) - sign * kHalfPi2t;
    }
    return negative ? -1 : 1;
  }
  const double t = std::fabs(x);
  const int n = static_cast<int>(t * kInvHalfPi + 0.5);
  const double fn = n;
  double r = t - fn * kHalfPi1;
  double w = fn * kHalfPi1t;
  head = r - w;
  // Unless x's high word differs from n * pi/2's (no cancellation possible), check how many
  // bits the subtraction cancelled and refine with the next pieces of pi/2.
  const bool maybe_close = n >= 32 || ix == HighWord(n * (std::numbers::pi / 2));
  const auto cancelled = [&] {
    return static_cast<int>(ix >> 20) - static_cast<int>((HighWord(head) >> 20) & 0x7ff);
  };
  if (maybe_close && cancelled() > 16) {
    double u = r;
    w = fn * kHalfPi2;
    r = u - w;
    w = fn * kHalfPi2t - ((u - r) - w);
    head = r - w;
    if (cancelled() > 49) {
      u = r;
      w = fn * kHalfPi3;
      r = u - w;
      w = fn * kHalfPi3t - ((u - r) - w);
      head = r - w;
    }
  }
  tail = (r - head) - w;
  if (negative) {
    head = -head;
    tail = -tail;
    return -n;
  }
  return n;
}

double JsCos(double x) {
  const uint32_t ix = HighWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return CosNearZero(x, 0);  // |x| <= pi/4
  // Infinity, NaN, or beyond 2^19 * pi/2 (fdlibm's Payne-Hanek range): never reached here,
  // where every angle is below 6 pi.
  if (ix > 0x413921fb) return std::cos(x);
  double head = 0, tail = 0;
  switch (ReduceByHalfPi(x, head, tail) & 3) {
    case 0:
      return CosNearZero(head, tail);
    case 1:
      return -SinNearZero(head, tail);
    case 2:
      return -CosNearZero(head, tail);
    default:
      return SinNearZero(head, tail);
  }
}

// Calls fn(cx, cy) for each DCT term the format keeps for an nx x ny channel, in the order the
// terms are stored: the triangle cx / nx + cy / ny < 1, so diagonal detail, which a blurred
// preview needs least, is dropped first. (0, 0) comes first: the DC term.
template <typename Fn>
void ForEachTerm(int nx, int ny, Fn&& fn) {
  for (int cy = 0; cy < ny; ++cy) {
    for (int cx = 0; cx * ny < nx * (ny - cy); ++cx) fn(cx, cy);
  }
}

int AcTermCount(int nx, int ny) {
  int count = 0;
  ForEachTerm(nx, ny, [&](int, int) { ++count; });
  return count - 1;
}

// Luminance gets the most terms; with alpha present, fewer, to leave room for the alpha ones.
int LuminanceLimit(bool has_alpha) { return has_alpha ? 5 : 7; }

struct EncodedChannel {
  double dc = 0;
  std::vector<double> ac;  // normalised to 0..1 by `scale`
  double scale = 0;        // the largest |AC term|; 0 for a flat channel
};

// The DCT of one w x h channel, keeping the terms ForEachTerm visits. The arithmetic is done
// in the reference's order so that rounding lands on the same side and the bytes agree.
EncodedChannel EncodeChannel(const std::vector<double>& channel, int w, int h, int nx, int ny) {
  EncodedChannel out;
  std::vector<double> fx(w);
  ForEachTerm(nx, ny, [&](int cx, int cy) {
    for (int x = 0; x < w; ++x) fx[x] = JsCos(kPi / w * cx * (x + 0.5));
    double f = 0;
    for (int y = 0; y < h; ++y) {
      const double fy = JsCos(kPi / h * cy * (y + 0.5));
      for (int x = 0; x < w; ++x) f += channel[x + y * w] * fx[x] * fy;
    }
    f /= w * h;
    if (cx == 0 && cy == 0) {
      out.dc = f;
    } else {
      out.ac.push_back(f);
      out.scale = std::max(out.scale, std::abs(f));
    }
  });
  if (out.scale != 0) {
    for (double& f : out.ac) f = 0.5 + 0.5 / out.scale * f;
  }
  return out;
}

// Reads the 4-bit AC values packed low nibble first after the header.
// REQUIRES: the caller checked the hash holds every nibble it will ask for.
class NibbleReader {
 public:
  NibbleReader(std::span<const uint8_t> hash, size_t start) : hash_(hash), start_(start) {}
  int Next() {
    const size_t byte = start_ + (index_ >> 1);
    assert(byte < hash_.size());
    const int nibble = (hash_[byte] >> ((index_ & 1) * 4)) & 15;
    ++index_;
    return nibble;
  }
  // nx x ny terms (DC excluded) mapped back from 0..15 to -scale..scale.
  std::vector<double> Channel(int nx, int ny, double scale) {
    std::vector<double> ac(AcTermCount(nx, ny));
    for (double& f : ac) f = (Next() / 7.5 - 1) * scale;
    return ac;
  }

 private:
  std::span<const uint8_t> hash_;
  size_t start_;
  size_t index_ = 0;
};

// `dc` plus the AC terms of an nx x ny channel at one pixel, given its cosines fx[cx] and
// fy[cy]. Accumulated from the DC and multiplied in the reference's order, to the last bit.
double AddTerms(double dc, const std::vector<double>& ac, int nx, int ny, const double* fx,
                const double* fy) {
  double sum = dc;
  size_t j = 0;
  ForEachTerm(nx, ny, [&](int cx, int cy) {
    if (cx == 0 && cy == 0) return;
    sum += ac[j++] * fx[cx] * (fy[cy] * 2);
  });
  return sum;
}

// A decoded channel value to a byte: clamped to 0..1, then truncated, as a Uint8Array stores it.
uint8_t ToByte(double v) { return static_cast<uint8_t>(std::max(0.0, 255 * std::min(1.0, v))); }

}  // namespace

Result<std::vector<uint8_t>> ThumbHashFromRgba(int width, int height, const uint8_t* rgba) {
  if (width <= 0 || height <= 0 || width > kThumbHashMaxInputSide ||
      height > kThumbHashMaxInputSide) {
    return Status::InvalidArgument("thumbhash: " + std::to_string(width) + "x" +
                                   std::to_string(height) + " does not fit in 1x1..100x100");
  }
  assert(rgba != nullptr);
  const int w = width, h = height, n = width * height;

  // The average colour, weighted by alpha: the colour transparent pixels are composited onto.
  double avg_r = 0, avg_g = 0, avg_b = 0, avg_a = 0;
  for (int i = 0; i < n; ++i) {
    const uint8_t* px = rgba + 4 * i;
    const double alpha = px[3] / 255.0;
    avg_r += alpha / 255 * px[0];
    avg_g += alpha / 255 * px[1];
    avg_b += alpha / 255 * px[2];
    avg_a += alpha;
  }
  if (avg_a > 0) {
    avg_r /= avg_a;
    avg_g /= avg_a;
    avg_b /= avg_a;
  }

  const bool has_alpha = avg_a < n;
  const int limit = LuminanceLimit(has_alpha);
  const int lx = std::max(1, JsRound(static_cast<double>(limit) * w / std::max(w, h)));
  const int ly = std::max(1, JsRound(static_cast<double>(limit) * h / std::max(w, h)));

  // To luminance, yellow-blue, red-green and alpha, composited over the average colour so
  // that the hidden colour of transparent pixels does not leak into the preview.
  std::vector<double> l(n), p(n), q(n), a(n);
  for (int i = 0; i < n; ++i) {
    const uint8_t* px = rgba + 4 * i;
    const double alpha = px[3] / 255.0;
    const double r = avg_r * (1 - alpha) + alpha / 255 * px[0];
    const double g = avg_g * (1 - alpha) + alpha / 255 * px[1];
    const double b = avg_b * (1 - alpha) + alpha / 255 * px[2];
    l[i] = (r + g + b) / 3;
    p[i] = (r + g) / 2 - b;
    q[i] = r - g;
    a[i] = alpha;
  }

  const EncodedChannel lum = EncodeChannel(l, w, h, std::max(3, lx), std::max(3, ly));
  const EncodedChannel yb = EncodeChannel(p, w, h, 3, 3);
  const EncodedChannel rg = EncodeChannel(q, w, h, 3, 3);
  const EncodedChannel alp = has_alpha ? EncodeChannel(a, w, h, 5, 5) : EncodedChannel{};

  // Header: 24 bits of DCs and luminance scale, then 16 bits of the short side's term count,
  // the colour scales and the landscape flag. Only the short side is stored: the long side
  // always has `limit` terms.
  const bool landscape = w > h;
  const uint32_t header24 = static_cast<uint32_t>(JsRound(63 * lum.dc)) |
                            static_cast<uint32_t>(JsRound(31.5 + 31.5 * yb.dc)) << 6 |
                            static_cast<uint32_t>(JsRound(31.5 + 31.5 * rg.dc)) << 12 |
                            static_cast<uint32_t>(JsRound(31 * lum.scale)) << 18 |
                            static_cast<uint32_t>(has_alpha) << 23;
  const uint32_t header16 = static_cast<uint32_t>(landscape ? ly : lx) |
                            static_cast<uint32_t>(JsRound(63 * yb.scale)) << 3 |
                            static_cast<uint32_t>(JsRound(63 * rg.scale)) << 9 |
                            static_cast<uint32_t>(landscape) << 15;
  std::vector<uint8_t> hash = {
      static_cast<uint8_t>(header24 & 255), static_cast<uint8_t>((header24 >> 8) & 255),
      static_cast<uint8_t>(header24 >> 16), static_cast<uint8_t>(header16 & 255),
      static_cast<uint8_t>(header16 >> 8)};
  if (has_alpha) {
    hash.push_back(static_cast<uint8_t>(JsRound(15 * alp.dc) | JsRound(15 * alp.scale) << 4));
  }

  // The AC terms, 4 bits each, low nibble first.
  const size_t ac_start = hash.size();
  size_t index = 0;
  for (const EncodedChannel* channel : {&lum, &yb, &rg, &alp}) {
    for (double f : channel->ac) {
      const size_t byte = ac_start + (index >> 1);
      if (byte >= hash.size()) hash.push_back(0);
      hash[byte] |= static_cast<uint8_t>(JsRound(15 * f) << ((index & 1) * 4));
      ++index;
    }
  }
  return hash;
}

std::string ThumbHashBase64(std::span<const uint8_t> hash) {
  std::unique_ptr<gchar, decltype(&g_free)> text(g_base64_encode(hash.data(), hash.size()),
                                                 &g_free);
  return text ? std::string(text.get()) : std::string();
}

Result<DecodedThumbHash> ThumbHashToRgba(std::span<const uint8_t> hash) {
  const auto corrupt = [&](const std::string& why) {
    return Status::Corrupt("thumbhash: " + std::to_string(hash.size()) + " bytes: " + why);
  };
  if (hash.size() < 5) return corrupt("shorter than the 5-byte header");
  const uint32_t header24 = hash[0] | hash[1] << 8 | hash[2] << 16;
  const uint32_t header16 = hash[3] | hash[4] << 8;
  const bool has_alpha = (header24 >> 23) != 0;
  const bool landscape = (header16 >> 15) != 0;
  const int stored = header16 & 7;  // the short side's luminance term count
  if (stored == 0) return corrupt("the header declares no luminance terms");
  const int limit = LuminanceLimit(has_alpha);
  const int lx = landscape ? limit : stored;
  const int ly = landscape ? stored : limit;
  const int nx = std::max(3, lx), ny = std::max(3, ly);

  // The length the header implies; a hash cut short would otherwise be read past its end.
  const size_t ac_start = has_alpha ? 6 : 5;
  const int terms =
      AcTermCount(nx, ny) + 2 * AcTermCount(3, 3) + (has_alpha ? AcTermCount(5, 5) : 0);
  const size_t expected = ac_start + (terms + 1) / 2;
  if (hash.size() != expected) {
    return corrupt("the header announces " + std::to_string(expected));
  }

  const double l_dc = (header24 & 63) / 63.0;
  const double p_dc = ((header24 >> 6) & 63) / 31.5 - 1;
  const double q_dc = ((header24 >> 12) & 63) / 31.5 - 1;
  const double l_scale = ((header24 >> 18) & 31) / 31.0;
  const double p_scale = ((header16 >> 3) & 63) / 63.0;
  const double q_scale = ((header16 >> 9) & 63) / 63.0;
  const double a_dc = has_alpha ? (hash[5] & 15) / 15.0 : 1;
  const double a_scale = has_alpha ? (hash[5] >> 4) / 15.0 : 0;

  // Colour terms are boosted 1.25x: quantisation to 4 bits washes saturation out.
  NibbleReader reader(hash, ac_start);
  const std::vector<double> l_ac = reader.Channel(nx, ny, l_scale);
  const std::vector<double> p_ac = reader.Channel(3, 3, p_scale * 1.25);
  const std::vector<double> q_ac = reader.Channel(3, 3, q_scale * 1.25);
  const std::vector<double> a_ac =
      has_alpha ? reader.Channel(5, 5, a_scale) : std::vector<double>{};

  // The output keeps the stored (not the padded) term ratio as its aspect ratio.
  const double ratio = static_cast<double>(lx) / ly;
  DecodedThumbHash out;
  out.width = JsRound(ratio > 1 ? kDecodedLongSide : kDecodedLongSide * ratio);
  out.height = JsRound(ratio > 1 ? kDecodedLongSide / ratio : kDecodedLongSide);
  out.rgba.resize(static_cast<size_t>(out.width) * out.height * 4);

  const int cos_x = std::max(nx, 5), cos_y = std::max(ny, 5);
  std::vector<double> fx(cos_x), fy(cos_y);
  uint8_t* px = out.rgba.data();
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x, px += 4) {
      for (int cx = 0; cx < cos_x; ++cx) fx[cx] = JsCos(kPi / out.width * (x + 0.5) * cx);
      for (int cy = 0; cy < cos_y; ++cy) fy[cy] = JsCos(kPi / out.height * (y + 0.5) * cy);
      const double l = AddTerms(l_dc, l_ac, nx, ny, fx.data(), fy.data());
      // P and Q share their cosine products; the reference groups the product that way.
      double p = p_dc, q = q_dc;
      size_t j = 0;
      ForEachTerm(3, 3, [&](int cx, int cy) {
        if (cx == 0 && cy == 0) return;
        const double f = fx[cx] * (fy[cy] * 2);
        p += p_ac[j] * f;
        q += q_ac[j] * f;
        ++j;
      });
      const double a = has_alpha ? AddTerms(a_dc, a_ac, 5, 5, fx.data(), fy.data()) : a_dc;
      // Back from LPQ to RGB: the inverse of the encoder's l, p, q.
      const double b = l - 2.0 / 3 * p;
      const double r = (3 * l - b + q) / 2;
      const double g = r - q;
      px[0] = ToByte(r);
      px[1] = ToByte(g);
      px[2] = ToByte(b);
      px[3] = ToByte(a);
    }
  }
  return out;
}

Result<std::string> ThumbHashForImage(const vips::VImage& image) {
  if (image.get_image() == nullptr || image.width() <= 0 || image.height() <= 0) {
    return Status::InvalidArgument("thumbhash: empty image");
  }
  Image rgba;
  // The thumbnailer's own colour steps, so a placeholder matches the thumbnail it stands for.
  TESSERA_RETURN_IF_ERROR(media::CatchVips("thumbhash", /*during_load=*/false, [&] {
    const pipeline::Working space = pipeline::ToWorkingSpace(image);
    const media::Size fit = pipeline::FitInside({image.width(), image.height()},
                                                kThumbHashMaxInputSide, kThumbHashMaxInputSide);
    rgba = pipeline::ToImage(
        pipeline::ToSrgbRgba(pipeline::ResizeExact(space.image, fit, "lanczos3"), space));
  }));
  TESSERA_ASSIGN_OR_RETURN(std::vector<uint8_t> hash,
                           ThumbHashFromRgba(rgba.width, rgba.height, rgba.rgba.data()));
  return ThumbHashBase64(hash);
}

}  // namespace tessera::placeholder
