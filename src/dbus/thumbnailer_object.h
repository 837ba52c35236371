// The methods of org.freedesktop.thumbnails.Thumbnailer1, answered in the main loop: requests
// get a handle at once and go to the work queue; their signals come from the SignalEmitter.
#ifndef TESSERA_DBUS_THUMBNAILER_OBJECT_H_
#define TESSERA_DBUS_THUMBNAILER_OBJECT_H_

#include <gio/gio.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "src/dbus/signal_emitter.h"
#include "src/dbus/work_queue.h"

namespace tessera::dbus {

class ThumbnailerObject {
 public:
  // `on_queued` runs for every request accepted (the service is busy until its Finished).
  // `extra_types`: the MIME types other installed thumbnailers add to ours (for GetSupported),
  // asked for at each call.
  ThumbnailerObject(WorkQueue& queue, SignalEmitter& emitter, std::function<void()> on_queued,
                    std::function<std::vector<std::string>()> extra_types)
      : queue_(queue),
        emitter_(emitter),
        on_queued_(std::move(on_queued)),
        extra_types_(std::move(extra_types)) {}
  ThumbnailerObject(const ThumbnailerObject&) = delete;
  ThumbnailerObject& operator=(const ThumbnailerObject&) = delete;

  // One method call, as GDBus hands it over; always answers `invocation`.
  void HandleCall(const char* sender, const char* method, GVariant* parameters,
                  GDBusMethodInvocation* invocation);

 private:
  void Queue(const char* sender, GVariant* parameters, GDBusMethodInvocation* invocation);

  WorkQueue& queue_;
  SignalEmitter& emitter_;
  std::function<void()> on_queued_;
  std::function<std::vector<std::string>()> extra_types_;
  uint32_t next_handle_ = 1;  // handles start at 1; 0 means "none" in handle_to_unqueue
};

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_THUMBNAILER_OBJECT_H_
