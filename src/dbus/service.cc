// The service put together: the bus connection, both objects, the names, the workers and the
// idle exit. Everything here runs in the main loop's thread.
#include "src/dbus/service.h"

#include <fmt/format.h>
#include <glib-unix.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <memory>
#include <thread>

#include "src/dbus/cache_object.h"
#include "src/dbus/glib_ptr.h"
#include "src/dbus/main_context.h"
#include "src/dbus/names.h"
#include "src/dbus/signal_emitter.h"
#include "src/dbus/thumbnailer_object.h"
#include "src/dbus/work_queue.h"
#include "src/dbus/worker_pool.h"

namespace tessera::dbus {
namespace {

constexpr guint32 kDoNotQueue = 4;  // DBUS_NAME_FLAG_DO_NOT_QUEUE
constexpr guint32 kPrimaryOwner = 1;
constexpr int kBusCallTimeoutMs = 10000;

Status RequestName(GDBusConnection* connection, const char* name) {
  GError* error = nullptr;
  GVariantPtr reply(g_dbus_connection_call_sync(
      connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
      "RequestName", g_variant_new("(su)", name, kDoNotQueue), G_VARIANT_TYPE("(u)"),
      G_DBUS_CALL_FLAGS_NONE, kBusCallTimeoutMs, nullptr, &error));
  if (!reply) {
    GErrorPtr owner(error);
    return Status::IOError(fmt::format("cannot own {}: {}", name, error->message));
  }
  guint32 result = 0;
  g_variant_get(reply.get(), "(u)", &result);
  if (result != kPrimaryOwner) {
    return Status::Unsupported(
        fmt::format("{} is owned by another process on this bus (tumbler, or another tessera "
                    "dbus-service); stop it first",
                    name));
  }
  return Status::Ok();
}

void ReleaseName(GDBusConnection* connection, const char* name) {
  GVariantPtr reply(g_dbus_connection_call_sync(
      connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
      "ReleaseName", g_variant_new("(s)", name), G_VARIANT_TYPE("(u)"), G_DBUS_CALL_FLAGS_NONE,
      kBusCallTimeoutMs, nullptr, nullptr));
}

class Service {
 public:
  Service(const ServiceOptions& options, GDBusConnection* connection, GMainContext* context)
      : options_(options),
        connection_(connection),
        context_(context),
        loop_(g_main_loop_new(context, FALSE)),
        engine_(options.engine),
        cache_(options.cache),
        emitter_(connection, context, EmitterOptions{.broadcast = options.broadcast_signals},
                 [this](uint32_t) { Busy(-1); }),
        queue_([this](Event event) { emitter_.Post(std::move(event)); }),
        thumbnailer_(
            queue_, emitter_, [this] { Busy(+1); },
            [this] { return workers_.ExternalMimeTypes(); }),
        cache_object_(cache_, context, [this](bool busy) { Busy(busy ? +1 : -1); }),
        workers_(queue_, engine_, cache_, WorkerCount(options.workers), options.external) {}

