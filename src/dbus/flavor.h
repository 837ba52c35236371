// Flavors, as the thumbnail D-Bus specification calls them: the size a client asks for, one per
// size folder of the cache.
#ifndef TESSERA_DBUS_FLAVOR_H_
#define TESSERA_DBUS_FLAVOR_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tessera/xdg.h"

namespace tessera::dbus {

// "normal", "large", "x-large", "xx-large": GetFlavors' answer.
std::vector<std::string> FlavorNames();

// The size of a flavor; nullopt for any other name (the request then fails with error code 5).
std::optional<xdg::ThumbSize> ParseFlavor(std::string_view name);

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_FLAVOR_H_
