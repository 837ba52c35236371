#include "src/decoders/raw.h"

#include <spdlog/spdlog.h>

#include <new>
#include <optional>

#include "src/decoders/raw_geometry.h"
#include "src/decoders/raw_libraw.h"
#include "src/decoders/raw_tiff.h"
#include "src/media/jpeg_fast.h"
#include "src/media/vips_loader.h"
#include "src/pipeline/resize.h"

namespace tessera::decoders {
namespace {

using vips::VImage;

// LibRaw's demosaic for full-size decodes: PPG (2). On the 2400x1600 corpus DNG it took
// 154 ms against 299 ms for the default AHD and 208 ms for bilinear; the thumbnail hides the
// difference in quality.
constexpr int kDemosaicQuality = 2;

struct RawHeader {
  ProbeInfo info;  // upright
  int flip = 0;    // normalised to 0..7 by LibRaw
};

Size UprightSize(const RawHeader& h) { return Size{h.info.width, h.info.height}; }

// An 8-bit sRGB (3 bands) or grey (1 band) image holding a copy of `data`.
VImage CopyPixels(const void* data, size_t size, int width, int height, int bands) {
  VipsImage* image =
      vips_image_new_from_memory_copy(data, size, width, height, bands, VIPS_FORMAT_UCHAR);
  if (image == nullptr) throw vips::VError();
  return VImage(image).copy(VImage::option()->set(
      "interpretation",
      static_cast<int>(bands == 1 ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB)));
}

// adjust_sizes_info_only leaves the upright output size in iwidth x iheight (it swaps those,
// not width x height, for transposing flips), with the pixel aspect already corrected.
Result<RawHeader> ReadHeader(RawProcessor& raw, const RawOptions& options) {
  LibRaw& lr = raw.lr();
  lr.imgdata.params.user_flip = options.user_flip;
  TESSERA_RETURN_IF_ERROR(raw.Check(lr.adjust_sizes_info_only()));
  const libraw_image_sizes_t& s = lr.imgdata.sizes;
  if (uint64_t{s.iwidth} * s.iheight > kMaxRawPixels) {
    return Status::TooLarge(raw.path() + ": LibRaw: the output size exceeds the pixel limit");
  }
  if (s.iwidth == 0 || s.iheight == 0) {
    return Status::Corrupt(raw.path() + ": LibRaw: the file declares no image size");
  }
  RawHeader h;
  h.flip = s.flip >= 0 && s.flip <= 7 ? s.flip : 0;
  h.info.mime_type = lr.imgdata.idata.dng_version != 0 ? "image/x-adobe-dng" : "image/x-dcraw";
  h.info.format = "raw";
  h.info.width = s.iwidth;
  h.info.height = s.iheight;
  h.info.orientation = 1;
  h.info.bands = 3;
  h.info.bits_per_sample = 16;  // LibRaw's raw values are 16-bit words
  h.info.interpretation = "srgb";
  h.info.file_size = raw.file_size();
  return h;
}

// Any colour space, 1..4 bands, to 8-bit sRGB with 3 bands, in memory, with no orientation tag
// left for a later step to apply a second time.
VImage FinishImage(VImage image) {
  if (image.interpretation() != VIPS_INTERPRETATION_sRGB || image.bands() != 3) {
    image = image.colourspace(VIPS_INTERPRETATION_sRGB);
  }
  if (image.bands() > 3) image = image.extract_band(0, VImage::option()->set("n", 3));
  if (image.format() != VIPS_FORMAT_UCHAR) image = image.cast(VIPS_FORMAT_UCHAR);
  image = image.copy_memory();
  image.remove(VIPS_META_ORIENTATION);
  return image;
}

// The largest jpegload shrink whose output, cropped to the image's aspect, still covers `min`.
int VipsJpegShrink(Size preview, Size image, Size min) {
  for (int s : {8, 4, 2}) {
    if (CropToAspect(Size{preview.width / s, preview.height / s}, image).Covers(min)) return s;
  }
  return 1;
}

// The preview JPEG at the smallest sufficient scale, or nullopt when it is too small or
// cannot be decoded (the caller then demosaics). All sizes in stored orientation.
std::optional<VImage> DecodeJpegPreview(const std::string& path, std::string_view jpeg, Size image,
                                        Size min, RawDecodeReport* report) {
  // The real size is in the JPEG header: LibRaw's twidth x theight may be the sensor's.
  VImage header = media::OpenWithVips(jpeg, media::LoadRequest{.family = "jpeg"});
  const Size preview{header.width(), header.height()};
  report->preview = preview;
  if (uint64_t(preview.width) * preview.height > kMaxRawPixels) return std::nullopt;
  const int scale_num = PreviewScaleNum(preview, image, min);
  if (scale_num == 0) return std::nullopt;
  Result<std::optional<VImage>> fast =
      media::DecodeJpegFast(path, jpeg, media::FastJpegOptions{.scale_num = scale_num});
  if (!fast.ok()) {
    spdlog::debug("raw: {}: preview unusable: {}", path, fast.status().ToString());
    return std::nullopt;
  }
  if (fast->has_value()) return **fast;
  // Not YCbCr or grey (an RGB- or CMYK-coded JPEG): libvips' jpegload, shrinking on load.
  media::LoadRequest request{.family = "jpeg"};
  request.jpeg_shrink = VipsJpegShrink(preview, image, min);
  return media::OpenWithVips(jpeg, request).copy_memory();
}

// The embedded preview, upright and cropped to the image's aspect, or nullopt.
std::optional<VImage> TryPreview(RawProcessor& raw, const RawHeader& header, Size min,
                                 RawDecodeReport* report) {
  LibRaw& lr = raw.lr();
  if (const int rc = lr.unpack_thumb(); rc != LIBRAW_SUCCESS) {
    spdlog::debug("raw: {}: no preview: {}", raw.path(), libraw_strerror(rc));
    return std::nullopt;
  }
  const libraw_thumbnail_t& t = lr.imgdata.thumbnail;
  if (raw.PreviewEnd() > raw.file_size() || t.thumb == nullptr) {
    spdlog::debug("raw: {}: the preview runs past the end of the file", raw.path());
    return std::nullopt;
  }
  const bool swap = FlipSwapsAxes(header.flip);
  const Size image = SwapIf(UprightSize(header), swap);
  const Size stored_min = SwapIf(min, swap);
  const std::string_view data(t.thumb, t.tlength);
  std::optional<VImage> decoded;
  if (t.tformat == LIBRAW_THUMBNAIL_JPEG) {
    report->path = RawPath::kPreviewJpeg;
    try {
      decoded = DecodeJpegPreview(raw.path(), data, image, stored_min, report);
    } catch (const vips::VError& e) {
      // A broken preview is no reason to give up: the raw data may be fine.
      spdlog::debug("raw: {}: preview unusable: {}", raw.path(), e.what());
      vips_error_clear();
    }
  } else if (t.tformat == LIBRAW_THUMBNAIL_BITMAP && (t.tcolors == 3 || t.tcolors == 1) &&
             t.twidth > 0 && t.theight > 0 &&
             data.size() >= size_t{t.twidth} * t.theight * t.tcolors) {
    report->path = RawPath::kPreviewBitmap;
    report->preview = Size{t.twidth, t.theight};
    if (PreviewScaleNum(report->preview, image, stored_min) > 0) {  // no scaling: covers at 8/8
      decoded = CopyPixels(data.data(), size_t{t.twidth} * t.theight * t.tcolors, t.twidth,
                           t.theight, t.tcolors);
    }
  }
  if (!decoded) return std::nullopt;
  const Size got{decoded->width(), decoded->height()};
  const Size crop = CropToAspect(got, image);
  VImage out = *decoded;
  if (!(crop == got)) {
    out = out.crop((got.width - crop.width) / 2, (got.height - crop.height) / 2, crop.width,
                   crop.height);
  }
  out = FinishImage(pipeline::Orient(out, ExifOrientationForLibRawFlip(header.flip)));
  report->decoded = Size{out.width(), out.height()};
  return out;
}

// LibRaw's demosaic: camera white balance, sRGB, 8 bits, half size when that covers `min`.
Result<VImage> Demosaic(RawProcessor& raw, const RawHeader& header, Size min,
                        RawDecodeReport* report) {
  LibRaw& lr = raw.lr();
  libraw_output_params_t& p = lr.imgdata.params;
  const bool half = HalfSizeCovers(UprightSize(header), min);
  p.half_size = half ? 1 : 0;
  p.use_camera_wb = 1;
  p.output_color = 1;  // sRGB
  p.output_bps = 8;
  p.user_qual = kDemosaicQuality;
  TESSERA_RETURN_IF_ERROR(raw.Check(lr.unpack()));
  TESSERA_RETURN_IF_ERROR(raw.Check(lr.dcraw_process()));
  int error = LIBRAW_SUCCESS;
  ProcessedImage mem(lr.dcraw_make_mem_image(&error));
  if (mem == nullptr) return raw.Check(error != LIBRAW_SUCCESS ? error : LIBRAW_UNSPECIFIED_ERROR);
  TESSERA_RETURN_IF_ERROR(raw.Check(LIBRAW_SUCCESS));
  if (mem->type != LIBRAW_IMAGE_BITMAP || mem->bits != 8 ||
      (mem->colors != 3 && mem->colors != 1) ||
      size_t{mem->data_size} < size_t{mem->width} * mem->height * mem->colors) {
    return Status::Unsupported(raw.path() + ": LibRaw: unexpected output format");
  }
  // dcraw_make_mem_image has applied the flip already (measured: a DNG tagged Rotate 90 CW
  // comes out portrait, turned clockwise), so there is no Orient here.
  VImage image = CopyPixels(mem->data, size_t{mem->width} * mem->height * mem->colors, mem->width,
                            mem->height, mem->colors);
  mem.reset();
  const Size got{image.width(), image.height()};
  report->path =
      got.width * 4 < header.info.width * 3 ? RawPath::kDemosaicHalf : RawPath::kDemosaic;
  report->decoded = got;
  if (const int f = ShrinkFactorToCover(got, min); f > 1) image = image.shrink(f, f);
  return FinishImage(image);
}

Result<Decoded> DecodeRawOrThrow(const std::string& path, std::string_view bytes,
                                 const MinSizeFn& min_size, const RawOptions& options,
                                 RawDecodeReport* report) {
  TESSERA_ASSIGN_OR_RETURN(std::unique_ptr<RawProcessor> raw, RawProcessor::Open(path, bytes));
  TESSERA_ASSIGN_OR_RETURN(RawHeader header, ReadHeader(*raw, options));
  report->flip = header.flip;
  const Size min = min_size(header.info);
  if (options.allow_preview) {
    if (const uint64_t extent = TiffDataExtent(bytes); extent > bytes.size()) {
      // The preview may be whole, but a file cut short must not pass for a good one: the
      // demosaic tells (a wrong byte count in a healthy file then only costs time).
      spdlog::debug("raw: {}: data reaches byte {} of {}; skipping the preview", path, extent,
                    bytes.size());
    } else {
      TESSERA_RETURN_IF_ERROR(raw->Reopen());
      raw->lr().imgdata.params.user_flip = options.user_flip;
      if (std::optional<VImage> preview = TryPreview(*raw, header, min, report)) {
        return Decoded{header.info, std::move(*preview)};
      }
      report->decoded = Size{};
    }
  }
  // Afresh: LibRaw's steps only run forward, and it recycles itself after some failures.
  TESSERA_RETURN_IF_ERROR(raw->Reopen());
  raw->lr().imgdata.params.user_flip = options.user_flip;
  TESSERA_ASSIGN_OR_RETURN(VImage image, Demosaic(*raw, header, min, report));
  if (AspectMismatch(Size{image.width(), image.height()}, UprightSize(header)) > 0.01) {
    // adjust_sizes_info_only predicted another shape (a LibRaw quirk for some sensor layout):
    // the pixels are the truth, and the contract is that the image has info's aspect.
    spdlog::warn("raw: {}: LibRaw predicted {}x{} but made {}x{}", path, header.info.width,
                 header.info.height, image.width(), image.height());
    const int scale = report->path == RawPath::kDemosaicHalf ? 2 : 1;
    header.info.width = report->decoded.width * scale;
    header.info.height = report->decoded.height * scale;
  }
  return Decoded{header.info, std::move(image)};
}

}  // namespace

std::string_view RawPathName(RawPath path) {
  switch (path) {
    case RawPath::kPreviewJpeg:
      return "preview-jpeg";
    case RawPath::kPreviewBitmap:
      return "preview-bitmap";
    case RawPath::kDemosaicHalf:
      return "demosaic-half";
    case RawPath::kDemosaic:
      return "demosaic";
  }
  return "?";
}

Result<ProbeInfo> ProbeRaw(const std::string& path, std::string_view bytes) {
  try {
    TESSERA_ASSIGN_OR_RETURN(std::unique_ptr<RawProcessor> raw, RawProcessor::Open(path, bytes));
    TESSERA_ASSIGN_OR_RETURN(RawHeader header, ReadHeader(*raw, RawOptions{}));
    return header.info;
  } catch (const std::bad_alloc&) {
    return Status::TooLarge(path + ": LibRaw: out of memory");
  }
}

Result<Decoded> DecodeRaw(const std::string& path, std::string_view bytes,
                          const MinSizeFn& min_size, const RawOptions& options,
                          RawDecodeReport* report) {
  RawDecodeReport local;
  try {
    Result<Decoded> decoded =
        DecodeRawOrThrow(path, bytes, min_size, options, report != nullptr ? report : &local);
    if (decoded.ok()) {
      const RawDecodeReport& r = report != nullptr ? *report : local;
      spdlog::debug("raw: {}: {} (flip {}, preview {}x{}, decoded {}x{}, out {}x{})", path,
                    RawPathName(r.path), r.flip, r.preview.width, r.preview.height, r.decoded.width,
                    r.decoded.height, decoded->image.width(), decoded->image.height());
    }
    return decoded;
  } catch (const vips::VError& e) {
    return media::VipsErrorStatus(path, e, /*during_load=*/true);
  } catch (const std::bad_alloc&) {
    return Status::TooLarge(path + ": LibRaw: out of memory");
  }
}

}  // namespace tessera::decoders
