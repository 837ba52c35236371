#include "src/pipeline/encode.h"

// jpeglib.h needs size_t and FILE declared first.
#include <cstddef>
#include <cstdio>
//
#include <fmt/format.h>
#include <jerror.h>
#include <jpeglib.h>

#include <algorithm>
#include <csetjmp>
#include <cstring>
#include <memory>
#include <new>
#include <vector>
#include <vips/vips8>

#include "src/media/jpeg_error.h"
#include "tessera/engine.h"

namespace tessera::pipeline {
namespace {

constexpr int kMaxJpegSide = 65500;

Status CheckInput(const Image& image, int quality, std::string_view what) {
  if (image.width <= 0 || image.height <= 0) {
    return Status::InvalidArgument(fmt::format("{}: empty image", what));
  }
  if (image.rgba.size() != image.stride() * static_cast<size_t>(image.height)) {
    return Status::InvalidArgument(fmt::format("{}: {} bytes of pixels for a {}x{} image", what,
                                               image.rgba.size(), image.width, image.height));
  }
  if (quality < 1 || quality > 100) {
    return Status::InvalidArgument(fmt::format("{}: quality {} is not in 1..100", what, quality));
  }
  return Status::Ok();
}

// --- JPEG ---
// libjpeg reports errors through callbacks; JpegErrorExit longjmps back to the setjmp in Compress.
// Everything with a destructor lives in Compressor, owned by EncodeJpeg's frame, which the
// jump never crosses; the frames it skips are libjpeg's and our trivial callbacks.

// A destination that appends to a std::string in 64 KiB steps, instead of jpeg_mem_dest,
// whose malloc'd buffer is left dangling when compression fails after it has grown.
struct StringDestination {
  jpeg_destination_mgr pub;
  std::string* out;
  JOCTET buffer[64 * 1024];
};

// Returns false when the append failed; the caller then raises a libjpeg error outside any
// C++ handler.
bool Append(StringDestination* dest, size_t size) noexcept {
  try {
    dest->out->append(reinterpret_cast<const char*>(dest->buffer), size);
    return true;
  } catch (const std::bad_alloc&) {
    return false;
  }
}

void InitDestination(j_compress_ptr cinfo) {
  auto* dest = reinterpret_cast<StringDestination*>(cinfo->dest);
  dest->pub.next_output_byte = dest->buffer;
  dest->pub.free_in_buffer = sizeof(dest->buffer);
}

boolean EmptyOutputBuffer(j_compress_ptr cinfo) {
  auto* dest = reinterpret_cast<StringDestination*>(cinfo->dest);
  if (!Append(dest, sizeof(dest->buffer))) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 0);
  InitDestination(cinfo);
  return TRUE;
}

void TermDestination(j_compress_ptr cinfo) {
  auto* dest = reinterpret_cast<StringDestination*>(cinfo->dest);
  if (!Append(dest, sizeof(dest->buffer) - dest->pub.free_in_buffer)) {
    ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 0);
  }
}

// Owns a jpeg_compress_struct and what its callbacks write to: destroyed however we leave.
struct Compressor {
  jpeg_compress_struct cinfo;
  media::JpegErrorManager err;
  StringDestination dest;
  std::string out;
  std::vector<JSAMPLE> row;  // one row, RGBA flattened to RGB

  Compressor() {
    std::memset(&cinfo, 0, sizeof(cinfo));
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = &media::JpegErrorExit;
    err.message[0] = '\0';
    jpeg_create_compress(&cinfo);
    dest.pub.init_destination = &InitDestination;
    dest.pub.empty_output_buffer = &EmptyOutputBuffer;
    dest.pub.term_destination = &TermDestination;
    dest.out = &out;
    cinfo.dest = &dest.pub;
  }
  ~Compressor() { jpeg_destroy_compress(&cinfo); }
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;
};

// White behind a non-premultiplied sRGB pixel, in 8-bit integers: (c*a + 255*(255-a)) / 255,
// rounded with the exact divide-by-255 trick.
inline JSAMPLE OverWhite(uint8_t c, uint8_t a) {
  unsigned v = c * a + 255u * (255u - a) + 128u;
  return static_cast<JSAMPLE>((v + (v >> 8)) >> 8);
}

