// Running code in the main loop's thread, from any thread.
#ifndef TESSERA_DBUS_MAIN_CONTEXT_H_
#define TESSERA_DBUS_MAIN_CONTEXT_H_

#include <glib.h>

#include <chrono>
#include <functional>

#include "src/dbus/glib_ptr.h"

namespace tessera::dbus {

// Runs `fn` once in `context`'s thread, from its next iteration (never before this returns,
// even when called from that thread), after the ready sources of higher `priority`.
// Thread-safe.
void RunInContext(GMainContext* context, std::function<void()> fn,
                  int priority = G_PRIORITY_DEFAULT);

// A source attached to `context` that runs `fn` after `delay`, then once per `delay` for as
// long as `fn` returns true. Destroying the returned pointer cancels it.
GSourcePtr AddTimeout(GMainContext* context, std::chrono::milliseconds delay,
                      std::function<bool()> fn);

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_MAIN_CONTEXT_H_
