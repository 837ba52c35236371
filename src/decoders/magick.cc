#include "src/decoders/magick.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <new>
#include <vector>

#include "src/decoders/magick_coders.h"
#include "src/decoders/magick_complete.h"
#include "src/decoders/magick_plus.h"
#include "src/decoders/magick_read.h"
#include "src/media/vips_loader.h"
#include "src/pipeline/colour.h"

namespace tessera::decoders {
namespace {

using vips::VImage;

// Which image of a multi-image file stands for it.
enum class Pick {
  kFirst,    // PSD's merged composite (scene 0), the first frame of anything else
  kLargest,  // ICO and CUR: the entry with the most pixels
  kFlatten,  // XCF: a canvas and its layers, flattened onto transparency
};

Pick PickFor(const std::string& coder) {
  if (coder == "ICO" || coder == "CUR") return Pick::kLargest;
  if (coder == "XCF") return Pick::kFlatten;
  return Pick::kFirst;
}

// The entry with the most pixels; on a tie the one with alpha, then the deeper one; the first
// of equals (icons list each size at several depths).
size_t LargestIndex(const std::vector<Magick::Image>& list) {
  auto key = [](const Magick::Image& i) {
    return std::make_tuple(uint64_t{i.columns()} * i.rows(), i.matte(), i.depth());
  };
  size_t best = 0;
  for (size_t i = 1; i < list.size(); ++i) {
    if (key(list[i]) > key(list[best])) best = i;
  }
  return best;
}

// EXIF orientations 5..8 (ImageMagick's LeftTop..LeftBottom) turn the image on its side.
bool SwapsAxes(Magick::OrientationType o) {
  return o == Magick::LeftTopOrientation || o == Magick::RightTopOrientation ||
         o == Magick::RightBottomOrientation || o == Magick::LeftBottomOrientation;
}

std::string InterpretationName(const Magick::Image& image) {
  switch (image.colorSpace()) {
    case Magick::CMYKColorspace:
      return "cmyk";
    case Magick::GRAYColorspace:
      return "b-w";
    default:
      return "srgb";
  }
}

// What DecodeMagick delivers for `image` (upright, orientation 1).
ProbeInfo Describe(const Magick::Image& image, const std::string& coder, Pick pick, size_t entries,
                   size_t file_size) {
  ProbeInfo info;
  info.mime_type = MimeForMagickCoder(coder);
  info.format = "magick";
  const bool swap = SwapsAxes(image.orientation());
  info.width = static_cast<int>(swap ? image.rows() : image.columns());
  info.height = static_cast<int>(swap ? image.columns() : image.rows());
  info.orientation = 1;
  info.pages = pick == Pick::kLargest ? static_cast<int>(entries) : 1;
  info.has_alpha = image.matte() || pick == Pick::kFlatten;
  info.bands = info.has_alpha ? 4 : 3;
  info.bits_per_sample = image.depth() <= 8 ? 8 : 16;
  info.has_icc_profile = image.iccColorProfile().length() > 0;
  info.interpretation = InterpretationName(image);
  info.file_size = file_size;
  return info;
}

Status Precheck(const std::string& path, const std::string& coder) {
  // Before ImageMagick sees a byte: a coder off the allowlist never reaches it.
  if (!IsAllowedMagickCoder(coder)) {
    return Status::Unsupported(path + ": ImageMagick: the coder \"" + coder + "\" is not allowed");
  }
  return InitMagick();
}

// ImageMagick 6 hands XCF layers back bottom first, each with its offset in page(), and drops
// the canvas; flattening onto a transparent canvas of the document's size puts them back.
Magick::Image Flatten(std::vector<Magick::Image>& layers, Size canvas) {
  Magick::Image& bottom = layers.front();
  const Magick::Geometry page = bottom.page();
  bottom.page(Magick::Geometry(canvas.width, canvas.height, page.xOff(), page.yOff()));
  bottom.backgroundColor(Magick::Color("none"));
  Magick::Image flat;
  Magick::flattenImages(&flat, layers.begin(), layers.end());
  return flat;
}

Magick::Image Select(std::vector<Magick::Image>& list, Pick pick, Size canvas) {
  if (pick == Pick::kLargest) return list[LargestIndex(list)];
  if (pick == Pick::kFlatten) return Flatten(list, canvas);
  return list.front();
}

// libvips' built-in sRGB profile, for ImageMagick's lcms transform. Throws vips::VError.
const std::string& SrgbProfile() {
  static const std::string profile = [] {
    VipsBlob* blob = VImage::profile_load("srgb");
    size_t length = 0;
    const void* data = vips_blob_get(blob, &length);
    std::string bytes(static_cast<const char*>(data), length);
    vips_area_unref(VIPS_AREA(blob));
    return bytes;
  }();
  return profile;
}

// Colour spaces whose values are exported as they are, as ImageMagick's own writers do: grey
// is replicated, and ImageMagick labels some 8- and 16-bit data "RGB" (linear) that is really
// display-referred (its DPX writer does; converting would brighten it). CMYK, log, YCbCr, Lab
// and the rest are converted.
bool SrgbCompatible(Magick::ColorspaceType c) {
  return c == Magick::sRGBColorspace || c == Magick::RGBColorspace || c == Magick::GRAYColorspace ||
         c == MagickCore::LinearGRAYColorspace || c == Magick::TransparentColorspace ||
         c == Magick::UndefinedColorspace;
}

// Upright, sRGB. Throws Magick::Exception, vips::VError.
void ToUprightSrgb(const std::string& path, Magick::Image& image) {
  const Magick::OrientationType o = image.orientation();
  if (o != Magick::UndefinedOrientation && o != Magick::TopLeftOrientation) image.autoOrient();
  const Magick::Blob icc = image.iccColorProfile();
  if (icc.length() > 0 && !pipeline::IsSrgbProfile(std::string_view(
                              static_cast<const char*>(icc.data()), icc.length()))) {
    try {
      const std::string& srgb = SrgbProfile();
      image.profile("ICC", Magick::Blob(srgb.data(), srgb.size()));  // lcms: embedded -> sRGB
    } catch (const Magick::Exception& e) {
      // As thumbnail.c does: a profile lcms rejects is ignored.
      spdlog::debug("ImageMagick: {}: ICC profile ignored: {}", path, e.what());
    }
  }
  if (!SrgbCompatible(image.colorSpace())) image.colorSpace(Magick::sRGBColorspace);
}

// The largest integer box-shrink that still covers `min`.
int ShrinkFactor(int width, int height, Size min) {
  if (min.width <= 0 || min.height <= 0 || width < min.width || height < min.height) return 1;
  return std::max(1, std::min(width / min.width, height / min.height));
}

// 8-bit RGB or RGBA pixels in a libvips image of their own. Throws Magick::Exception,
// vips::VError.
VImage Export(Magick::Image& image) {
  const int width = static_cast<int>(image.columns());
  const int height = static_cast<int>(image.rows());
  const bool alpha = image.matte();
  const int bands = alpha ? 4 : 3;
  std::vector<uint8_t> pixels(size_t(width) * height * bands);
  image.write(0, 0, width, height, alpha ? "RGBA" : "RGB", Magick::CharPixel, pixels.data());
  VipsImage* out = vips_image_new_from_memory_copy(pixels.data(), pixels.size(), width, height,
                                                   bands, VIPS_FORMAT_UCHAR);
  if (out == nullptr) throw vips::VError();
  return VImage(out).copy(
      VImage::option()->set("interpretation", static_cast<int>(VIPS_INTERPRETATION_sRGB)));
}

template <typename Fn>
auto CatchMagick(const std::string& path, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Magick::Exception& e) {
    return MagickExceptionStatus(path, e, /*during_load=*/true);
  } catch (const vips::VError& e) {
    return media::VipsErrorStatus(path, e, /*during_load=*/false);
  } catch (const std::bad_alloc&) {
    return Status::TooLarge(path + ": ImageMagick: out of memory");
  }
}

}  // namespace

