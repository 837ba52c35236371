#include "src/media/vips_loader.h"

#include <spdlog/spdlog.h>

#include <memory>

namespace tessera::media {
namespace {

using vips::VImage;

struct BlobUnref {
  void operator()(VipsBlob* blob) const { vips_area_unref(VIPS_AREA(blob)); }
};
using UniqueBlob = std::unique_ptr<VipsBlob, BlobUnref>;

// Wraps `bytes` without copying; the loader takes its own reference.
UniqueBlob WrapBytes(std::string_view bytes) {
  return UniqueBlob(vips_blob_new(nullptr, bytes.data(), bytes.size()));
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// libvips' error text: several lines, each "domain: message". Keep it to one line.
std::string OneLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char& c : text) {
    if (c == '\n') c = ';';
  }
  return text.empty() ? "unknown libvips error" : text;
}

}  // namespace

VImage OpenWithVips(std::string_view bytes, const LoadRequest& r) {
  UniqueBlob blob = WrapBytes(bytes);
  vips::VOption* o = VImage::option()
                         ->set("fail_on", static_cast<int>(VIPS_FAIL_ON_TRUNCATED))
                         ->set("access", static_cast<int>(VIPS_ACCESS_SEQUENTIAL));
  const std::string& f = r.family;
  if (f == "jpeg") {
    return VImage::jpegload_buffer(blob.get(), o->set("shrink", r.jpeg_shrink));
  }
  if (f == "png") return VImage::pngload_buffer(blob.get(), o);
  if (f == "webp") {
    return VImage::webpload_buffer(blob.get(),
                                   o->set("page", r.page)->set("n", 1)->set("scale", r.scale));
  }
  if (f == "gif") return VImage::gifload_buffer(blob.get(), o->set("page", r.page)->set("n", 1));
  if (f == "heif") {
    return VImage::heifload_buffer(
        blob.get(), o->set("page", r.page)->set("n", 1)->set("thumbnail", r.heif_thumbnail));
  }
  if (f == "jxl") return VImage::jxlload_buffer(blob.get(), o);
  if (f == "tiff") return VImage::tiffload_buffer(blob.get(), o->set("page", r.page)->set("n", 1));
  if (f == "svg") return VImage::svgload_buffer(blob.get(), o->set("scale", r.scale));
  if (f == "pdf") {
    return VImage::pdfload_buffer(blob.get(),
                                  o->set("page", r.page)->set("n", 1)->set("scale", r.scale));
  }
  delete o;
  throw vips::VError("no allowed loader for family \"" + f + "\"");
}

std::string DetectVipsLoader(std::string_view bytes) {
  const char* loader = vips_foreign_find_load_buffer(bytes.data(), bytes.size());
  if (loader == nullptr) {
    vips_error_clear();  // "is not a known buffer format" is not an error for us
    return "";
  }
  return loader;
}

Status VipsErrorStatus(const std::string& path, const vips::VError& error, bool during_load) {
  const std::string what = OneLine(error.what());
  // VError copies libvips' (process-wide) error buffer without clearing it.
  vips_error_clear();
  spdlog::debug("libvips: {}: {}", path, what);
  std::string msg = path + ": " + what;
  if (Contains(what, "ncrypt") || Contains(what, "assword")) {
    return Status::Unsupported(path + ": encrypted (password-protected) document: " + what);
  }
  if (Contains(what, "nsupported") || Contains(what, "not supported")) {
    return Status::Unsupported(std::move(msg));
  }
  if (Contains(what, "out of memory") || !during_load) return Status::Internal(std::move(msg));
  return Status::Corrupt(std::move(msg));
}

}  // namespace tessera::media
