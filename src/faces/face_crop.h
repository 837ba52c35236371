// Square crops around a detected face: the geometry (pure) and the JPEG.
#ifndef TESSERA_FACES_FACE_CROP_H_
#define TESSERA_FACES_FACE_CROP_H_

#include <string>
#include <string_view>

#include "src/faces/faces.h"
#include "tessera/status.h"

namespace tessera::faces {

// A square in pixels of an image: columns x .. x + size - 1, rows y .. y + size - 1.
struct FaceCropBox {
  int x = 0;
  int y = 0;
  int size = 0;
};

// The square centred on `face` whose side is the face's longer side plus `padding` times it on
// each side (padding 0.4: 1.8 times the face), moved, without shrinking, to lie inside the
// image. Only when the image's shorter side is less than that side is the square shrunk, to
// the shorter side: it then spans the image in that direction and stays centred on the face in
// the other (as far as the image allows).
// The square contains the face whenever its side did not have to shrink below the face's
// longer side. A face reaching past the image is cropped as given; the result always lies
// inside the image and has size >= 1.
// REQUIRES: image_width > 0, image_height > 0, face.width > 0, face.height > 0,
// padding >= 0.
FaceCropBox PaddedSquare(const FaceBox& face, int image_width, int image_height,
                         double padding = 0.4);

// Decodes `jpeg_bytes`, cuts PaddedSquare(face, ...) out of it with the default padding,
// resizes it (lanczos3) to `size` x `size`, or leaves it as it is when it is smaller (never
// upscaled), and encodes a baseline JPEG at `quality` (pipeline::EncodeJpeg: 4:2:0, no
// metadata). The pixels are taken as stored: an EXIF orientation is not applied, as in
// DetectFaces on the same image.
// For our own thumbnails only: the bytes are trusted and decoded in this process by libvips.
// Errors: InvalidArgument for size < 1, a quality outside 1..100, bytes that are not a JPEG,
// or a face box that is empty or not inside the decoded image (boxes from DetectFaces on the
// same image always are); Corrupt when the JPEG does not decode; Internal when libvips fails
// after decoding. Starts the libvips runtime if needed. Thread-safe.
Result<std::string> FaceCropJpeg(std::string_view jpeg_bytes, const FaceBox& face, int size,
                                 int quality);

}  // namespace tessera::faces

#endif  // TESSERA_FACES_FACE_CROP_H_
