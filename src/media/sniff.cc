#include "src/media/sniff.h"

#include <gio/gio.h>

#include <algorithm>
#include <memory>

namespace tessera::media {
namespace {

constexpr size_t kSniffBytes = 4096;

struct MimeFamily {
  std::string_view mime;
  std::string_view family;
};

// shared-mime-info 2.2 names (Debian 12), with the aliases older databases use.
constexpr MimeFamily kMimeFamilies[] = {
    {"image/jpeg", "jpeg"},     {"image/pjpeg", "jpeg"},  {"image/png", "png"},
    {"image/webp", "webp"},     {"image/gif", "gif"},     {"image/heif", "heif"},
    {"image/heic", "heif"},     {"image/avif", "heif"},   {"image/jxl", "jxl"},
    {"image/tiff", "tiff"},     {"image/svg+xml", "svg"}, {"image/svg+xml-compressed", "svg"},
    {"application/pdf", "pdf"},
};

}  // namespace

SniffResult SniffContent(std::string_view data) {
  const size_t n = std::min(data.size(), kSniffBytes);
  gboolean uncertain = FALSE;
  std::unique_ptr<gchar, decltype(&g_free)> type(
      g_content_type_guess(nullptr, reinterpret_cast<const guchar*>(data.data()), n, &uncertain),
      &g_free);
  SniffResult result;
  if (type != nullptr) {
    // On Unix, GIO content types are mime types; the call is a no-op there but keeps us honest.
    std::unique_ptr<gchar, decltype(&g_free)> mime(g_content_type_get_mime_type(type.get()),
                                                   &g_free);
    result.mime_type = mime != nullptr ? mime.get() : type.get();
  } else {
    result.mime_type = "application/octet-stream";
  }
  result.uncertain = uncertain;
  result.family = FamilyForMime(result.mime_type);
  return result;
}

std::string FamilyForMime(std::string_view mime_type) {
  for (const auto& entry : kMimeFamilies) {
    if (entry.mime == mime_type) return std::string(entry.family);
  }
  return "";
}

std::string FamilyForVipsLoader(std::string_view loader) {
  // vips_foreign_find_load_buffer names classes ("VipsForeignLoadJpegBuffer"); accept both
  // class names and nicknames.
  constexpr MimeFamily kLoaders[] = {
      {"jpegload", "jpeg"},
      {"pngload", "png"},
      {"webpload", "webp"},
      {"gifload", "gif"},
      {"heifload", "heif"},
      {"jxlload", "jxl"},
      {"tiffload", "tiff"},
      {"svgload_buffer", "svg"},
      {"pdfload", "pdf"},
      {"VipsForeignLoadJpeg", "jpeg"},
      {"VipsForeignLoadPng", "png"},
      {"VipsForeignLoadWebp", "webp"},
      {"VipsForeignLoadNsgif", "gif"},
      {"VipsForeignLoadHeif", "heif"},
      {"VipsForeignLoadJxl", "jxl"},
      {"VipsForeignLoadTiff", "tiff"},
      {"VipsForeignLoadSvgBuffer", "svg"},
      {"VipsForeignLoadPdf", "pdf"},
  };
  for (const auto& entry : kLoaders) {
    const std::string_view prefix = entry.mime;
    if (loader.substr(0, prefix.size()) != prefix) continue;
    const std::string_view rest = loader.substr(prefix.size());
    // Only the plain, _buffer and _source forms (and the class suffixes) are ours: this keeps
    // e.g. "pdfload_foo" or "VipsForeignLoadSvgFile" off the list.
    if (rest.empty() || rest == "_buffer" || rest == "_source" || rest == "File" ||
        rest == "Buffer" || rest == "Source") {
      if (entry.family == "svg" && !(rest.empty() || rest == "Buffer" || rest == "_buffer")) {
        continue;
      }
      return std::string(entry.family);
    }
  }
  return "";
}

std::string DefaultMimeForFamily(std::string_view family) {
  if (family == "jpeg") return "image/jpeg";
  if (family == "png") return "image/png";
  if (family == "webp") return "image/webp";
  if (family == "gif") return "image/gif";
  if (family == "heif") return "image/heif";
  if (family == "jxl") return "image/jxl";
  if (family == "tiff") return "image/tiff";
  if (family == "svg") return "image/svg+xml";
  if (family == "pdf") return "application/pdf";
  return "application/octet-stream";
}

bool IsGenericMime(std::string_view mime_type) {
  return mime_type == "application/octet-stream" || mime_type == "text/plain" ||
         mime_type == "application/xml" || mime_type == "text/xml" || mime_type.empty();
}

}  // namespace tessera::media
