// D-Bus for integration tests: a private session bus (no session bus runs on these machines, and
// tests must not touch a user's), and a client connection that records the thumbnail signals.
#ifndef TESSERA_TESTS_SUPPORT_DBUS_SESSION_H_
#define TESSERA_TESTS_SUPPORT_DBUS_SESSION_H_

#include <gio/gio.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "src/dbus/glib_ptr.h"
#include "tessera/status.h"
#include "tests/support/child_process.h"

namespace tessera::testing {

// `dbus-daemon --session` with its own configuration, socket and activation folder under `dir`;
// `env` goes to the daemon and so to the services it activates.
class PrivateBus {
 public:
  static Result<std::unique_ptr<PrivateBus>> Start(const std::string& dir,
                                                   const std::map<std::string, std::string>& env);
  const std::string& address() const { return address_; }
  // Where .service files for activation go.
  const std::string& service_dir() const { return service_dir_; }
  // What the daemon printed (services it activated log to its stderr).
  std::string Stderr() const { return daemon_->Stderr(); }

 private:
  std::unique_ptr<ChildProcess> daemon_;
  std::string address_;
  std::string service_dir_;
};

// One Thumbnailer1 signal as a client received it.
struct ThumbnailSignal {
  std::string name;  // Started, Ready, Error, Finished
  uint32_t handle = 0;
  std::vector<std::string> uris;  // Ready, Error
  int code = -1;                  // Error
  std::string message;            // Error
};

// A client connection whose signals are dispatched in `context` (the test's thread-default).
class BusClient {
 public:
  static Result<std::unique_ptr<BusClient>> Connect(const std::string& address,
                                                    GMainContext* context);
  ~BusClient();
  BusClient(const BusClient&) = delete;
  BusClient& operator=(const BusClient&) = delete;

  GDBusConnection* connection() const { return connection_.get(); }

  // A method call, waited for. The reply, or the D-Bus error as a Status.
  Result<std::shared_ptr<GVariant>> Call(const char* destination, const char* path,
                                         const char* interface, const char* method,
                                         GVariant* parameters, int timeout_ms = 60000);
  bool NameHasOwner(const char* name);

  // Runs the context until `done` holds (true) or `timeout` passes (false).
  bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout);

  const std::vector<ThumbnailSignal>& signals() const { return signals_; }
  std::vector<ThumbnailSignal> SignalsFor(uint32_t handle) const;

 private:
  BusClient() = default;
  static void OnSignal(GDBusConnection*, const gchar*, const gchar*, const gchar*, const gchar*,
                       GVariant*, gpointer);

  GMainContext* context_ = nullptr;
  dbus::GDBusConnectionPtr connection_;
  guint subscription_ = 0;
  std::vector<ThumbnailSignal> signals_;
};

}  // namespace tessera::testing

#endif  // TESSERA_TESTS_SUPPORT_DBUS_SESSION_H_
