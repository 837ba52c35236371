#include "src/app/scan_service.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>

namespace tessera::app {
namespace {

std::string DefaultWorkerId() {
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

// Whether `path` is `root` or below it (both absolute, lexically normal).
bool IsAtOrBelow(const std::string& path, const std::string& root) {
  if (path == root) return true;
  if (root == "/") return true;
  return path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
         path[root.size()] == '/';
}

}  // namespace

ScanService::ScanService(library::Catalog& catalog, const Engine& engine,
                         const library::MediaStore& store, ScanBoard& board,
                         ScanServiceOptions options)
    : catalog_(catalog),
      engine_(engine),
      store_(store),
      board_(board),
      options_(std::move(options)) {
  if (options_.worker_id.empty()) options_.worker_id = DefaultWorkerId();
}

ScanService::~ScanService() { Stop(); }

Status ScanService::Start() {
  TESSERA_RETURN_IF_ERROR(catalog_.ReleaseClaims(options_.worker_id));
  thread_ = std::thread([this] { Loop(); });
  return Status::Ok();
}

void ScanService::RequestScan(int64_t library_id, bool retry_failures) {
  std::lock_guard lock(mu_);
  if (stopping_) return;
  if (retry_failures) retry_.insert(library_id);
  if (!queued_.insert(library_id).second) return;
  queue_.push_back(library_id);
  cv_.notify_all();
}

void ScanService::RequestScanOfPath(const std::string& path) {
  Result<std::vector<library::Library>> libraries = catalog_.Libraries(std::nullopt);
  if (!libraries.ok()) {
    spdlog::error("scan: listing libraries failed: {}", libraries.status().ToString());
    return;
  }
  for (const library::Library& library : *libraries) {
    if (IsAtOrBelow(path, library.root) || IsAtOrBelow(library.root, path)) {
      RequestScan(library.id);
    }
  }
}

void ScanService::RequestAll(bool retry_failures) {
  Result<std::vector<library::Library>> libraries = catalog_.Libraries(std::nullopt);
  if (!libraries.ok()) {
    spdlog::error("scan: listing libraries failed: {}", libraries.status().ToString());
    return;
  }
  for (const library::Library& library : *libraries) RequestScan(library.id, retry_failures);
}

Status ScanService::WaitIdle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return stopping_ || (queue_.empty() && !running_scan_); });
  return first_error_;
}

void ScanService::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    cancel_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void ScanService::Loop() {
  auto last_full = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_);
  for (;;) {
    const auto due = last_full + options_.rescan_interval;
    if (options_.rescan_interval.count() > 0) {
      cv_.wait_until(lock, due, [this] { return stopping_ || !queue_.empty(); });
    } else {
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    }
    if (stopping_) return;
    if (queue_.empty()) {  // the periodic rescan is due
      last_full = std::chrono::steady_clock::now();
      lock.unlock();
      RequestAll();
      lock.lock();
      continue;
    }
    int64_t id = queue_.front();
    queue_.pop_front();
    queued_.erase(id);
    const bool retry = retry_.erase(id) > 0;
    running_scan_ = true;
    lock.unlock();
    RunScan(id, retry);
    lock.lock();
    running_scan_ = false;
    cv_.notify_all();
  }
}

void ScanService::RunScan(int64_t library_id, bool retry_failures) {
  Result<std::vector<library::Library>> libraries = catalog_.Libraries(std::nullopt);
  const library::Library* library = nullptr;
  if (libraries.ok()) {
    for (const library::Library& l : *libraries) {
      if (l.id == library_id) library = &l;
    }
  }
  if (library == nullptr) return;
  board_.Started(*library);
  auto last_log = std::chrono::steady_clock::now();
  library::ScanOptions scan_options;
  scan_options.workers = std::max(1, options_.workers);
  scan_options.variants = options_.variants;
  scan_options.faces = options_.faces;
  scan_options.worker_id = options_.worker_id;
  scan_options.cancel = &cancel_;
  scan_options.retry_failures = retry_failures;
  scan_options.on_progress = [&](const library::ScanProgress& progress) {
    board_.Progressed(library_id, progress);
    if (progress.failed) {
      spdlog::warn("scan: {}/{}: {}", library->root, progress.rel_path, progress.error);
    }
    auto now = std::chrono::steady_clock::now();
    if (now - last_log >= options_.progress_log_interval) {
      last_log = now;
      spdlog::info("{}", board_.Line(library_id));
    }
  };
  library::Scanner scanner(catalog_, engine_, store_, std::move(scan_options));
  Result<library::ScanReport> report = scanner.Scan(*library);
  board_.Finished(library_id, report);
  if (report.ok()) {
    spdlog::info(
        "scan {}: {} files, {} unchanged, {} new photos, {} variants made, {} failed, {} removed "
        "in {:.2f} s",
        library->root, report->files_seen, report->unchanged, report->new_photos,
        report->variants_generated, report->failed, report->removed, report->seconds);
  } else if (report.status().code() != StatusCode::kAborted) {
    spdlog::error("scan {}: {}", library->root, report.status().ToString());
    std::lock_guard lock(mu_);
    if (first_error_.ok()) first_error_ = report.status();
  }
}

}  // namespace tessera::app
