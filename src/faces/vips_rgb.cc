#include "src/faces/vips_rgb.h"

#include <string_view>
#include <vector>

namespace tessera::faces {

using vips::VImage;

VImage ToSrgbRgb(const VImage& image) {
  VImage out = image;
  // The header's interpretation may be unset or wrong (a memory image says "multiband");
  // libvips' guess is sane for the bands and format actually present.
  const VipsInterpretation space = vips_image_guess_interpretation(out.get_image());
  if (space != VIPS_INTERPRETATION_sRGB || out.format() != VIPS_FORMAT_UCHAR) {
    // Keeps alpha and any other extra band after the colour bands.
    out = out.colourspace(VIPS_INTERPRETATION_sRGB,
                          VImage::option()->set("source_space", static_cast<int>(space)));
  }
  if (out.has_alpha()) {
    // libvips' convention: the first band after the colour is alpha; bands after it are
    // dropped first, or flatten would take the last one for alpha.
    if (out.bands() > 4) out = out.extract_band(0, VImage::option()->set("n", 4));
    // Over white, as our JPEG encoder flattens: a transparent area then looks like a page, not
    // like whatever colour happens to sit under alpha 0.
    out = out.flatten(VImage::option()
                          ->set("background", std::vector<double>{255, 255, 255})
                          ->set("max_alpha", 255.0));
  }
  if (out.bands() > 3) out = out.extract_band(0, VImage::option()->set("n", 3));
  if (out.bands() == 1) out = VImage::bandjoin({out, out, out});
  if (out.format() != VIPS_FORMAT_UCHAR) out = out.cast(VIPS_FORMAT_UCHAR);
  return out;
}

std::string VipsMessage(const vips::VError& error) {
  std::string message;
  std::string_view rest = error.what();
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    if (!line.empty()) message.append(message.empty() ? "" : "; ").append(line);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  vips_error_clear();
  return message;
}

}  // namespace tessera::faces
