#include "src/dbus/thumbnailer_object.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstring>

#include "src/dbus/flavor.h"
#include "src/dbus/supported.h"
#include "src/dbus/variant.h"

namespace tessera::dbus {

void ThumbnailerObject::HandleCall(const char* sender, const char* method, GVariant* parameters,
                                   GDBusMethodInvocation* invocation) {
  if (std::strcmp(method, "Queue") == 0) {
    Queue(sender, parameters, invocation);
  } else if (std::strcmp(method, "Dequeue") == 0) {
    guint32 handle = 0;
    g_variant_get(parameters, "(u)", &handle);
    // Unknown and finished handles are not an error: the request may have ended meanwhile.
    const bool active = queue_.Dequeue(handle);
    spdlog::debug("dbus: dequeue {} from {}{}", handle, sender, active ? "" : " (not active)");
    g_dbus_method_invocation_return_value(invocation, nullptr);
  } else if (std::strcmp(method, "GetSupported") == 0) {
    auto [schemes, types] = SupportedSchemesAndTypes(extra_types_());
    g_dbus_method_invocation_return_value(
        invocation, g_variant_new("(@as@as)", StringArray(schemes), StringArray(types)));
  } else if (std::strcmp(method, "GetSchedulers") == 0) {
    g_dbus_method_invocation_return_value(invocation,
                                          g_variant_new("(@as)", StringArray(SchedulerNames())));
  } else if (std::strcmp(method, "GetFlavors") == 0) {
    g_dbus_method_invocation_return_value(invocation,
                                          g_variant_new("(@as)", StringArray(FlavorNames())));
  } else {
    g_dbus_method_invocation_return_error(invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                          "no method %s", method);
  }
}

void ThumbnailerObject::Queue(const char* sender, GVariant* parameters,
                              GDBusMethodInvocation* invocation) {
  const gchar* flavor = nullptr;
  const gchar* scheduler = nullptr;
  guint32 handle_to_unqueue = 0;
  // The MIME types (child 1) are hints only: the engine sniffs every file's content.
  g_variant_get_child(parameters, 2, "&s", &flavor);
  g_variant_get_child(parameters, 3, "&s", &scheduler);
  g_variant_get_child(parameters, 4, "u", &handle_to_unqueue);

  if (handle_to_unqueue != 0) queue_.Dequeue(handle_to_unqueue);
  const uint32_t handle = next_handle_++;
  if (next_handle_ == 0) next_handle_ = 1;  // after 2^32 - 1 requests
  // The reply goes out before any signal of the request: the caller knows its handle first.
  g_dbus_method_invocation_return_value(invocation, g_variant_new("(u)", handle));
  on_queued_();

  Request request;
  request.handle = handle;
  request.priority = ParseScheduler(scheduler);
  request.uris = StringsAt(parameters, 0);
  spdlog::debug("dbus: queue {} from {}: {} files, {}, {}", handle, sender, request.uris.size(),
                flavor, request.priority == Priority::kBackground ? "background" : "foreground");
  emitter_.Begin(handle, sender, request.priority == Priority::kBackground);

  std::optional<xdg::ThumbSize> size = ParseFlavor(flavor);
  if (!size) {
    // As tumbler: the request is Started, fails as a whole with code 5, and is Finished.
    emitter_.Post(Event::Started(handle));
    if (!request.uris.empty()) {
      emitter_.Post(Event::Error(
          handle, request.uris,
          FileError{
              ErrorCode::kUnsupportedFlavor,
              fmt::format("unsupported flavor '{}' (normal, large, x-large, xx-large)", flavor)}));
    }
    emitter_.Post(Event::Finished(handle));
    return;
  }
  request.size = *size;
  queue_.Add(std::move(request));
}

}  // namespace tessera::dbus
