#include "src/pipeline/colour.h"

#include <lcms2.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace tessera::pipeline {
namespace {

using vips::VImage;

constexpr double kMaxAlpha = 255.0;

// Device colour to 8-bit sRGB without a profile: grey, 16-bit, Lab, ... via colourspace.
VImage DeviceToSrgb(const VImage& colour) {
  if (colour.interpretation() == VIPS_INTERPRETATION_sRGB && colour.format() == VIPS_FORMAT_UCHAR &&
      colour.bands() == 3) {
    return colour;
  }
  try {
    VImage out = colour.colourspace(VIPS_INTERPRETATION_sRGB);
    if (out.bands() == 3 && out.format() == VIPS_FORMAT_UCHAR) return out;
    if (out.bands() == 3) return out.cast(VIPS_FORMAT_UCHAR);
  } catch (const vips::VError& e) {
    vips_error_clear();
    spdlog::debug("colour: no colourspace conversion from {}: {}",
                  vips_enum_nick(VIPS_TYPE_INTERPRETATION, colour.interpretation()), e.what());
  }
  // Unusual band layouts: take the first band as grey, or the first three as RGB.
  VImage rgb =
      colour.bands() >= 3
          ? colour.extract_band(0, VImage::option()->set("n", 3))
          : colour.extract_band(0).bandjoin({colour.extract_band(0), colour.extract_band(0)});
  return rgb.cast(VIPS_FORMAT_UCHAR)
      .copy(VImage::option()->set("interpretation", static_cast<int>(VIPS_INTERPRETATION_sRGB)));
}

// The embedded profile's bytes, empty when there is none.
std::string_view EmbeddedProfile(const VImage& image) {
  if (image.get_typeof(VIPS_META_ICC_NAME) == 0) return {};
  size_t length = 0;
  const void* data = image.get_blob(VIPS_META_ICC_NAME, &length);
  return {static_cast<const char*>(data), length};
}

}  // namespace

bool IsSrgbProfile(std::string_view icc) {
  if (icc.empty()) return false;
  std::unique_ptr<void, decltype(&cmsCloseProfile)> profile(
      cmsOpenProfileFromMem(icc.data(), static_cast<cmsUInt32Number>(icc.size())),
      &cmsCloseProfile);
  if (!profile || cmsGetColorSpace(profile.get()) != cmsSigRgbData) return false;
  char description[256] = {};
  cmsGetProfileInfoASCII(profile.get(), cmsInfoDescription, "en", "US", description,
                         sizeof description);
  return std::string_view(description).find("sRGB") != std::string_view::npos;
}

Working ToWorkingSpace(const VImage& decoded) {
  Working w;
  VImage colour = decoded;
  VImage alpha;
  if (decoded.has_alpha() && decoded.bands() > 1) {
    w.has_alpha = true;
    const int n = decoded.bands() - 1;
    colour = decoded.extract_band(0, VImage::option()->set("n", n));
    alpha = decoded.extract_band(n);
    // 16-bit alpha runs to 65535; everything else we load stores it 0..255.
    const bool wide =
        decoded.format() == VIPS_FORMAT_USHORT || decoded.format() == VIPS_FORMAT_SHORT;
    const double max_alpha = wide ? 65535.0 : kMaxAlpha;
    if (max_alpha != kMaxAlpha) alpha = alpha.linear(kMaxAlpha / max_alpha, 0.0);
  }
  const bool cmyk = decoded.interpretation() == VIPS_INTERPRETATION_CMYK;
  const std::string_view icc = EmbeddedProfile(decoded);
  bool transformed = false;
  if (cmyk || (!icc.empty() && !IsSrgbProfile(icc))) {
    try {
      // Built at once, so a profile lcms rejects fails here rather than mid-pipeline.
      colour =
          colour.icc_transform("srgb", VImage::option()
                                           ->set("embedded", true)
                                           ->set("input_profile", cmyk ? "cmyk" : "srgb")
                                           ->set("depth", 8)
                                           ->set("intent", static_cast<int>(VIPS_INTENT_RELATIVE)));
      transformed = true;
    } catch (const vips::VError& e) {
      vips_error_clear();
      spdlog::debug("colour: ICC transform failed, ignoring the profile: {}", e.what());
    }
  }
  colour =
      DeviceToSrgb(transformed ? colour.copy(VImage::option()->set(
                                     "interpretation", static_cast<int>(VIPS_INTERPRETATION_sRGB)))
                               : colour);
  if (w.has_alpha) {
    w.image = colour.bandjoin(alpha).premultiply(VImage::option()->set("max_alpha", kMaxAlpha));
  } else {
    w.image = colour;
  }
  return w;
}

VImage ToSrgb(const VImage& resized, const Working& space) {
  VImage colour = resized;
  VImage alpha;
  if (space.has_alpha) {
    const VImage straight = resized.unpremultiply(VImage::option()->set("max_alpha", kMaxAlpha));
    const int n = straight.bands() - 1;
    colour = straight.extract_band(0, VImage::option()->set("n", n));
    alpha = straight.extract_band(n).rint().cast(VIPS_FORMAT_UCHAR);
  }
  if (colour.format() != VIPS_FORMAT_UCHAR) {
    colour = colour.rint().cast(VIPS_FORMAT_UCHAR);
  }
  const VImage out = space.has_alpha ? colour.bandjoin(alpha) : colour;
  return out.copy(
      VImage::option()->set("interpretation", static_cast<int>(VIPS_INTERPRETATION_sRGB)));
}

VImage ToSrgbRgba(const VImage& resized, const Working& space) {
  const VImage srgb = ToSrgb(resized, space);
  if (space.has_alpha) return srgb;
  return srgb.bandjoin_const({255.0}).copy(
      VImage::option()->set("interpretation", static_cast<int>(VIPS_INTERPRETATION_sRGB)));
}

}  // namespace tessera::pipeline
