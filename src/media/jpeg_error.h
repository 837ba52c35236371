// libjpeg's error callbacks as tessera uses them: an error longjmps back to the caller's
// setjmp with the message kept. Shared by the decoder (media/jpeg_fast.cc) and the encoder
// (pipeline/encode.cc). Include after <cstdio> and <cstddef>, which jpeglib.h needs.
#ifndef TESSERA_MEDIA_JPEG_ERROR_H_
#define TESSERA_MEDIA_JPEG_ERROR_H_

#include <jpeglib.h>

#include <csetjmp>

namespace tessera::media {

// `pub` first, so libjpeg's jpeg_error_mgr* is also a JpegErrorManager*. Only plain data may
// live between the setjmp and the longjmp.
struct JpegErrorManager {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

// For jpeg_error_mgr::error_exit: formats the message and jumps back.
[[noreturn]] inline void JpegErrorExit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

}  // namespace tessera::media

#endif  // TESSERA_MEDIA_JPEG_ERROR_H_
