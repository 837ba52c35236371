#include "src/app/media_server.h"

#include <spdlog/spdlog.h>

#include "src/app/avatar.h"
#include "src/app/original_locator.h"
#include "src/app/secret.h"

namespace tessera::app {

Result<std::unique_ptr<MediaServer>> MediaServer::Open(MediaServerOptions options) {
  std::unique_ptr<MediaServer> server(new MediaServer());
  TESSERA_ASSIGN_OR_RETURN(server->data_, OpenDataDir(options.data_dir));
  TESSERA_ASSIGN_OR_RETURN(server->catalog_, OpenCatalogFor(server->data_, options.catalog));
  TESSERA_ASSIGN_OR_RETURN(std::string secret, LoadOrCreateSecret(server->data_.secret_path()));
  server->tokens_ = std::make_unique<server::TokenService>(std::move(secret));
  server->store_ = std::make_unique<library::MediaStore>(server->data_.root);
  server->engine_ = std::make_unique<Engine>(options.engine);
  server->scans_ = std::make_unique<ScanService>(*server->catalog_, *server->engine_,
                                                 *server->store_, server->board_, options.scan);
  server->options_ = std::move(options);
  return server;
}

MediaServer::~MediaServer() { Stop(); }

Result<uint16_t> MediaServer::Start() {
  server::RouterOptions router_options = options_.router;
  router_options.locate_original = MakeOriginalLocator(*catalog_);
  router_options.make_avatar = [this](std::string_view bytes) {
    return MakeAvatarPng(*engine_, data_.temp_dir(), bytes);
  };
  router_options.report_jobs = [this](int64_t user_id) { return board_.JsonFor(user_id); };
  router_options.request_retry = [this](int64_t library_id) {
    scans_->RequestScan(library_id, /*retry_failures=*/true);
  };
  router_ = std::make_unique<server::Router>(*catalog_, *store_, *tokens_, router_options);
  http_ = std::make_unique<server::HttpServer>(*router_, options_.address, options_.port,
                                               std::max(1, options_.http_threads));
  TESSERA_ASSIGN_OR_RETURN(uint16_t port, http_->Start());

  TESSERA_RETURN_IF_ERROR(scans_->Start());
  if (options_.watch) {
    Result<std::unique_ptr<library::LibraryWatcher>> watcher = library::LibraryWatcher::Start(
        [this](const std::vector<std::string>& roots, bool overflow) {
          for (const std::string& root : roots) {
            spdlog::debug("watch: {} changed{}", root, overflow ? " (events lost)" : "");
            scans_->RequestScanOfPath(root);
          }
        });
    if (watcher.ok()) {
      watcher_ = std::move(watcher).value();
      WatchLibraries();
    } else {
      // Serving works without it; the periodic rescan still finds changes.
      spdlog::warn("watch: {}; new files are found by the periodic rescan only",
                   watcher.status().ToString());
    }
  }
  if (options_.scan_on_start) scans_->RequestAll();
  return port;
}

void MediaServer::WatchLibraries() {
  Result<std::vector<library::Library>> libraries = catalog_->Libraries(std::nullopt);
  if (!libraries.ok()) {
    spdlog::error("watch: listing libraries failed: {}", libraries.status().ToString());
    return;
  }
  for (const library::Library& library : *libraries) {
    Status status = watcher_->Watch(library.root);
    if (!status.ok()) spdlog::warn("watch: {}", status.ToString());
  }
}

void MediaServer::Stop() {
  if (http_) http_->Stop();
  watcher_.reset();
  if (scans_) scans_->Stop();
}

}  // namespace tessera::app
