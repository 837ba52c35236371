// Names as GLib computes them: we call GLib rather than re-implement its escaping, so that a
// thumbnail we write is the one GLib (and every GTK file chooser) looks for.
#include <glib.h>

#include <memory>

#include "src/xdg/internal.h"
#include "tessera/xdg.h"

namespace tessera::xdg {
namespace {

struct GFreeDeleter {
  void operator()(void* p) const { g_free(p); }
};
using GString_ = std::unique_ptr<char, GFreeDeleter>;

}  // namespace

std::string AbsoluteNormalizedPath(const std::string& path) {
  // Relative paths are resolved against the current directory; symlinks are left alone.
  GString_ canonical(g_canonicalize_filename(path.c_str(), nullptr));
  return canonical.get();
}

std::string CanonicalUri(const std::string& path) {
  std::string absolute = AbsoluteNormalizedPath(path);
  GError* error = nullptr;
  GString_ uri(g_filename_to_uri(absolute.c_str(), nullptr, &error));
  if (uri == nullptr) {  // only for relative paths, which AbsoluteNormalizedPath rules out
    g_clear_error(&error);
    return "";
  }
  return uri.get();
}

std::string Md5Hex(std::string_view text) {
  GString_ hex(g_compute_checksum_for_data(
      G_CHECKSUM_MD5, reinterpret_cast<const guchar*>(text.data()), text.size()));
  return hex.get();
}

namespace internal {

std::string EscapedBasename(const std::string& uri) { return uri.substr(uri.rfind('/') + 1); }

std::string SharedUri(const Original& original) { return "./" + EscapedBasename(original.uri); }

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string BaseName(const std::string& path) { return path.substr(path.rfind('/') + 1); }

}  // namespace internal
}  // namespace tessera::xdg
