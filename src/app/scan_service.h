// Runs library scans in the background while the server serves: one library at a time, each
// with a pool of workers, on request (start-up, the folder watcher, `tessera scan`) and
// periodically. Progress goes to a ScanBoard and, every few seconds, to the log.
#ifndef TESSERA_APP_SCAN_SERVICE_H_
#define TESSERA_APP_SCAN_SERVICE_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "src/app/scan_board.h"
#include "src/library/catalog.h"
#include "src/library/media_store.h"
#include "src/library/scanner.h"
#include "tessera/engine.h"

namespace tessera::app {

struct ScanServiceOptions {
  int workers = 1;  // files processed at once within a scan
  std::vector<library::VariantSpec> variants = library::DefaultVariants();
  library::FaceOptions faces;
  // Every library is scanned again after this long without a scan (0: never). The watcher
  // makes this a safety net, for changes inotify cannot see (network file systems, overflow).
  std::chrono::seconds rescan_interval{3600};
  std::chrono::seconds progress_log_interval{2};
  std::string worker_id;  // see ScanOptions::worker_id
};

// Thread-safe. The catalog, engine, store and board must outlive the service.
class ScanService {
 public:
  ScanService(library::Catalog& catalog, const Engine& engine, const library::MediaStore& store,
              ScanBoard& board, ScanServiceOptions options);
  ~ScanService();  // Stop()
  ScanService(const ScanService&) = delete;
  ScanService& operator=(const ScanService&) = delete;

  // Takes back the jobs this worker held when it last died, then starts the scanning thread.
  Status Start();
  // Queues a scan of the library (once, however often it is asked before it starts). With
  // `retry_failures` that scan also reads again the unchanged files of the failure ledger.
  void RequestScan(int64_t library_id, bool retry_failures = false);
  // Queues every library that contains `path` (a changed file or folder) or lies below it.
  void RequestScanOfPath(const std::string& path);
  void RequestAll(bool retry_failures = false);
  // Blocks until nothing is queued or running. Returns the first scan error since Start (OK
  // when every scan succeeded).
  Status WaitIdle();
  // Stops the running scan after its current files and joins the thread. Idempotent.
  void Stop();

 private:
  void Loop();
  void RunScan(int64_t library_id, bool retry_failures);

  library::Catalog& catalog_;
  const Engine& engine_;
  const library::MediaStore& store_;
  ScanBoard& board_;
  ScanServiceOptions options_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<int64_t> queue_;
  std::set<int64_t> queued_;
  std::set<int64_t> retry_;  // queued libraries whose next scan retries their failures
  bool running_scan_ = false;
  bool stopping_ = false;
  Status first_error_;
  std::atomic<bool> cancel_{false};
  std::thread thread_;
};

}  // namespace tessera::app

#endif  // TESSERA_APP_SCAN_SERVICE_H_
