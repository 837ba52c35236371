// The media server, put together: the catalog and media store in a data folder, the token
// secret, the engine, the background scans with a folder watcher, and the HTTP routes.
//
//   data folder ─ catalog.db (or a PostgreSQL catalog), secret, media/, tmp/
//   ScanService ── Scanner ── Engine (+ isolated helpers) ── MediaStore
//        ▲ LibraryWatcher (inotify)
//   HttpServer ── Router ── Catalog, MediaStore, TokenService
#ifndef TESSERA_APP_MEDIA_SERVER_H_
#define TESSERA_APP_MEDIA_SERVER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "src/app/data_dir.h"
#include "src/app/scan_board.h"
#include "src/app/scan_service.h"
#include "src/library/catalog.h"
#include "src/library/media_store.h"
#include "src/library/watcher.h"
#include "src/server/http_server.h"
#include "src/server/routes.h"
#include "src/server/tokens.h"
#include "tessera/engine.h"

namespace tessera::app {

struct MediaServerOptions {
  std::string data_dir;  // "" for the default (data_dir.h)
  std::string catalog;   // "" for <data>/catalog.db; or a postgresql:// URL
  std::string address = "127.0.0.1";
  uint16_t port = 8000;  // 0: any free port (tests)
  int http_threads = 2;
  bool watch = true;          // pick up changes with inotify while serving
  bool scan_on_start = true;  // scan every library at start
  ScanServiceOptions scan;
  EngineOptions engine;
  server::RouterOptions router;  // its callbacks are filled in by the server
};

class MediaServer {
 public:
  // Opens the data folder, the catalog and the secret (created on first start).
  static Result<std::unique_ptr<MediaServer>> Open(MediaServerOptions options);
  ~MediaServer();  // Stop()

  // Starts the scans, the watcher and the HTTP server; returns the bound port.
  Result<uint16_t> Start();
  // Stops accepting, stops the scans after their current files, joins everything. Idempotent.
  void Stop();

  library::Catalog& catalog() { return *catalog_; }
  ScanService& scans() { return *scans_; }
  ScanBoard& board() { return board_; }
  const server::TokenService& tokens() const { return *tokens_; }
  const DataDir& data() const { return data_; }

 private:
  MediaServer() = default;
  // Watches every library's root; called at start and when a scan finds new libraries.
  void WatchLibraries();

  MediaServerOptions options_;
  DataDir data_;
  std::unique_ptr<library::Catalog> catalog_;
  std::unique_ptr<library::MediaStore> store_;
  std::unique_ptr<server::TokenService> tokens_;
  std::unique_ptr<Engine> engine_;
  ScanBoard board_;
  std::unique_ptr<ScanService> scans_;
  std::unique_ptr<library::LibraryWatcher> watcher_;
  std::unique_ptr<server::Router> router_;
  std::unique_ptr<server::HttpServer> http_;
};

}  // namespace tessera::app

#endif  // TESSERA_APP_MEDIA_SERVER_H_
