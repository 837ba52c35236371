// The methods of org.freedesktop.thumbnails.Cache1: a file manager tells the cache that files
// were moved, copied or deleted. The file work runs on a thread of its own, in call order; the
// main loop only parses and answers.
#ifndef TESSERA_DBUS_CACHE_OBJECT_H_
#define TESSERA_DBUS_CACHE_OBJECT_H_

#include <gio/gio.h>

#include <functional>

#include "src/dbus/serial_executor.h"
#include "tessera/xdg.h"

namespace tessera::dbus {

class CacheObject {
 public:
  // `on_busy(true)` runs when a call starts, `on_busy(false)` when it has been answered; both
  // in the main loop. `cache` and `context` must outlive the object.
  CacheObject(const xdg::Cache& cache, GMainContext* context, std::function<void(bool)> on_busy)
      : cache_(cache), context_(context), on_busy_(std::move(on_busy)) {}
  CacheObject(const CacheObject&) = delete;
  CacheObject& operator=(const CacheObject&) = delete;

  // One method call, as GDBus hands it over; always answers `invocation`.
  void HandleCall(const char* method, GVariant* parameters, GDBusMethodInvocation* invocation);

 private:
  const xdg::Cache& cache_;
  GMainContext* context_;
  std::function<void(bool)> on_busy_;
  SerialExecutor executor_;  // last: joined before the rest goes
};

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_CACHE_OBJECT_H_
