// tessera's implementation of the freedesktop thumbnail D-Bus specification, a drop-in for
// tumbler: org.freedesktop.thumbnails.Thumbnailer1 (Queue, Dequeue, GetSupported,
// GetSchedulers, GetFlavors; the Started, Ready, Error and Finished signals) and
// org.freedesktop.thumbnails.Cache1 (Move, Copy, Delete, Cleanup) on the session bus.
// docs/architecture.md describes its threads, scheduling and signal delivery.
#ifndef TESSERA_DBUS_SERVICE_H_
#define TESSERA_DBUS_SERVICE_H_

#include "tessera/desktop.h"
#include "tessera/engine.h"
#include "tessera/status.h"
#include "tessera/xdg.h"

namespace tessera::dbus {

struct ServiceOptions {
  EngineOptions engine;
  xdg::CacheOptions cache;
  int workers = 0;                      // decoding threads; 0: one per core
  int idle_timeout_seconds = 300;       // exit after this long with nothing to do; 0: never
  bool broadcast_signals = false;       // send signals to every listener, not just the caller
  ExternalThumbnailerOptions external;  // other programs' .thumbnailer entries
};

// Connects to the session bus, owns both names and serves until the service has been idle for
// options.idle_timeout_seconds, SIGTERM or SIGINT arrives, or the bus goes away. Errors: no
// session bus; a name is owned by another process already (tumbler, or another tessera).
Status RunService(const ServiceOptions& options);

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_SERVICE_H_
