// `tessera serve`: the media server. `tessera scan` (alias `regenerate`): bring the catalog and
// the stored variants in line with the library folders once, without serving.
#include <fmt/format.h>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "src/app/media_server.h"
#include "src/app/scan_service.h"
#include "src/library/media_store.h"
#include "src/library/passwords.h"
#include "tools/cli.h"
#include "tools/common.h"
#include "tools/server_common.h"

namespace tessera::cli {
namespace {

struct ServeArgs {
  DataOptions data;
  VariantOptions variants;
  std::vector<std::string> libraries;
  std::string user;
  std::string address = "127.0.0.1";
  uint16_t port = 8000;
  int workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int threads = 2;
  bool no_watch = false;
  bool no_scan = false;
  int64_t rescan_interval = 3600;
  bool retry_failed = false;  // scan: read the failure ledger's unchanged files again
};

int Fail(const Status& status) {
  PrintError(status.ToString());
  return status.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailed;
}

std::string DefaultUserName() {
  const char* user = std::getenv("USER");
  return user != nullptr && user[0] != '\0' && std::string(user) != "root" ? user : "admin";
}

// Makes every --library folder a library: of its owner when it has one, else of --user (by
// default $USER), who is created when missing with a random password written to a 0600 file in
// the data folder (never to the log).
Status SetUpLibraries(const ServeArgs& args, const app::DataDir& data, library::Catalog& catalog) {
  if (args.libraries.empty()) return Status::Ok();
  const std::string name = args.user.empty() ? DefaultUserName() : args.user;
  TESSERA_ASSIGN_OR_RETURN(std::optional<library::User> user, catalog.FindUserByName(name));
  int64_t owner = user ? user->id : 0;
  if (!user) {
    const std::string password = RandomPassword();
    TESSERA_ASSIGN_OR_RETURN(std::string hash, library::HashPassword(password));
    TESSERA_ASSIGN_OR_RETURN(owner, catalog.AddUser(library::User{0, name, "", hash, ""}));
    const std::string path = fmt::format("{}/{}.password", data.root, name);
    {
      std::ofstream out(path, std::ios::trunc);
      out << password << "\n";
      if (!out) return Status::IOError(fmt::format("{}: cannot write", path));
    }
    if (::chmod(path.c_str(), 0600) != 0) return Status::FromErrno(errno, path);
    std::cout << fmt::format("user {} created; the password is in {}\n", name, path);
  }
  for (const std::string& dir : args.libraries) {
    std::error_code ec;
    const std::string root = std::filesystem::canonical(dir, ec).string();
    if (ec) return Status::FromErrno(ec.value(), dir);
    TESSERA_ASSIGN_OR_RETURN(std::vector<library::Library> all, catalog.Libraries(std::nullopt));
    bool known = std::any_of(all.begin(), all.end(),
                             [&](const library::Library& l) { return l.root == root; });
    if (!known) TESSERA_RETURN_IF_ERROR(EnsureLibrary(catalog, owner, root).status());
  }
  return Status::Ok();
}

Result<app::MediaServerOptions> ServerOptions(const ServeArgs& args) {
  app::MediaServerOptions options;
  options.data_dir = args.data.data_dir;
  options.catalog = args.data.catalog;
  options.address = args.address;
  options.port = args.port;
  options.http_threads = args.threads;
  options.watch = !args.no_watch;
  options.scan_on_start = !args.no_scan;
  options.engine = DefaultEngineOptions();
  options.scan.workers = args.workers;
  options.scan.rescan_interval = std::chrono::seconds(args.rescan_interval);
  options.scan.faces.detect = !args.variants.no_faces;
  TESSERA_ASSIGN_OR_RETURN(options.scan.variants, VariantsFrom(args.variants));
  return options;
}

// Blocks SIGINT and SIGTERM in every thread started from here on, so that sigwait gets them.
sigset_t BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int Serve(const ServeArgs& args) {
  spdlog::set_level(std::min(spdlog::get_level(), spdlog::level::info));
  Result<app::MediaServerOptions> options = ServerOptions(args);
  if (!options.ok()) return Fail(options.status());
  {
    Result<Opened> opened = OpenData(args.data);
    if (!opened.ok()) return Fail(opened.status());
    Status status = SetUpLibraries(args, opened->data, *opened->catalog);
    if (!status.ok()) return Fail(status);
  }
  sigset_t stop_signals = BlockStopSignals();
  Result<std::unique_ptr<app::MediaServer>> server = app::MediaServer::Open(*options);
  if (!server.ok()) return Fail(server.status());
  Result<uint16_t> port = (*server)->Start();
  if (!port.ok()) return Fail(port.status());
  Result<std::vector<library::Library>> libraries = (*server)->catalog().Libraries(std::nullopt);
  std::cout << fmt::format("tessera: serving {} at http://{}:{}/ (data: {})\n",
                           libraries.ok() ? fmt::format("{} libraries", libraries->size())
                                          : std::string("the catalog"),
                           args.address, *port, (*server)->data().root)
            << std::flush;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  spdlog::info("stopping ({})", strsignal(signal));
  (*server)->Stop();
  return kExitOk;
}

int Scan(const ServeArgs& args) {
  spdlog::set_level(std::min(spdlog::get_level(), spdlog::level::info));
  Result<app::MediaServerOptions> options = ServerOptions(args);
  if (!options.ok()) return Fail(options.status());
  Result<Opened> opened = OpenData(args.data);
  if (!opened.ok()) return Fail(opened.status());
  Status status = SetUpLibraries(args, opened->data, *opened->catalog);
  if (!status.ok()) return Fail(status);
  library::MediaStore store(opened->data.root);
  Engine engine(options->engine);
  app::ScanBoard board;
  app::ScanService scans(*opened->catalog, engine, store, board, options->scan);
  status = scans.Start();
  if (!status.ok()) return Fail(status);
  scans.RequestAll(args.retry_failed);
  status = scans.WaitIdle();
  scans.Stop();
  if (!status.ok()) return Fail(status);
  // Every file that could not be read, with the reason, as the ledger has it.
  Result<std::vector<library::Library>> libraries = opened->catalog->Libraries(std::nullopt);
  if (!libraries.ok()) return Fail(libraries.status());
  int64_t failures = 0;
  for (const library::Library& library : *libraries) {
    Result<std::vector<library::FileFailure>> failed = opened->catalog->Failures(library.id);
    if (!failed.ok()) return Fail(failed.status());
    for (const library::FileFailure& f : *failed) {
      // Reasons from the engine already name the file.
      const std::string path = library.root + "/" + f.rel_path;
      std::cerr << (f.reason.find(path) != std::string::npos
                        ? fmt::format("tessera: {} (attempts: {})\n", f.reason, f.attempts)
                        : fmt::format("tessera: {}: {} (attempts: {})\n", path, f.reason,
                                      f.attempts));
      ++failures;
    }
  }
  return failures == 0 ? kExitOk : kExitFailed;
}

void AddCommonOptions(CLI::App* sub, ServeArgs& args) {
  AddDataOptions(sub, args.data);
  AddVariantOptions(sub, args.variants);
  sub->add_option("--library", args.libraries,
                  "A folder of photos to serve (repeatable); registered to --user if new");
  sub->add_option("--user", args.user,
                  "Owner of new --library folders, created if missing (default: $USER)");
  sub->add_option("--workers", args.workers, "Files processed at once while scanning")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
}

}  // namespace

Command RegisterServe(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* sub = app.add_subcommand("serve", "Serve photo libraries over HTTP (media server)");
  AddCommonOptions(sub, *args);
  sub->add_option("--address", args->address, "Address to listen on")->capture_default_str();
  sub->add_option("--port", args->port, "Port to listen on (0: any free port)")
      ->capture_default_str();
  sub->add_option("--threads", args->threads, "HTTP threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  sub->add_flag("--no-watch", args->no_watch, "Do not watch the folders for changes");
  sub->add_flag("--no-scan", args->no_scan, "Do not scan the libraries at start");
  sub->add_option("--rescan-interval", args->rescan_interval,
                  "Seconds between full rescans (0: never; the watcher sees most changes)")
      ->capture_default_str();
  return {sub, [=] { return Serve(*args); }};
}

Command RegisterScan(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* sub = app.add_subcommand(
      "scan", "Scan every library once: catalogue new files, regenerate stale variants");
  sub->alias("regenerate");
  AddCommonOptions(sub, *args);
  sub->add_flag("--retry-failed", args->retry_failed,
                "Read again the files that failed before, even if unchanged");
  return {sub, [=] { return Scan(*args); }};
}

}  // namespace tessera::cli
