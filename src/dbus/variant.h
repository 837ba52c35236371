// String arrays in and out of GVariants, the one shape of data the thumbnail interfaces carry.
#ifndef TESSERA_DBUS_VARIANT_H_
#define TESSERA_DBUS_VARIANT_H_

#include <glib.h>

#include <string>
#include <string_view>
#include <vector>

namespace tessera::dbus {

// A new floating "as".
GVariant* StringArray(const std::vector<std::string>& strings);

// The strings of the "as" child `index` of `tuple`.
std::vector<std::string> StringsAt(GVariant* tuple, size_t index);

// `text` as valid UTF-8, which D-Bus strings must be: a message naming a file whose name is
// not UTF-8 gets U+FFFD for each bad byte (URIs are escaped and always valid).
std::string ValidUtf8(std::string_view text);

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_VARIANT_H_
