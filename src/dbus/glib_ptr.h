// Owning pointers for the GLib and GIO values the D-Bus service holds: each freed by its own
// function when the pointer goes.
#ifndef TESSERA_DBUS_GLIB_PTR_H_
#define TESSERA_DBUS_GLIB_PTR_H_

#include <gio/gio.h>

#include <memory>

namespace tessera::dbus {

struct GFreeDeleter {
  void operator()(void* p) const { g_free(p); }
};
struct GObjectDeleter {
  void operator()(void* p) const { g_object_unref(p); }
};
struct GVariantDeleter {
  void operator()(GVariant* p) const { g_variant_unref(p); }
};
struct GErrorDeleter {
  void operator()(GError* p) const { g_error_free(p); }
};
struct GMainLoopDeleter {
  void operator()(GMainLoop* p) const { g_main_loop_unref(p); }
};
struct GMainContextDeleter {
  void operator()(GMainContext* p) const { g_main_context_unref(p); }
};
struct GSourceDeleter {
  void operator()(GSource* p) const {
    g_source_destroy(p);
    g_source_unref(p);
  }
};
struct GDBusNodeInfoDeleter {
  void operator()(GDBusNodeInfo* p) const { g_dbus_node_info_unref(p); }
};

using GCharPtr = std::unique_ptr<char, GFreeDeleter>;
using GVariantPtr = std::unique_ptr<GVariant, GVariantDeleter>;
using GErrorPtr = std::unique_ptr<GError, GErrorDeleter>;
using GMainLoopPtr = std::unique_ptr<GMainLoop, GMainLoopDeleter>;
using GMainContextPtr = std::unique_ptr<GMainContext, GMainContextDeleter>;
// An attached source: destroyed (removed from its context) and released together.
using GSourcePtr = std::unique_ptr<GSource, GSourceDeleter>;
using GDBusNodeInfoPtr = std::unique_ptr<GDBusNodeInfo, GDBusNodeInfoDeleter>;
using GDBusConnectionPtr = std::unique_ptr<GDBusConnection, GObjectDeleter>;
using GDBusMethodInvocationPtr = std::unique_ptr<GDBusMethodInvocation, GObjectDeleter>;

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_GLIB_PTR_H_
