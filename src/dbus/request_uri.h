// The files a client names: URIs, of which only local file:// ones can be read.
#ifndef TESSERA_DBUS_REQUEST_URI_H_
#define TESSERA_DBUS_REQUEST_URI_H_

#include <string>

#include "tessera/status.h"

namespace tessera::dbus {

// The local path of a file:// URI ("file:///a/b%20c.jpg" -> "/a/b c.jpg"; "localhost" allowed).
// Unsupported for any other scheme or another host (error code 0), InvalidArgument for a URI
// that is not one.
Result<std::string> LocalPathForUri(const std::string& uri);

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_REQUEST_URI_H_
