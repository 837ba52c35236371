#include "src/dbus/flavor.h"

namespace tessera::dbus {

std::vector<std::string> FlavorNames() {
  std::vector<std::string> names;
  for (xdg::ThumbSize size : xdg::kAllSizes) names.emplace_back(xdg::SizeDirName(size));
  return names;
}

std::optional<xdg::ThumbSize> ParseFlavor(std::string_view name) {
  // The flavor names are the cache's folder names, exactly (no case folding: a client asking
  // for "Large" would look for its thumbnail in a folder that does not exist).
  for (xdg::ThumbSize size : xdg::kAllSizes) {
    if (name == xdg::SizeDirName(size)) return size;
  }
  return std::nullopt;
}

}  // namespace tessera::dbus
