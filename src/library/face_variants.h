// Faces in the media library: found on the big thumbnail (the source of truth for later
// processing), cut from it as padded square crops, and used to centre the square variants.
// Works on images in memory, so nothing is decoded twice.
#ifndef TESSERA_LIBRARY_FACE_VARIANTS_H_
#define TESSERA_LIBRARY_FACE_VARIANTS_H_

#include <string>
#include <vector>

#include "src/faces/faces.h"
#include "src/library/variants.h"
#include "tessera/image.h"
#include "tessera/status.h"

namespace tessera::library {

// The faces on `image` whose score reaches options.min_score, in the detector's stable order.
Result<std::vector<faces::FaceBox>> FindFaces(const Image& image, const FaceOptions& options);

// A square of side min(width, height) centred, as far as the image allows, on the middle of
// the box that holds every face. REQUIRES: !faces.empty(), width, height > 0.
struct SquareBox {
  int x = 0;
  int y = 0;
  int side = 0;
};
SquareBox FaceCentredSquare(const std::vector<faces::FaceBox>& faces, int width, int height);

// Cuts `box` out of `image` and resizes it to `edge` x `edge` (lanczos3), or keeps it as it is
// when it is smaller: never upscaled. REQUIRES: box inside the image, edge >= 1.
Result<Image> CutSquare(const Image& image, const SquareBox& box, int edge);

// The JPEG of face `face` of `image`: its padded square (faces::PaddedSquare) at
// options.crop_size at most.
Result<std::string> FaceCrop(const Image& image, const faces::FaceBox& face,
                             const FaceOptions& options);

// What shapes the faces: the detector, the options and the big thumbnail they were found on
// (its recipe). Stored as the recipe of the catalog's "faces" pseudo-variant.
std::string FacesRecipe(const VariantSpec& big, const FaceOptions& options);

}  // namespace tessera::library

#endif  // TESSERA_LIBRARY_FACE_VARIANTS_H_
