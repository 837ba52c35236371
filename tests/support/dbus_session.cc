#include "tests/support/dbus_session.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "src/dbus/names.h"
#include "src/dbus/variant.h"

namespace tessera::testing {

Result<std::unique_ptr<PrivateBus>> PrivateBus::Start(
    const std::string& dir, const std::map<std::string, std::string>& env) {
  std::unique_ptr<PrivateBus> bus(new PrivateBus());
  bus->service_dir_ = dir + "/services";
  std::filesystem::create_directories(bus->service_dir_);
  const std::string config = dir + "/session.conf";
  std::ofstream(config) << fmt::format(
      R"(<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}/bus</listen>
  <servicedir>{}</servicedir>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
)",
      dir, bus->service_dir_);
  TESSERA_ASSIGN_OR_RETURN(
      bus->daemon_,
      ChildProcess::Start({"dbus-daemon", "--config-file=" + config, "--nofork", "--print-address"},
                          env));
  const bool ready = bus->daemon_->WaitForStdout(
      [](const std::string& out) { return out.find('\n') != std::string::npos; },
      std::chrono::seconds(20));
  if (!ready) {
    return Status::Internal("dbus-daemon did not start: " + bus->daemon_->Stderr());
  }
  const std::string out = bus->daemon_->Stdout();
  bus->address_ = out.substr(0, out.find('\n'));
  return bus;
}

Result<std::unique_ptr<BusClient>> BusClient::Connect(const std::string& address,
                                                      GMainContext* context) {
  std::unique_ptr<BusClient> client(new BusClient());
  client->context_ = context;
  GError* error = nullptr;
  client->connection_.reset(g_dbus_connection_new_for_address_sync(
      address.c_str(),
      static_cast<GDBusConnectionFlags>(G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION),
      nullptr, nullptr, &error));
  if (!client->connection_) {
    std::string message = error->message;
    g_error_free(error);
    return Status::IOError("connect to " + address + ": " + message);
  }
  // Every Thumbnailer1 signal this connection receives, whoever sent it and to whom.
  client->subscription_ = g_dbus_connection_signal_subscribe(
      client->connection_.get(), nullptr, dbus::kThumbnailerInterface, nullptr,
      dbus::kThumbnailerPath, nullptr, G_DBUS_SIGNAL_FLAGS_NONE, OnSignal, client.get(), nullptr);
  return client;
}

BusClient::~BusClient() {
  if (subscription_ != 0) g_dbus_connection_signal_unsubscribe(connection_.get(), subscription_);
  if (connection_) g_dbus_connection_close_sync(connection_.get(), nullptr, nullptr);
}

void BusClient::OnSignal(GDBusConnection*, const gchar*, const gchar*, const gchar*,
                         const gchar* name, GVariant* parameters, gpointer self) {
  ThumbnailSignal signal;
  signal.name = name;
  g_variant_get_child(parameters, 0, "u", &signal.handle);
  if (signal.name == "Ready" || signal.name == "Error") {
    signal.uris = dbus::StringsAt(parameters, 1);
  }
  if (signal.name == "Error") {
    const gchar* message = nullptr;
    g_variant_get_child(parameters, 2, "i", &signal.code);
    g_variant_get_child(parameters, 3, "&s", &message);
    signal.message = message;
  }
  static_cast<BusClient*>(self)->signals_.push_back(std::move(signal));
}

Result<std::shared_ptr<GVariant>> BusClient::Call(const char* destination, const char* path,
                                                  const char* interface, const char* method,
                                                  GVariant* parameters, int timeout_ms) {
  GError* error = nullptr;
  GVariant* reply = g_dbus_connection_call_sync(connection_.get(), destination, path, interface,
                                                method, parameters, nullptr, G_DBUS_CALL_FLAGS_NONE,
                                                timeout_ms, nullptr, &error);
  if (reply == nullptr) {
    std::string message = error->message;
    g_error_free(error);
    return Status::Internal(fmt::format("{}.{}: {}", interface, method, message));
  }
  return std::shared_ptr<GVariant>(reply, g_variant_unref);
}

bool BusClient::NameHasOwner(const char* name) {
  auto reply = Call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                    "NameHasOwner", g_variant_new("(s)", name));
  gboolean owned = FALSE;
  if (reply.ok()) g_variant_get(reply->get(), "(b)", &owned);
  return owned;
}

bool BusClient::WaitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (!g_main_context_iteration(context_, FALSE)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  return true;
}

std::vector<ThumbnailSignal> BusClient::SignalsFor(uint32_t handle) const {
  std::vector<ThumbnailSignal> out;
  for (const ThumbnailSignal& s : signals_) {
    if (s.handle == handle) out.push_back(s);
  }
  return out;
}

}  // namespace tessera::testing