Result<ProbeInfo> ProbeMagick(const std::string& path, std::string_view bytes,
                              const std::string& coder) {
  TESSERA_RETURN_IF_ERROR(Precheck(path, coder));
  return CatchMagick(path, [&]() -> Result<ProbeInfo> {
    const Pick pick = PickFor(coder);
    TESSERA_ASSIGN_OR_RETURN(
        std::vector<Magick::Image> list,
        ReadMagick(path, bytes, coder,
                   MagickRead{.ping = true, .first_only = pick != Pick::kLargest}));
    const Magick::Image& image = pick == Pick::kLargest ? list[LargestIndex(list)] : list.front();
    return Describe(image, coder, pick, list.size(), bytes.size());
  });
}

Result<Decoded> DecodeMagick(const std::string& path, std::string_view bytes,
                             const std::string& coder, const MinSizeFn& min_size) {
  TESSERA_RETURN_IF_ERROR(Precheck(path, coder));
  TESSERA_RETURN_IF_ERROR(CheckNotTruncated(path, coder, bytes));
  return CatchMagick(path, [&]() -> Result<Decoded> {
    const Pick pick = PickFor(coder);
    Size canvas;
    if (pick == Pick::kFlatten) {  // the document's size: only a ping of scene 0 tells it
      TESSERA_ASSIGN_OR_RETURN(std::vector<Magick::Image> doc,
                               ReadMagick(path, bytes, coder, MagickRead{.ping = true}));
      canvas = Size{static_cast<int>(doc.front().columns()), static_cast<int>(doc.front().rows())};
    }
    TESSERA_ASSIGN_OR_RETURN(
        std::vector<Magick::Image> list,
        ReadMagick(path, bytes, coder, MagickRead{.first_only = pick == Pick::kFirst}));
    Magick::Image image = Select(list, pick, canvas);
    image.quiet(true);  // a flattened image is new; its warnings are not failures either
    const ProbeInfo info = Describe(image, coder, pick, list.size(), bytes.size());
    list.clear();  // the other entries or layers are not needed any more
    ToUprightSrgb(path, image);
    const int f = ShrinkFactor(info.width, info.height, min_size(info));
    if (f > 1) {
      // A box filter that weighs colour by alpha; the pipeline does the real resampling.
      Magick::Geometry size(image.columns() / f, image.rows() / f);
      size.aspect(true);
      image.scale(size);
    }
    return Decoded{info, Export(image)};
  });
}

}  // namespace tessera::decoders
