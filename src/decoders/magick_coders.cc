#include "src/decoders/magick_coders.h"

#include <algorithm>
#include <cctype>

#include "src/decoders/magick.h"

namespace tessera::decoders {
namespace {

struct MimeCoder {
  std::string_view mime;  // lower case; the first entry of a coder is its canonical type
  std::string_view coder;
};

// Types as shared-mime-info 2.2 (Debian 12) names them, with its aliases. Checked with
// g_content_type_guess on files /usr/bin/convert wrote: content alone identifies PSD, TGA,
// PCX, ICO and CUR (both as image/vnd.microsoft.icon), DDS, SUN, PNM, BMP, XPM, PICT and DPX;
// SGI, XCF and XBM are only named from their extension, which the sniffer never uses, but a
// caller that knows better may still route them here.
//
// Left out on purpose: WBMP (no magic number: any bytes would "decode"), EXR (no in-memory
// reader in ImageMagick 6, so it would need a temporary file), HDR and RLA (shared-mime-info
// has no type for them), and everything libvips reads itself or that runs programs or fetches
// data (SVG, MVG, MSL, PS, EPS, PDF, XPS, TEXT, LABEL, URL, ...).
constexpr MimeCoder kAllowlist[] = {
    {"image/bmp", "BMP"},
    {"image/x-bmp", "BMP"},
    {"image/x-ms-bmp", "BMP"},
    {"image/x-win-bitmap", "CUR"},
    {"image/x-dds", "DDS"},
    {"image/dpx", "DPX"},
    {"image/vnd.microsoft.icon", "ICO"},
    {"image/x-icon", "ICO"},
    {"image/x-ico", "ICO"},
    {"image/ico", "ICO"},
    {"image/icon", "ICO"},
    {"image/vnd.zbrush.pcx", "PCX"},
    {"image/x-pcx", "PCX"},
    {"image/x-pict", "PICT"},
    // The PNM coder reads P1..P6 whichever of these the sniffer said.
    {"image/x-portable-anymap", "PNM"},
    {"image/x-portable-pixmap", "PNM"},
    {"image/x-portable-graymap", "PNM"},
    {"image/x-portable-bitmap", "PNM"},
    {"image/vnd.adobe.photoshop", "PSD"},
    {"image/x-psd", "PSD"},
    {"image/psd", "PSD"},
    {"image/photoshop", "PSD"},
    {"image/x-photoshop", "PSD"},
    {"application/photoshop", "PSD"},
    {"application/x-photoshop", "PSD"},
    {"image/x-sgi", "SGI"},
    {"image/x-sun-raster", "SUN"},
    {"image/x-tga", "TGA"},
    {"image/x-targa", "TGA"},
    {"image/x-xbitmap", "XBM"},
    {"image/x-xcf", "XCF"},
    {"image/x-xpixmap", "XPM"},
    {"image/x-xpm", "XPM"},
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string MagickCoderForMime(std::string_view mime_type) {
  // Parameters ("; charset=...") are not part of the type.
  const std::string mime = Lower(mime_type.substr(0, mime_type.find(';')));
  for (const MimeCoder& entry : kAllowlist) {
    if (entry.mime == mime) return std::string(entry.coder);
  }
  return "";
}

const std::vector<std::string>& AllowedMagickCoders() {
  static const std::vector<std::string> coders = [] {
    std::vector<std::string> v;
    for (const MimeCoder& entry : kAllowlist) v.emplace_back(entry.coder);
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  }();
  return coders;
}

bool IsAllowedMagickCoder(std::string_view coder) {
  const std::vector<std::string>& coders = AllowedMagickCoders();
  return std::binary_search(coders.begin(), coders.end(), coder);
}

const std::vector<std::string>& PolicyOnlyMagickNames() {
  static const std::vector<std::string> names = {"ICON", "JPEG", "PNG"};
  return names;
}

std::string MimeForMagickCoder(std::string_view coder) {
  for (const MimeCoder& entry : kAllowlist) {
    if (entry.coder == coder) return std::string(entry.mime);
  }
  return "";
}

}  // namespace tessera::decoders
