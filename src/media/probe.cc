#include "src/media/probe.h"

#include <spdlog/spdlog.h>

#include <cstdlib>

#include "src/media/sniff.h"
#include "src/media/vips_loader.h"

namespace tessera::media {
namespace {

using vips::VImage;

// Pyramid pages beyond this many are not worth a header read each.
constexpr int kMaxPyramidLevels = 12;

int BitsPerSample(VipsBandFormat format) {
  switch (format) {
    case VIPS_FORMAT_UCHAR:
    case VIPS_FORMAT_CHAR:
      return 8;
    case VIPS_FORMAT_USHORT:
    case VIPS_FORMAT_SHORT:
      return 16;
    case VIPS_FORMAT_DOUBLE:
    case VIPS_FORMAT_DPCOMPLEX:
      return 64;
    default:
      return 32;
  }
}

int IntField(const VImage& image, const char* name, int fallback) {
  if (image.get_typeof(name) == 0) return fallback;
  return image.get_int(name);
}

// The family to decode with, from GIO's guess cross-checked with libvips' own detection.
// Returns "" (and sets *mime) when we have no decoder for the content.
std::string ChooseFamily(const std::string& path, std::string_view bytes, std::string* mime) {
  const SniffResult sniff = SniffContent(bytes);
  const std::string loader = DetectVipsLoader(bytes);
  const std::string vips_family = FamilyForVipsLoader(loader);
  *mime = sniff.mime_type;
  if (!sniff.family.empty()) {
    if (!vips_family.empty() && vips_family != sniff.family) {
      spdlog::debug("probe: {}: GIO says {}, libvips says {}; trusting GIO", path, sniff.mime_type,
                    loader);
    }
    return sniff.family;
  }
  if (IsGenericMime(sniff.mime_type) && !vips_family.empty()) {
    *mime = DefaultMimeForFamily(vips_family);
    spdlog::debug("probe: {}: GIO says {}, libvips says {}", path, sniff.mime_type, loader);
    return vips_family;
  }
  return "";
}

// A TIFF whose pages each halve the previous one (within a pixel) is a pyramid.
std::vector<Size> PyramidLevels(std::string_view bytes, const VImage& first, int pages) {
  std::vector<Size> levels{{first.width(), first.height()}};
  if (pages < 2) return {};
  for (int page = 1; page < pages && page < kMaxPyramidLevels; ++page) {
    VImage level = OpenWithVips(bytes, LoadRequest{.family = "tiff", .page = page});
    const Size prev = levels.back();
    if (std::abs(level.width() - prev.width / 2) > 1 ||
        std::abs(level.height() - prev.height / 2) > 1) {
      return {};
    }
    levels.push_back({level.width(), level.height()});
  }
  return levels;
}

// The embedded HEIF thumbnail item's size, {0, 0} without one (libvips then returns the
// primary image again).
Size HeifThumbnail(std::string_view bytes, const VImage& primary) {
  try {
    VImage thumb = OpenWithVips(bytes, LoadRequest{.family = "heif", .heif_thumbnail = true});
    if (thumb.width() != primary.width() || thumb.height() != primary.height()) {
      return {thumb.width(), thumb.height()};
    }
  } catch (const vips::VError&) {
    vips_error_clear();
  }
  return {};
}

// A GIF ends with its trailer byte (0x3B), sometimes followed by zero padding. libnsgif decodes
// the first frame of a GIF cut short after it, so without this check a truncated file would get
// a thumbnail while the rest of it is lost; we refuse it like any other truncated file.
bool GifHasTrailer(std::string_view bytes) {
  const size_t last = bytes.find_last_not_of('\0');
  return last != std::string_view::npos && bytes[last] == 0x3B;
}

}  // namespace

Result<ProbeResult> ProbeBytes(const std::string& path, std::string_view bytes) {
  if (bytes.empty()) return Status::Corrupt(path + ": empty file");
  ProbeResult result;
  ProbeInfo& info = result.info;
  info.file_size = bytes.size();
  info.format = ChooseFamily(path, bytes, &info.mime_type);
  if (info.format.empty()) {
    return Status::Unsupported(path + ": unsupported file type " + info.mime_type);
  }
  if (info.format == "gif" && !GifHasTrailer(bytes)) {
    return Status::Corrupt(path + ": truncated GIF (the file ends before its trailer)");
  }
  Status status = CatchVips(path, /*during_load=*/true, [&] {
    VImage header = OpenWithVips(bytes, LoadRequest{.family = info.format});
    info.width = header.width();
    info.height = header.height();
    info.bands = header.bands();
    info.bits_per_sample = BitsPerSample(header.format());
    info.has_alpha = header.has_alpha();
    info.has_icc_profile = header.get_typeof(VIPS_META_ICC_NAME) != 0;
    info.interpretation = vips_enum_nick(VIPS_TYPE_INTERPRETATION, header.interpretation());
    info.pages = std::max(1, IntField(header, VIPS_META_N_PAGES, 1));
    info.is_vector = info.format == "svg" || info.format == "pdf";
    const int orientation = IntField(header, VIPS_META_ORIENTATION, 1);
    info.orientation = orientation >= 1 && orientation <= 8 ? orientation : 1;
    if (info.format == "heif") {
      // libheif applies irot/imir itself, and HEIF readers ignore EXIF orientation; libvips
      // 8.14 heifload drops the "orientation" field, but never trust that twice.
      info.orientation = 1;
      if (IsGenericMime(info.mime_type) || info.mime_type == "image/heif") {
        if (header.get_typeof("heif-compression") != 0 &&
            std::string(header.get_string("heif-compression")) == "av1") {
          info.mime_type = "image/avif";
        }
      }
      result.facts.heif_thumbnail = HeifThumbnail(bytes, header);
    }
    if (info.format == "tiff")
      result.facts.pyramid_levels = PyramidLevels(bytes, header, info.pages);
    if (info.format == "jpeg") result.facts.jpeg_fast_path = info.interpretation != "cmyk";
  });
  if (!status.ok()) return status;
  if (info.width <= 0 || info.height <= 0) return Status::Corrupt(path + ": no image size");
  spdlog::debug(
      "probe: {}: {} ({}) {}x{} orientation {} pages {} bands {} bits {} alpha {} icc {} {}", path,
      info.mime_type, info.format, info.width, info.height, info.orientation, info.pages,
      info.bands, info.bits_per_sample, info.has_alpha, info.has_icc_profile, info.interpretation);
  return result;
}

}  // namespace tessera::media
