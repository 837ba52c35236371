#include "src/dbus/request_uri.h"

#include <fmt/format.h>
#include <glib.h>

#include "src/dbus/glib_ptr.h"

namespace tessera::dbus {

Result<std::string> LocalPathForUri(const std::string& uri) {
  GCharPtr scheme(g_uri_parse_scheme(uri.c_str()));
  if (scheme == nullptr) return Status::InvalidArgument(fmt::format("{}: not a URI", uri));
  if (g_ascii_strcasecmp(scheme.get(), "file") != 0) {
    return Status::Unsupported(fmt::format("{}: unsupported URI scheme '{}'", uri, scheme.get()));
  }
  char* host = nullptr;
  GError* error = nullptr;
  GCharPtr path(g_filename_from_uri(uri.c_str(), &host, &error));
  GCharPtr host_owner(host);
  GErrorPtr error_owner(error);
  if (path == nullptr) {
    return Status::InvalidArgument(fmt::format("{}: {}", uri, error ? error->message : "bad URI"));
  }
  if (host != nullptr && g_ascii_strcasecmp(host, "localhost") != 0) {
    return Status::Unsupported(fmt::format("{}: a file on another host ('{}')", uri, host));
  }
  return std::string(path.get());
}

}  // namespace tessera::dbus
