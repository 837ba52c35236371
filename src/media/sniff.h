// Content sniffing: what a file is, from its bytes, never from its name.
#ifndef TESSERA_MEDIA_SNIFF_H_
#define TESSERA_MEDIA_SNIFF_H_

#include <string>
#include <string_view>

namespace tessera::media {

struct SniffResult {
  std::string mime_type;   // shared-mime-info name ("image/jpeg", "video/mp4", ...)
  std::string family;      // our decoder family ("jpeg", ...), empty when we have no decoder
  bool uncertain = false;  // GIO was not sure
};

// Guesses the type from the first 4 KiB of `data` with GIO's g_content_type_guess (no file
// name is given, so the extension plays no part). Thread-safe.
SniffResult SniffContent(std::string_view data);

// Our decoder family for a shared-mime-info type, or "" when none: "jpeg", "png", "webp",
// "gif", "heif" (HEIC and AVIF), "jxl", "tiff", "svg", "pdf".
std::string FamilyForMime(std::string_view mime_type);

// The family a libvips loader nickname belongs to when that loader is on our allowlist
// ("jpegload_buffer" -> "jpeg", "svgload_buffer" -> "svg"), else "". Only these loaders are
// ever called: jpegload, pngload, webpload, gifload, heifload, jxlload, tiffload,
// svgload_buffer, pdfload (file, buffer or source forms; SVG only from a buffer).
std::string FamilyForVipsLoader(std::string_view loader);

// The mime type we report for a family when GIO's guess was generic.
std::string DefaultMimeForFamily(std::string_view family);

// True for types GIO returns when it cannot tell (octet-stream, plain text, generic XML).
bool IsGenericMime(std::string_view mime_type);

}  // namespace tessera::media

#endif  // TESSERA_MEDIA_SNIFF_H_