void FlattenRow(const uint8_t* rgba, int width, JSAMPLE* rgb) {
  for (int x = 0; x < width; ++x, rgba += 4, rgb += 3) {
    const uint8_t a = rgba[3];
    if (a == 255) {
      std::memcpy(rgb, rgba, 3);
    } else {
      rgb[0] = OverWhite(rgba[0], a);
      rgb[1] = OverWhite(rgba[1], a);
      rgb[2] = OverWhite(rgba[2], a);
    }
  }
}

// Returns false with c->err.message set when libjpeg failed. No object with a destructor may
// be created in this function: JpegErrorExit jumps back into it.
bool Compress(Compressor* c, const Image& image, int quality) {
  if (setjmp(c->err.jump)) return false;
  jpeg_compress_struct& cinfo = c->cinfo;
  cinfo.image_width = static_cast<JDIMENSION>(image.width);
  cinfo.image_height = static_cast<JDIMENSION>(image.height);
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  // 4:2:0: luma at full resolution, both chroma planes halved in each direction.
  cinfo.comp_info[0].h_samp_factor = 2;
  cinfo.comp_info[0].v_samp_factor = 2;
  cinfo.comp_info[1].h_samp_factor = cinfo.comp_info[1].v_samp_factor = 1;
  cinfo.comp_info[2].h_samp_factor = cinfo.comp_info[2].v_samp_factor = 1;
  // Optimised Huffman tables: a few percent smaller for a second pass over the coefficients;
  // a variant is encoded once and served many times.
  cinfo.optimize_coding = TRUE;
  jpeg_start_compress(&cinfo, TRUE);
  JSAMPROW row = c->row.data();
  while (cinfo.next_scanline < cinfo.image_height) {
    FlattenRow(image.Pixel(0, static_cast<int>(cinfo.next_scanline)), image.width, row);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  return true;
}

// --- WebP ---

struct BlobUnref {
  void operator()(VipsBlob* blob) const { vips_area_unref(VIPS_AREA(blob)); }
};

bool IsOpaque(const Image& image) {
  for (size_t i = 3; i < image.rgba.size(); i += 4) {
    if (image.rgba[i] != 255) return false;
  }
  return true;
}

}  // namespace

Result<std::string> EncodeJpeg(const Image& image, int quality) {
  TESSERA_RETURN_IF_ERROR(CheckInput(image, quality, "encode jpeg"));
  if (image.width > kMaxJpegSide || image.height > kMaxJpegSide) {
    return Status::InvalidArgument(fmt::format("encode jpeg: {}x{} exceeds JPEG's {} pixels",
                                               image.width, image.height, kMaxJpegSide));
  }
  auto compressor = std::make_unique<Compressor>();  // 64 KiB of buffer: not on the stack
  compressor->row.resize(static_cast<size_t>(image.width) * 3);
  if (!Compress(compressor.get(), image, quality)) {
    return Status::Internal(fmt::format("encode jpeg: {}", compressor->err.message));
  }
  return std::move(compressor->out);
}

Result<std::string> EncodeWebp(const Image& image, int quality) {
  TESSERA_RETURN_IF_ERROR(CheckInput(image, quality, "encode webp"));
  TESSERA_RETURN_IF_ERROR(InitEngineRuntime());
  try {
    // new_from_memory borrows the pixels (no copy); they outlive every use below.
    vips::VImage rgba =
        vips::VImage::new_from_memory(const_cast<uint8_t*>(image.rgba.data()), image.rgba.size(),
                                      image.width, image.height, 4, VIPS_FORMAT_UCHAR);
    // A memory image is "multiband"; say it is sRGB so webpsave takes it as colour as is.
    vips::VImage in =
        rgba.copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
    if (IsOpaque(image)) in = in.extract_band(0, vips::VImage::option()->set("n", 3));
    std::unique_ptr<VipsBlob, BlobUnref> blob(
        in.webpsave_buffer(vips::VImage::option()->set("Q", quality)->set("strip", true)));
    size_t size = 0;
    const void* data = vips_blob_get(blob.get(), &size);
    return std::string(static_cast<const char*>(data), size);
  } catch (const vips::VError& e) {
    return Status::Internal(
        fmt::format("encode webp: {}x{}: {}", image.width, image.height, e.what()));
  }
}

}  // namespace tessera::pipeline
