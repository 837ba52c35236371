#include "src/faces/face_crop.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vips/vips8>

#include "src/faces/vips_rgb.h"
#include "src/pipeline/encode.h"
#include "src/pipeline/resize.h"
#include "src/pipeline/rgba.h"
#include "tessera/engine.h"

namespace tessera::faces {
namespace {

using vips::VImage;

// a / 2 rounded towards minus infinity (C++ rounds towards zero).
int64_t HalfFloor(int64_t a) { return a >= 0 ? a / 2 : -((-a + 1) / 2); }

// The start of a `side`-long span centred on [start, start + length), moved to lie inside
// [0, limit). REQUIRES: 1 <= side <= limit.
int CentredStart(int start, int length, int64_t side, int limit) {
  // Centring rounds down, so odd slack puts the extra pixel before the face. The span covers
  // the face whenever side >= length, before and after the move.
  const int64_t centred = HalfFloor(2 * static_cast<int64_t>(start) + length - side);
  return static_cast<int>(std::clamp<int64_t>(centred, 0, limit - side));
}

struct BlobUnref {
  void operator()(VipsBlob* blob) const { vips_area_unref(VIPS_AREA(blob)); }
};

bool LooksLikeJpeg(std::string_view bytes) {
  return bytes.size() >= 3 && static_cast<uint8_t>(bytes[0]) == 0xFF &&
         static_cast<uint8_t>(bytes[1]) == 0xD8 && static_cast<uint8_t>(bytes[2]) == 0xFF;
}

}  // namespace

FaceCropBox PaddedSquare(const FaceBox& face, int image_width, int image_height, double padding) {
  assert(image_width > 0 && image_height > 0);
  assert(face.width > 0 && face.height > 0);
  assert(padding >= 0);  // false for NaN too
  const int longer = std::max(face.width, face.height);
  const int shorter_image_side = std::min(image_width, image_height);
  // In double first: a huge padding must not overflow the integer side.
  const double wanted = longer + 2 * std::round(padding * longer);
  const int64_t side =
      wanted >= shorter_image_side ? shorter_image_side : static_cast<int64_t>(wanted);
  return FaceCropBox{CentredStart(face.x, face.width, side, image_width),
                     CentredStart(face.y, face.height, side, image_height), static_cast<int>(side)};
}

Result<std::string> FaceCropJpeg(std::string_view jpeg_bytes, const FaceBox& face, int size,
                                 int quality) {
  if (size < 1) return Status::InvalidArgument(fmt::format("face crop: size {}", size));
  if (quality < 1 || quality > 100) {
    return Status::InvalidArgument(fmt::format("face crop: quality {} is not in 1..100", quality));
  }
  if (!LooksLikeJpeg(jpeg_bytes)) return Status::InvalidArgument("face crop: not a JPEG");
  if (face.width <= 0 || face.height <= 0) {
    return Status::InvalidArgument(
        fmt::format("face crop: empty face box {}x{}", face.width, face.height));
  }
  TESSERA_RETURN_IF_ERROR(InitEngineRuntime());

  // 1. The header, and the face checked against it.
  // The blob borrows the caller's bytes (no free function): they outlive every image below,
  // which Materialize detaches from them.
  std::unique_ptr<VipsBlob, BlobUnref> blob(
      vips_blob_new(nullptr, jpeg_bytes.data(), jpeg_bytes.size()));
  VImage jpeg;
  try {
    jpeg = VImage::jpegload_buffer(
        blob.get(), VImage::option()->set("fail_on", static_cast<int>(VIPS_FAIL_ON_TRUNCATED)));
  } catch (const vips::VError& e) {
    return Status::Corrupt(fmt::format("face crop: decode: {}", VipsMessage(e)));
  }
  const int width = jpeg.width();
  const int height = jpeg.height();
  if (face.x < 0 || face.y < 0 || face.width > width - face.x || face.height > height - face.y) {
    return Status::InvalidArgument(
        fmt::format("face crop: face {}x{} at ({}, {}) is not inside the {}x{} image", face.width,
                    face.height, face.x, face.y, width, height));
  }

  // 2. Decode the square only (libjpeg still reads every row above its bottom).
  const FaceCropBox box = PaddedSquare(face, width, height);
  VImage square;
  try {
    square = pipeline::Materialize(ToSrgbRgb(jpeg.extract_area(box.x, box.y, box.size, box.size)));
  } catch (const vips::VError& e) {
    return Status::Corrupt(fmt::format("face crop: decode: {}", VipsMessage(e)));
  }

  // 3. Down to `size`, never up, with an opaque alpha for the encoder's RGBA input.
  const int out = std::min(size, box.size);
  Image pixels;
  try {
    VImage resized = pipeline::ResizeExact(square, pipeline::Size{out, out}, "lanczos3");
    pixels = pipeline::ToImage(resized.bandjoin_const({255}));
  } catch (const vips::VError& e) {
    return Status::Internal(fmt::format("face crop: resize to {}: {}", out, VipsMessage(e)));
  }
  return pipeline::EncodeJpeg(pixels, quality);
}

}  // namespace tessera::faces
