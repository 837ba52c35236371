#include "src/dbus/cache_object.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <string>
#include <vector>

#include "src/dbus/glib_ptr.h"
#include "src/dbus/main_context.h"
#include "src/dbus/variant.h"

namespace tessera::dbus {
namespace {

// Runs `op` for each item; the first failure is the call's answer, the rest still run.
template <typename Op>
Status ForEach(size_t n, Op op) {
  Status first;
  for (size_t i = 0; i < n; ++i) {
    Result<int> done = op(i);
    if (!done.ok() && first.ok()) first = done.status();
  }
  return first;
}

}  // namespace

void CacheObject::HandleCall(const char* method, GVariant* parameters,
                             GDBusMethodInvocation* invocation) {
  const std::string name = method;
  std::function<Status()> work;
  if (name == "Move" || name == "Copy") {
    std::vector<std::string> from = StringsAt(parameters, 0);
    std::vector<std::string> to = StringsAt(parameters, 1);
    if (from.size() != to.size()) {
      g_dbus_method_invocation_return_error(invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                            "%s: %zu from_uris but %zu to_uris", method,
                                            from.size(), to.size());
      return;
    }
    const bool move = name == "Move";
    work = [this, move, from = std::move(from), to = std::move(to)] {
      return ForEach(from.size(), [&](size_t i) {
        Result<int> n = move ? cache_.Move(from[i], to[i]) : cache_.Copy(from[i], to[i]);
        if (n.ok())
          spdlog::debug("dbus: {} {} -> {}: {} thumbnails", move ? "move" : "copy", from[i], to[i],
                        *n);
        return n;
      });
    };
  } else if (name == "Delete") {
    work = [this, uris = StringsAt(parameters, 0)] {
      return ForEach(uris.size(), [&](size_t i) { return cache_.Delete(uris[i]); });
    };
  } else if (name == "Cleanup") {
    guint32 since = 0;
    g_variant_get_child(parameters, 1, "u", &since);
    work = [this, bases = StringsAt(parameters, 0), since] {
      Result<int> removed = cache_.Cleanup(bases, since);
      if (removed.ok()) spdlog::debug("dbus: cleanup: {} thumbnails removed", *removed);
      return removed.status();
    };
  } else {
    g_dbus_method_invocation_return_error(invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                          "no method %s", method);
    return;
  }

  on_busy_(true);
  // GDBus handed us the invocation's reference; it is answered from the main loop once the
  // work is done.
  auto pending = std::make_shared<GDBusMethodInvocationPtr>(invocation);
  executor_.Run([this, pending, work = std::move(work), name] {
    Status status = work();
    RunInContext(context_, [this, pending, status, name] {
      GDBusMethodInvocation* invocation = pending->release();  // the return takes it
      if (status.ok()) {
        g_dbus_method_invocation_return_value(invocation, nullptr);
      } else {
        spdlog::warn("dbus: Cache1.{}: {}", name, status.message());
        g_dbus_method_invocation_return_error(invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED, "%s",
                                              ValidUtf8(status.message()).c_str());
      }
      on_busy_(false);
    });
  });
}

}  // namespace tessera::dbus
