#include "src/dbus/signal_emitter.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "src/dbus/main_context.h"
#include "src/dbus/names.h"
#include "src/dbus/variant.h"

namespace tessera::dbus {
namespace {

gboolean OnWake(gpointer self) {
  static_cast<std::function<void()>*>(self)->operator()();
  return G_SOURCE_REMOVE;
}

}  // namespace

SignalEmitter::SignalEmitter(GDBusConnection* connection, GMainContext* context,
                             EmitterOptions options, std::function<void(uint32_t)> on_finished)
    : connection_(connection),
      context_(context),
      options_(options),
      on_finished_(std::move(on_finished)),
      batcher_(options.batch_uris, options.batch_delay) {}

SignalEmitter::~SignalEmitter() {
  std::lock_guard<std::mutex> lock(mu_);
  wake_.reset();
}

void SignalEmitter::Begin(uint32_t handle, std::string destination, bool batch_ready) {
  targets_[handle] = Target{std::move(destination), batch_ready};
}

void SignalEmitter::Post(Event event) {
  std::lock_guard<std::mutex> lock(mu_);
  pending_.push_back(std::move(event));
  if (wake_) return;  // a Drain is scheduled and will see this event
  GSource* source = g_idle_source_new();
  g_source_set_priority(source, G_PRIORITY_DEFAULT);
  g_source_set_callback(source, OnWake, new std::function<void()>([this] { Drain(); }),
                        [](gpointer fn) { delete static_cast<std::function<void()>*>(fn); });
  g_source_attach(source, context_);
  wake_.reset(source);
}

void SignalEmitter::Drain() {
  std::vector<Event> events;
  GSourcePtr done;
  {
    std::lock_guard<std::mutex> lock(mu_);
    events.swap(pending_);
    done = std::move(wake_);  // released after this dispatch; the next Post schedules anew
  }
  for (const Event& event : events) Handle(event);
}

void SignalEmitter::Handle(const Event& event) {
  auto target = targets_.find(event.handle);
  if (target == targets_.end()) {
    spdlog::warn("dbus: event for unknown request {}", event.handle);
    return;
  }
  switch (event.kind) {
    case Event::Kind::kStarted:
      Emit(event.handle, "Started", g_variant_new("(u)", event.handle));
      break;
    case Event::Kind::kReady:
      if (!target->second.batch_ready) {
        SendReady(event.handle, event.uris);
      } else if (auto full =
                     batcher_.Add(event.handle, event.uris.front(), ReadyBatcher::Clock::now())) {
        SendReady(event.handle, std::move(*full));
      } else {
        ArmBatchTimer();
      }
      break;
    case Event::Kind::kError:
      Emit(event.handle, "Error",
           g_variant_new("(u@asis)", event.handle, StringArray(event.uris),
                         static_cast<gint32>(event.error.code),
                         ValidUtf8(event.error.message).c_str()));
      break;
    case Event::Kind::kFinished:
      // Whatever Ready waits in a batch goes before the Finished.
      SendReady(event.handle, batcher_.Take(event.handle));
      Emit(event.handle, "Finished", g_variant_new("(u)", event.handle));
      targets_.erase(target);
      on_finished_(event.handle);
      break;
  }
}

void SignalEmitter::SendReady(uint32_t handle, std::vector<std::string> uris) {
  if (uris.empty()) return;
  Emit(handle, "Ready", g_variant_new("(u@as)", handle, StringArray(uris)));
}

void SignalEmitter::Emit(uint32_t handle, const char* signal, GVariant* parameters) {
  const Target& target = targets_.at(handle);
  const char* destination =
      options_.broadcast || target.destination.empty() ? nullptr : target.destination.c_str();
  GError* error = nullptr;
  if (!g_dbus_connection_emit_signal(connection_, destination, kThumbnailerPath,
                                     kThumbnailerInterface, signal, parameters, &error)) {
    // The caller may have gone (a closed file manager window): nothing to tell anyone.
    spdlog::debug("dbus: {} for request {}: {}", signal, handle, error->message);
    g_error_free(error);
  }
}

void SignalEmitter::ArmBatchTimer() {
  if (batch_timer_) return;
  std::optional<ReadyBatcher::Clock::time_point> due = batcher_.NextDue();
  if (!due) return;
  auto delay = std::chrono::ceil<std::chrono::milliseconds>(*due - ReadyBatcher::Clock::now());
  batch_timer_ = AddTimeout(context_, std::max(delay, std::chrono::milliseconds(1)), [this] {
    for (auto& [handle, uris] : batcher_.TakeDue(ReadyBatcher::Clock::now())) {
      SendReady(handle, std::move(uris));
    }
    // Dropping the source from inside its own dispatch is safe: GLib frees this callback only
    // once it has returned.
    GSourcePtr self = std::move(batch_timer_);
    ArmBatchTimer();
    return false;
  });
}

}  // namespace tessera::dbus
