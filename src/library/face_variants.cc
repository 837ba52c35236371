#include "src/library/face_variants.h"

#include <fmt/format.h>

#include <algorithm>

#include "src/faces/face_crop.h"
#include "src/media/vips_loader.h"
#include "src/pipeline/encode.h"
#include "src/pipeline/resize.h"
#include "src/pipeline/rgba.h"

namespace tessera::library {
namespace {

// A libvips view of an Image's pixels (not copied: `image` must outlive it).
vips::VImage View(const Image& image) {
  vips::VImage view =
      vips::VImage::new_from_memory(const_cast<uint8_t*>(image.rgba.data()), image.rgba.size(),
                                    image.width, image.height, 4, VIPS_FORMAT_UCHAR);
  return view.copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

}  // namespace

Result<std::vector<faces::FaceBox>> FindFaces(const Image& image, const FaceOptions& options) {
  if (image.width <= 0 || image.height <= 0) return std::vector<faces::FaceBox>();
  TESSERA_RETURN_IF_ERROR(InitEngineRuntime());
  Result<std::vector<faces::FaceBox>> found = Status::Internal("faces: not run");
  Status status =
      media::CatchVips("faces", false, [&] { found = faces::DetectFaces(View(image)); });
  TESSERA_RETURN_IF_ERROR(status);
  TESSERA_ASSIGN_OR_RETURN(std::vector<faces::FaceBox> boxes, std::move(found));
  std::erase_if(boxes, [&](const faces::FaceBox& f) { return f.score < options.min_score; });
  return boxes;
}

SquareBox FaceCentredSquare(const std::vector<faces::FaceBox>& faces, int width, int height) {
  int left = width, top = height, right = 0, bottom = 0;
  for (const faces::FaceBox& f : faces) {
    left = std::min(left, f.x);
    top = std::min(top, f.y);
    right = std::max(right, f.x + f.width);
    bottom = std::max(bottom, f.y + f.height);
  }
  const int side = std::min(width, height);
  const int cx = (left + right) / 2, cy = (top + bottom) / 2;
  SquareBox box;
  box.side = side;
  box.x = std::clamp(cx - side / 2, 0, width - side);
  box.y = std::clamp(cy - side / 2, 0, height - side);
  return box;
}

Result<Image> CutSquare(const Image& image, const SquareBox& box, int edge) {
  TESSERA_RETURN_IF_ERROR(InitEngineRuntime());
  Image out;
  Status status = media::CatchVips("square crop", false, [&] {
    vips::VImage square = View(image).extract_area(box.x, box.y, box.side, box.side);
    if (box.side > edge) square = pipeline::ResizeExact(square, {edge, edge}, "lanczos3");
    out = pipeline::ToImage(square);
  });
  TESSERA_RETURN_IF_ERROR(status);
  return out;
}

Result<std::string> FaceCrop(const Image& image, const faces::FaceBox& face,
                             const FaceOptions& options) {
  faces::FaceCropBox crop = faces::PaddedSquare(face, image.width, image.height);
  TESSERA_ASSIGN_OR_RETURN(
      Image square, CutSquare(image, SquareBox{crop.x, crop.y, crop.size}, options.crop_size));
  return pipeline::EncodeJpeg(square, options.quality);
}

std::string FacesRecipe(const VariantSpec& big, const FaceOptions& options) {
  return fmt::format("faces dlib-hog min{:.2f} pad0.4 {}px q{} on {}", options.min_score,
                     options.crop_size, options.quality, Recipe(big));
}

}  // namespace tessera::library
