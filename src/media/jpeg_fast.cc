#include "src/media/jpeg_fast.h"

// jpeglib.h needs size_t and FILE declared first.
#include <jerror.h>
#include <jpeglib.h>
#include <spdlog/spdlog.h>

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "src/media/jpeg_error.h"

namespace tessera::media {
namespace {

// libjpeg reports errors through callbacks (jpeg_error.h): we longjmp back to the setjmp in
// Decode and keep the message.
// Warnings are ignored as libjpeg does, except a premature end of data: libjpeg would pad
// the rest of the image with grey, and a truncated file must fail, not look half-grey.
void OnMessage(j_common_ptr cinfo, int level) {
  if (level == -1 && cinfo->err->msg_code == JWRN_JPEG_EOF) JpegErrorExit(cinfo);
}

// Owns a jpeg_decompress_struct: destroyed however we leave.
struct Decompressor {
  jpeg_decompress_struct cinfo;
  JpegErrorManager err;
  Decompressor() {
    std::memset(&cinfo, 0, sizeof(cinfo));
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = &JpegErrorExit;
    err.pub.emit_message = &OnMessage;
    err.message[0] = '\0';
    jpeg_create_decompress(&cinfo);
  }
  ~Decompressor() { jpeg_destroy_decompress(&cinfo); }
  Decompressor(const Decompressor&) = delete;
  Decompressor& operator=(const Decompressor&) = delete;
};

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};

// vips frees blobs through a VipsCallbackFn.
int FreeGlibBlob(void* data, void*) {
  g_free(data);
  return 0;
}

enum class Outcome { kDecoded, kNotEligible, kFailed };

// The libjpeg part, kept free of C++ objects with destructors between setjmp and longjmp.
// On kDecoded, *pixels (malloc'ed) holds width*height*bands bytes.
Outcome Decode(Decompressor* d, std::string_view bytes, const FastJpegOptions& options,
               unsigned char** pixels, int* width, int* height, int* bands, JOCTET** icc,
               unsigned int* icc_len) {
  jpeg_decompress_struct* cinfo = &d->cinfo;
  if (setjmp(d->err.jump)) return Outcome::kFailed;
  jpeg_mem_src(cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_save_markers(cinfo, JPEG_APP0 + 2, 0xFFFF);  // ICC profile chunks
  jpeg_read_header(cinfo, TRUE);
  if (cinfo->jpeg_color_space != JCS_YCbCr && cinfo->jpeg_color_space != JCS_GRAYSCALE) {
    return Outcome::kNotEligible;
  }
  cinfo->out_color_space = cinfo->jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE : JCS_RGB;
  cinfo->scale_num = static_cast<unsigned int>(options.scale_num);
  cinfo->scale_denom = 8;
  cinfo->dct_method = options.fast_dct ? JDCT_IFAST : JDCT_ISLOW;
  cinfo->do_fancy_upsampling = options.fancy_upsampling ? TRUE : FALSE;
  if (!jpeg_read_icc_profile(cinfo, icc, icc_len)) {
    *icc = nullptr;
    *icc_len = 0;
  }
  jpeg_start_decompress(cinfo);
  *width = static_cast<int>(cinfo->output_width);
  *height = static_cast<int>(cinfo->output_height);
  *bands = cinfo->output_components;
  const size_t stride = static_cast<size_t>(*width) * *bands;
  *pixels = static_cast<unsigned char*>(std::malloc(stride * *height));
  if (*pixels == nullptr) {
    std::strcpy(d->err.message, "out of memory");
    return Outcome::kFailed;
  }
  while (cinfo->output_scanline < cinfo->output_height) {
    JSAMPROW row = *pixels + stride * cinfo->output_scanline;
    jpeg_read_scanlines(cinfo, &row, 1);
  }
  jpeg_finish_decompress(cinfo);
  return Outcome::kDecoded;
}

}  // namespace

Result<std::optional<vips::VImage>> DecodeJpegFast(const std::string& path, std::string_view bytes,
                                                   const FastJpegOptions& options) {
  Decompressor d;
  unsigned char* raw_pixels = nullptr;
  JOCTET* raw_icc = nullptr;
  unsigned int icc_len = 0;
  int width = 0, height = 0, bands = 0;
  const Outcome outcome =
      Decode(&d, bytes, options, &raw_pixels, &width, &height, &bands, &raw_icc, &icc_len);
  std::unique_ptr<unsigned char, FreeDeleter> pixels(raw_pixels);
  std::unique_ptr<JOCTET, FreeDeleter> icc(raw_icc);
  if (outcome == Outcome::kNotEligible) return std::optional<vips::VImage>();
  if (outcome == Outcome::kFailed) {
    const bool eof = d.err.pub.msg_code == JWRN_JPEG_EOF;
    return Status::Corrupt(path + ": " +
                           (eof ? std::string("premature end of JPEG data") : d.err.message));
  }
  try {
    const size_t size = static_cast<size_t>(width) * height * bands;
    vips::VImage image = vips::VImage::new_from_memory_steal(pixels.release(), size, width, height,
                                                             bands, VIPS_FORMAT_UCHAR);
    image = image.copy(vips::VImage::option()->set(
        "interpretation",
        static_cast<int>(bands == 1 ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB)));
    if (icc != nullptr && icc_len > 0) {
      // vips frees the profile with g_free, so hand it a copy from glib's allocator.
      void* copy = g_memdup2(icc.get(), icc_len);
      vips_image_set_blob(image.get_image(), VIPS_META_ICC_NAME, &FreeGlibBlob, copy, icc_len);
    }
    return std::optional<vips::VImage>(std::move(image));
  } catch (const vips::VError& e) {
    std::string what = e.what();
    vips_error_clear();
    return Status::Internal(path + ": " + what);
  }
}

}  // namespace tessera::media
