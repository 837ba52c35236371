// Sends the Thumbnailer1 signals from the main loop. Workers Post events from their threads;
// the main loop sends them in the order posted, each request's to the connection that queued
// it (see docs/architecture.md, "Signal delivery"), with the Ready signals of background
// requests batched.
#ifndef TESSERA_DBUS_SIGNAL_EMITTER_H_
#define TESSERA_DBUS_SIGNAL_EMITTER_H_

#include <gio/gio.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "src/dbus/event.h"
#include "src/dbus/glib_ptr.h"
#include "src/dbus/ready_batcher.h"

namespace tessera::dbus {

struct EmitterOptions {
  // Signals go to the caller only (its unique name as destination), as the specification and
  // tumbler do; true sends them to every connection listening.
  bool broadcast = false;
  size_t batch_uris = 64;                      // background: at most this many URIs a Ready
  std::chrono::milliseconds batch_delay{100};  // background: a Ready at least this often
};

class SignalEmitter {
 public:
  // `connection` and `context` must outlive the emitter; `on_finished` runs in the main loop
  // after each Finished is sent.
  SignalEmitter(GDBusConnection* connection, GMainContext* context, EmitterOptions options,
                std::function<void(uint32_t handle)> on_finished);
  ~SignalEmitter();
  SignalEmitter(const SignalEmitter&) = delete;
  SignalEmitter& operator=(const SignalEmitter&) = delete;

  // Main loop: where `handle`'s signals go and whether its Ready signals are batched.
  // REQUIRES: called before any event of `handle` is posted.
  void Begin(uint32_t handle, std::string destination, bool batch_ready);

  // Any thread: queues the event; the main loop sends it on its next iteration.
  void Post(Event event);

 private:
  struct Target {
    std::string destination;
    bool batch_ready = false;
  };
  void Drain();
  void Handle(const Event& event);
  void SendReady(uint32_t handle, std::vector<std::string> uris);
  void Emit(uint32_t handle, const char* signal, GVariant* parameters);
  void ArmBatchTimer();

  GDBusConnection* connection_;
  GMainContext* context_;
  EmitterOptions options_;
  std::function<void(uint32_t)> on_finished_;

  std::mutex mu_;
  std::vector<Event> pending_;  // guarded by mu_
  GSourcePtr wake_;             // guarded by mu_: set while a Drain is scheduled

  // Main loop only.
  std::unordered_map<uint32_t, Target> targets_;
  ReadyBatcher batcher_;
  GSourcePtr batch_timer_;
};

}  // namespace tessera::dbus

#endif  // TESSERA_DBUS_SIGNAL_EMITTER_H_