  ~Service() {
    for (guint id : registrations_) g_dbus_connection_unregister_object(connection_, id);
    if (closed_handler_ != 0) g_signal_handler_disconnect(connection_, closed_handler_);
  }
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Exports both objects, then owns the names: Cache1 first, Thumbnailer1 last (the name the
  // systemd unit waits for, so that both are there when it is).
  Status Start() {
    GError* error = nullptr;
    node_.reset(g_dbus_node_info_new_for_xml(kIntrospectionXml, &error));
    if (!node_) {
      GErrorPtr owner(error);
      return Status::Internal(fmt::format("introspection data: {}", error->message));
    }
    static constexpr GDBusInterfaceVTable kThumbnailerVTable = {
        OnThumbnailerCall, nullptr, nullptr, {}};
    static constexpr GDBusInterfaceVTable kCacheVTable = {OnCacheCall, nullptr, nullptr, {}};
    TESSERA_RETURN_IF_ERROR(Register(kThumbnailerPath, kThumbnailerInterface, &kThumbnailerVTable));
    TESSERA_RETURN_IF_ERROR(Register(kCachePath, kCacheInterface, &kCacheVTable));
    closed_handler_ = g_signal_connect(connection_, "closed", G_CALLBACK(OnClosed), this);
    TESSERA_RETURN_IF_ERROR(RequestName(connection_, kCacheName));
    TESSERA_RETURN_IF_ERROR(RequestName(connection_, kThumbnailerName));
    spdlog::info("dbus: serving {} and {} as {}", kThumbnailerName, kCacheName,
                 g_dbus_connection_get_unique_name(connection_));
    return Status::Ok();
  }

  void Run() {
    GSourcePtr term(g_unix_signal_source_new(SIGTERM));
    GSourcePtr interrupt(g_unix_signal_source_new(SIGINT));
    for (GSource* source : {term.get(), interrupt.get()}) {
      g_source_set_callback(source, OnStopSignal, this, nullptr);
      g_source_attach(source, context_);
    }
    Idle();
    g_main_loop_run(loop_.get());
    // The last signals (a Finished) are on their way out: let them go before the process does.
    g_dbus_connection_flush_sync(connection_, nullptr, nullptr);
  }

 private:
  static int WorkerCount(int requested) {
    if (requested > 0) return requested;
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }

  Status Register(const char* path, const char* interface, const GDBusInterfaceVTable* vtable) {
    GError* error = nullptr;
    guint id = g_dbus_connection_register_object(
        connection_, path, g_dbus_node_info_lookup_interface(node_.get(), interface), vtable, this,
        nullptr, &error);
    if (id == 0) {
      GErrorPtr owner(error);
      return Status::IOError(fmt::format("cannot export {}: {}", path, error->message));
    }
    registrations_.push_back(id);
    return Status::Ok();
  }

  static void OnThumbnailerCall(GDBusConnection*, const gchar* sender, const gchar*, const gchar*,
                                const gchar* method, GVariant* parameters,
                                GDBusMethodInvocation* invocation, gpointer self) {
    static_cast<Service*>(self)->thumbnailer_.HandleCall(sender, method, parameters, invocation);
  }

  static void OnCacheCall(GDBusConnection*, const gchar*, const gchar*, const gchar*,
                          const gchar* method, GVariant* parameters,
                          GDBusMethodInvocation* invocation, gpointer self) {
    static_cast<Service*>(self)->cache_object_.HandleCall(method, parameters, invocation);
  }

  static void OnClosed(GDBusConnection*, gboolean, GError*, gpointer self) {
    spdlog::info("dbus: the bus connection closed");
    g_main_loop_quit(static_cast<Service*>(self)->loop_.get());
  }

  static gboolean OnStopSignal(gpointer self) {
    g_main_loop_quit(static_cast<Service*>(self)->loop_.get());
    return G_SOURCE_CONTINUE;
  }

  // A request or a Cache1 call began (+1) or ended (-1).
  void Busy(int delta) {
    busy_ += delta;
    if (busy_ > 0) {
      idle_timer_.reset();
    } else {
      Idle();
    }
  }

  // Nothing to do: after the idle timeout the names are released, then the process exits once
  // whatever reached it before the release is done.
  void Idle() {
    if (releasing_) {
      ExitIfIdle();
    } else if (options_.idle_timeout_seconds > 0 && !idle_timer_) {
      idle_timer_ =
          AddTimeout(context_, std::chrono::seconds(options_.idle_timeout_seconds), [this] {
            GSourcePtr self = std::move(idle_timer_);
            if (busy_ == 0) ReleaseNames();
            return false;
          });
    }
  }

  // Releasing first closes the race with a client whose call is on its way: the bus routes
  // anything sent after the release to a newly activated instance, and what was sent before
  // reaches us ahead of the release's reply and is served before we go.
  void ReleaseNames() {
    spdlog::info("dbus: idle for {} s, exiting", options_.idle_timeout_seconds);
    releasing_ = true;
    ReleaseName(connection_, kThumbnailerName);
    ReleaseName(connection_, kCacheName);
    ExitIfIdle();
  }

  void ExitIfIdle() {
    // Low priority: method calls already queued in this loop run first, and make us busy again.
    RunInContext(
        context_,
        [this] {
          if (busy_ == 0) g_main_loop_quit(loop_.get());
        },
        G_PRIORITY_LOW);
  }

  const ServiceOptions options_;
  GDBusConnection* connection_;
  GMainContext* context_;
  GMainLoopPtr loop_;
  GDBusNodeInfoPtr node_;
  std::vector<guint> registrations_;
  gulong closed_handler_ = 0;
  int busy_ = 0;  // requests not Finished + Cache1 calls not answered
  bool releasing_ = false;
  GSourcePtr idle_timer_;

  const Engine engine_;
  const xdg::Cache cache_;
  SignalEmitter emitter_;
  WorkQueue queue_;
  ThumbnailerObject thumbnailer_;
  CacheObject cache_object_;
  WorkerPool workers_;  // last: its threads stop before anything they use goes
};

}  // namespace

Status RunService(const ServiceOptions& options) {
  GError* error = nullptr;
  GDBusConnectionPtr connection(g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &error));
  if (!connection) {
    GErrorPtr owner(error);
    return Status::IOError(fmt::format("cannot connect to the session bus: {}", error->message));
  }
  // Closing is handled (the loop ends, the workers are joined), not an exit() from GDBus.
  g_dbus_connection_set_exit_on_close(connection.get(), FALSE);
  Service service(options, connection.get(), g_main_context_default());
  TESSERA_RETURN_IF_ERROR(service.Start());
  service.Run();
  return Status::Ok();
}

}  // namespace tessera::dbus
