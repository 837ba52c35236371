// `tessera dbus-service`: the freedesktop thumbnail D-Bus service (what tumbler provides), on
// the session bus. Started by D-Bus activation (share/dbus-1/services) or its systemd user
// unit; it exits by itself after --idle-timeout seconds with nothing to do.
#include <spdlog/spdlog.h>

#include <memory>

#include "src/dbus/service.h"
#include "tools/cli.h"
#include "tools/common.h"

namespace tessera::cli {
namespace {

struct DbusArgs {
  int idle_timeout = 300;
  int workers = 0;
  std::string cache_dir;
  bool broadcast = false;
  int timeout = IsolationOptions{}.timeout_seconds;
  ExternalArgs external;
};

int Run(const DbusArgs& args) {
  // The service says what it does at info level (names owned, idle exit); -v adds each request.
  if (spdlog::get_level() > spdlog::level::info) spdlog::set_level(spdlog::level::info);
  dbus::ServiceOptions options;
  options.engine = DefaultEngineOptions();
  options.engine.isolation.timeout_seconds = args.timeout;
  options.engine.isolation.cpu_seconds = args.timeout;
  options.cache = CacheOptionsFor(args.cache_dir);
  options.workers = args.workers;
  options.idle_timeout_seconds = args.idle_timeout;
  options.broadcast_signals = args.broadcast;
  options.external = ExternalOptionsFrom(args.external, args.timeout);
  Status status = dbus::RunService(options);
  if (status.ok()) return kExitOk;
  PrintError(status.message());
  return kExitFailed;
}

}  // namespace

Command RegisterDbusService(CLI::App& app) {
  auto args = std::make_shared<DbusArgs>();
  CLI::App* sub = app.add_subcommand(
      "dbus-service",
      "Serve org.freedesktop.thumbnails.Thumbnailer1 and Cache1 on the session bus (as tumbler)");
  sub->add_option("--idle-timeout", args->idle_timeout,
                  "Exit after this many seconds with nothing to do (0: never)")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  sub->add_option("--workers", args->workers, "Files decoded at once (default: one per core)")
      ->check(CLI::Range(0, 256));
  sub->add_option("--cache-dir", args->cache_dir,
                  "Thumbnail cache folder (default: $XDG_CACHE_HOME/thumbnails)");
  sub->add_flag("--broadcast", args->broadcast,
                "Send the signals to every listener instead of only the caller");
  sub->add_option("--timeout", args->timeout,
                  "Seconds of wall-clock and of CPU time an isolated decoder may spend on one file")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  AddExternalOptions(sub, args->external);
  return {sub, [args] { return Run(*args); }};
}

}  // namespace tessera::cli
