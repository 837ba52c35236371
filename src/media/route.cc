#include "src/media/route.h"

#include <gio/gio.h>

#include <memory>

#include "src/media/sniff.h"

namespace tessera::media {
namespace {

using GString = std::unique_ptr<gchar, decltype(&g_free)>;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Containers and streams FFmpeg opens; audio files are routed here too, so that cover art is
// found or the user hears "no video stream".
bool IsVideoMime(std::string_view mime) {
  return StartsWith(mime, "video/") || StartsWith(mime, "audio/") || mime == "application/ogg" ||
         mime == "application/x-matroska" || mime == "application/mxf" ||
         mime == "application/vnd.rn-realmedia";
}

// Camera RAW: shared-mime-info makes every RAW type a subclass of image/x-dcraw.
bool IsRawMime(const std::string& mime) {
  return g_content_type_is_a(mime.c_str(), "image/x-dcraw") != FALSE;
}

// The type GIO gives the name alone.
std::string MimeFromName(const std::string& path) {
  GString base(g_path_get_basename(path.c_str()), &g_free);
  GString type(g_content_type_guess(base.get(), nullptr, 0, nullptr), &g_free);
  return type != nullptr ? std::string(type.get()) : std::string();
}

std::string FamilyFor(const std::string& mime) {
  const std::string family = FamilyForMime(mime);
  if (!family.empty()) return family;
  if (IsRawMime(mime)) return "raw";
  if (IsVideoMime(mime)) return "video";
  // Any other image type is offered to ImageMagick's allowlist inside the helper, which
  // refuses types it does not list.
  if (StartsWith(mime, "image/")) return "magick";
  return "";
}

}  // namespace

bool IsIsolatedFamily(std::string_view family) {
  return family == "svg" || family == "pdf" || family == "jxl" || family == "video" ||
         family == "raw" || family == "magick";
}

Route RouteFile(const std::string& path, std::string_view head) {
  const SniffResult sniff = SniffContent(head);
  Route route{sniff.mime_type, FamilyFor(sniff.mime_type), false};
  const bool unknown_binary = sniff.mime_type == "application/octet-stream";
  if (unknown_binary || route.family == "tiff") {
    const std::string by_name = MimeFromName(path);
    const std::string family = FamilyFor(by_name);
    const bool no_magic_family =
        family == "raw" || family == "video" || (family == "magick" && unknown_binary);
    if (no_magic_family) route = Route{by_name, family, false};
  }
  route.isolated = IsIsolatedFamily(route.family);
  return route;
}

}  // namespace tessera::media
